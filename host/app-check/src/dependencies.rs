//! Each dependency the image compiles, checked against what sauce knows builds without `std`.

use sauce_intent::{Diagnostic, Intent};

use crate::known_crates::{self, Fit};
use crate::manifest::{Dependency, Manifest};
use crate::source::SourceFile;

/// Every problem with the dependencies of `manifest` (read from `file`), as diagnostics at
/// sauce.toml's `key` naming the Cargo.toml line.
pub fn check(
    intent: &Intent,
    key: &str,
    file: &SourceFile,
    manifest: &Manifest,
) -> Vec<Diagnostic> {
    let base = intent
        .manifest_path
        .parent()
        .unwrap_or(std::path::Path::new("/"));
    let mut diagnostics = Vec::new();
    for dependency in &manifest.dependencies {
        let Some((problem, hint)) = problem(intent, manifest, dependency) else {
            continue;
        };
        let line = file
            .text
            .get(..dependency.span.start)
            .map_or(1, |before| before.matches('\n').count() + 1);
        let location = format!(
            "{}:{line}",
            crate::source::relative(&file.path, base).display()
        );
        let message = format!("dependency `{}` ({location}) {problem}", dependency.package);
        diagnostics.push(intent.diagnostic_at(key, message).with_hint(hint));
    }
    diagnostics
}

/// What is wrong with `dependency` in an image, and how to fix it.
fn problem(
    intent: &Intent,
    manifest: &Manifest,
    dependency: &Dependency,
) -> Option<(String, String)> {
    let name = dependency.package.as_str();
    if let Some(path) = &dependency.path {
        if crate::crate_root::path_dependency_needs_std(path) {
            return Some((
                "is a crate of yours without `#![no_std]`".to_owned(),
                format!("add `#![no_std]` to the crate root of {}", path.display()),
            ));
        }
        return None;
    }
    let Some(known) = known_crates::known(name) else {
        if manifest.vouched.iter().any(|vouched| vouched == name) {
            return None;
        }
        return Some((
            "is not a crate sauce knows to build without `std`".to_owned(),
            format!(
                "if its documentation says it supports `no_std`, turn its `std` feature off (usually `default-features = false`) and vouch for it in Cargo.toml: `[package.metadata.sauce] no_std = [\"{name}\"]`; a crate that needs an operating system (threads, files, sockets) cannot run in an image"
            ),
        ));
    };
    match known.fit {
        Fit::Never { why } => Some((
            "cannot run in a SauceOS image".to_owned(),
            format!("remove it: {why}"),
        )),
        Fit::Sauce { forbidden } => {
            if let Some(feature) = first_of(&dependency.features, forbidden) {
                return Some((
                    format!("turns on `{feature}`, which is for host tests"),
                    format!("keep `{name} = \"0.1\"` in [dependencies] and put `features = [\"{feature}\"]` under [dev-dependencies]"),
                ));
            }
            let database = intent
                .databases
                .iter()
                .any(|database| database.kind.crate_name() == name);
            if name != "sauce-app" && !database {
                return Some((
                    "is supplied by sauce only to an intent with a `[[database]]` of its kind".to_owned(),
                    format!("add the `[[database]]` that `{name}` connects to in sauce.toml, or remove the dependency"),
                ));
            }
            None
        }
        Fit::Usable {
            without_defaults,
            required,
            forbidden,
            example,
        } => {
            if without_defaults && dependency.default_features {
                return Some((
                    "keeps its default features, which need `std`".to_owned(),
                    format!("declare it as `{example}`"),
                ));
            }
            if let Some(feature) = first_of(&dependency.features, forbidden) {
                return Some((
                    format!("turns on `{feature}`, which needs `std` or an operating system"),
                    format!("remove that feature: `{example}`"),
                ));
            }
            let missing = required
                .iter()
                .find(|feature| !dependency.features.iter().any(|on| on == *feature));
            missing.map(|feature| {
                (
                    format!("needs the feature `{feature}` without `std`"),
                    format!("declare it as `{example}`"),
                )
            })
        }
    }
}

fn first_of<'a>(features: &'a [String], forbidden: &[&str]) -> Option<&'a str> {
    features
        .iter()
        .map(String::as_str)
        .find(|feature| forbidden.contains(feature))
}
