//! Cargo.toml of a generated app crate: allowlisted dependencies declared for no_std, and nothing
//! that runs code on the build machine or swaps sources (`build`, `[build-dependencies]`,
//! proc-macro libraries, `[patch]`, `[replace]`, git, path and other registries).

use toml::{Table, Value};

use super::allowlist::allowed_crate;
use super::{Check, Finding};
use crate::project::ProjectPath;

const FILE: &str = "Cargo.toml";

/// Every finding about `source`, the text of Cargo.toml.
pub fn check_manifest(source: &str) -> Vec<Finding> {
    let finding = |check, message: String| Finding::in_file(check, FILE, message);
    let table: Table = match toml::from_str(source) {
        Ok(table) => table,
        Err(error) => {
            return vec![finding(
                Check::Manifest,
                format!("Cargo.toml is not valid TOML: {}", error.message()),
            )]
        }
    };
    let mut findings = Vec::new();
    match table.get("package").and_then(Value::as_table) {
        Some(package) => {
            if package.contains_key("build") {
                findings.push(finding(Check::BuildScript, "`package.build` names a build script; generated projects may not run code at build time: remove it".to_owned()));
            }
            if package.contains_key("links") {
                findings.push(finding(
                    Check::BuildScript,
                    "`package.links` links a native library; remove it".to_owned(),
                ));
            }
        }
        None => findings.push(finding(
            Check::Manifest,
            "Cargo.toml has no `[package]` table; the app crate is one package".to_owned(),
        )),
    }
    if table.contains_key("cargo-features") {
        findings.push(finding(
            Check::Manifest,
            "`cargo-features` enables unstable Cargo features; remove it".to_owned(),
        ));
    }
    for key in ["patch", "replace"] {
        if table.contains_key(key) {
            findings.push(finding(
                Check::Source,
                format!("`[{key}]` replaces crates with other sources; remove it"),
            ));
        }
    }
    if let Some(library) = table.get("lib").and_then(Value::as_table) {
        for key in ["proc-macro", "proc_macro"] {
            if library.get(key).and_then(Value::as_bool) == Some(true) {
                findings.push(finding(Check::ProcMacro, "`[lib] proc-macro = true` makes the app crate a procedural macro, which runs on the build machine; remove it".to_owned()));
            }
        }
    }
    for (section, entries) in [
        ("lib", table.get("lib")),
        ("bin", table.get("bin")),
        ("test", table.get("test")),
        ("example", table.get("example")),
        ("bench", table.get("bench")),
    ] {
        let targets: Vec<&Table> = match entries {
            Some(Value::Table(target)) => vec![target],
            Some(Value::Array(list)) => list.iter().filter_map(Value::as_table).collect(),
            _ => Vec::new(),
        };
        for target in targets {
            if let Some(path) = target.get("path").and_then(Value::as_str) {
                if ProjectPath::parse(path).map(|path| path.is_rust()) != Ok(true) {
                    findings.push(finding(
                        Check::Include,
                        format!(
                            "`[{section}] path = {path:?}` points outside the project's Rust files"
                        ),
                    ));
                }
            }
        }
    }
    let mut sections: Vec<(String, &Table)> = Vec::new();
    for key in [
        "dependencies",
        "dev-dependencies",
        "dev_dependencies",
        "build-dependencies",
        "build_dependencies",
    ] {
        if let Some(entries) = table.get(key).and_then(Value::as_table) {
            sections.push((key.to_owned(), entries));
        }
    }
    if let Some(targets) = table.get("target").and_then(Value::as_table) {
        for (platform, target) in targets {
            for key in [
                "dependencies",
                "dev-dependencies",
                "dev_dependencies",
                "build-dependencies",
                "build_dependencies",
            ] {
                if let Some(entries) = target.get(key).and_then(Value::as_table) {
                    sections.push((format!("target.{platform}.{key}"), entries));
                }
            }
        }
    }
    for (section, entries) in sections {
        if section.contains("build") {
            findings.push(finding(Check::BuildScript, format!("`[{section}]` is for build scripts, which generated projects may not have; remove it")));
            continue;
        }
        let development = section.contains("dev");
        for (name, specification) in entries {
            check_dependency(&section, name, specification, development, &mut findings);
        }
    }
    findings
}

fn check_dependency(
    section: &str,
    name: &str,
    specification: &Value,
    development: bool,
    findings: &mut Vec<Finding>,
) {
    let mut finding =
        |check, message: String| findings.push(Finding::in_file(check, FILE, message));
    let details = specification.as_table();
    let package = details
        .and_then(|details| details.get("package"))
        .and_then(Value::as_str)
        .unwrap_or(name);
    let Some(allowed) = allowed_crate(package) else {
        finding(
            Check::Dependency,
            format!(
                "`{package}` (in `[{section}]`) is not on sauce's allowlist of crates ({}); write the code with those, or ask for the crate to be added",
                super::allowlist::allowed_names().join(", ")
            ),
        );
        return;
    };
    let Some(details) = details else {
        if specification.is_str() && allowed.default_features_off && !development {
            finding(
                Check::Dependency,
                format!(
                    "`{name}` needs `default-features = false` in a no_std app: `{}`",
                    allowed.example
                ),
            );
        }
        return;
    };
    for (key, what) in [
        ("git", "a git repository"),
        ("path", "a local path"),
        ("registry", "another registry"),
        ("registry-index", "another registry"),
    ] {
        if details.contains_key(key)
            && !(allowed.sauce_own && key != "registry" && key != "registry-index")
        {
            finding(
                Check::Source,
                format!(
                    "`{name}` comes from {what}; use the crates.io release: `{}`",
                    allowed.example
                ),
            );
        }
    }
    if details.get("workspace").and_then(Value::as_bool) == Some(true) {
        finding(
            Check::Source,
            format!(
                "`{name}` is inherited from a workspace the app crate does not have; write `{}`",
                allowed.example
            ),
        );
    }
    let default_features = details
        .get("default-features")
        .or_else(|| details.get("default_features"))
        .and_then(Value::as_bool)
        .unwrap_or(true);
    if allowed.default_features_off && default_features && !development {
        finding(
            Check::Dependency,
            format!(
                "`{name}` needs `default-features = false` in a no_std app: `{}`",
                allowed.example
            ),
        );
    }
    let features = details
        .get("features")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    for feature in features.iter().filter_map(Value::as_str) {
        if allowed.forbidden_features.contains(&feature) && !development {
            finding(Check::Dependency, format!("`{name}` with feature `{feature}` needs std, which a SauceOS image does not have; remove the feature"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn messages(source: &str) -> Vec<String> {
        check_manifest(source)
            .iter()
            .map(|finding| finding.message.clone())
            .collect()
    }

    const GOOD: &str = "[package]\nname = \"shop\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\nsauce-app = \"0.1\"\nserde = { version = \"1\", default-features = false, features = [\"derive\", \"alloc\"] }\nserde_json = { version = \"1\", default-features = false, features = [\"alloc\"] }\nheapless = \"0.8\"\n\n[dev-dependencies]\nserde_json = \"1\"\n";

    #[test]
    fn a_good_manifest_passes() {
        assert_eq!(messages(GOOD), Vec::<String>::new());
    }

    #[test]
    fn unknown_crates_and_std_features_are_refused() {
        let found = messages("[package]\nname = \"a\"\n[dependencies]\ntokio = \"1\"\nserde = \"1\"\nserde_json = { version = \"1\", default-features = false, features = [\"std\"] }\nrenamed = { package = \"reqwest\", version = \"0.12\" }\n");
        assert_eq!(found.len(), 4, "{found:#?}");
        assert!(
            found[0].starts_with("`reqwest` (in `[dependencies]`) is not on sauce's allowlist"),
            "{}",
            found[0]
        );
        assert!(
            found[1].contains("`serde` needs `default-features = false`"),
            "{}",
            found[1]
        );
        assert!(found[2].contains("feature `std` needs std"), "{}", found[2]);
        assert!(found[3].starts_with("`tokio`"), "{}", found[3]);
    }

    #[test]
    fn build_time_code_and_source_swaps_are_refused() {
        let found = check_manifest(
            "cargo-features = [\"x\"]\n[package]\nname = \"a\"\nbuild = \"build.rs\"\nlinks = \"z\"\n[lib]\nproc-macro = true\npath = \"../evil.rs\"\n[build-dependencies]\ncc = \"1\"\n[target.'cfg(unix)'.build-dependencies]\ncc = \"1\"\n[dependencies]\nheapless = { git = \"https://example.com/heapless\" }\nlibm = { path = \"../libm\" }\nitoa = { version = \"1\", registry = \"evil\" }\nsauce-app = { path = \"../sauce/app\" }\n[patch.crates-io]\nserde = { path = \"x\" }\n[replace]\n",
        );
        let checks: Vec<Check> = found.iter().map(|finding| finding.check).collect();
        assert_eq!(
            checks,
            [
                Check::BuildScript,
                Check::BuildScript,
                Check::Manifest,
                Check::Source,
                Check::Source,
                Check::ProcMacro,
                Check::Include,
                Check::Source,
                Check::Source,
                Check::Source,
                Check::BuildScript,
                Check::BuildScript,
            ],
            "{found:#?}"
        );
    }

    #[test]
    fn broken_manifests_are_findings() {
        assert!(messages("[package\n")[0].starts_with("Cargo.toml is not valid TOML"));
        assert!(messages("[dependencies]\n")[0].contains("no `[package]` table"));
    }
}
