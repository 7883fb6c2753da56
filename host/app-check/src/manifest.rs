//! The app crate's Cargo.toml as the checks need it: its library's root, the dependencies the
//! image builds (with where each is written) and the crates the author vouches for.

use std::ops::Range;
use std::path::{Path, PathBuf};

use toml::de::{DeTable, DeValue};
use toml::Spanned;

/// One dependency the image compiles (`[dependencies]` or a `[target.….dependencies]`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dependency {
    /// The package's name on its registry (`package = "…"` when renamed).
    pub package: String,
    /// Where its entry is written in Cargo.toml (the key).
    pub span: Range<usize>,
    /// `default-features` (true when absent).
    pub default_features: bool,
    /// `features`.
    pub features: Vec<String>,
    /// `path = "…"`, resolved from the crate's folder.
    pub path: Option<PathBuf>,
    /// `git = "…"`.
    pub git: bool,
}

/// What the checks read from an app's Cargo.toml.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Manifest {
    /// `[lib] path`, from the crate's folder; `src/lib.rs` when absent.
    pub library_root: PathBuf,
    /// The dependencies the image builds, in the order written.
    pub dependencies: Vec<Dependency>,
    /// `[package.metadata.sauce] no_std = ["…"]`: crates the author has checked build without
    /// `std`, accepted though sauce does not know them.
    pub vouched: Vec<String>,
}

impl Manifest {
    /// Reads `text`, the Cargo.toml of the crate in `folder`; `Err` is TOML's own message and
    /// where it points.
    pub fn parse(folder: &Path, text: &str) -> Result<Manifest, (String, Range<usize>)> {
        let root = DeTable::parse(text)
            .map_err(|error| (error.message().to_owned(), error.span().unwrap_or(0..0)))?;
        let root = root.get_ref();
        let library_root = table(root, "lib")
            .and_then(|library| string(library, "path"))
            .map_or_else(
                || folder.join("src").join("lib.rs"),
                |path| folder.join(path),
            );
        let mut dependencies = Vec::new();
        if let Some(listed) = table(root, "dependencies") {
            read_dependencies(folder, listed, &mut dependencies);
        }
        if let Some(targets) = table(root, "target") {
            for (_, target) in targets {
                if let DeValue::Table(target) = target.get_ref() {
                    if let Some(listed) = table(target, "dependencies") {
                        read_dependencies(folder, listed, &mut dependencies);
                    }
                }
            }
        }
        dependencies.sort_by_key(|dependency| dependency.span.start);
        let vouched = table(root, "package")
            .and_then(|package| table(package, "metadata"))
            .and_then(|metadata| table(metadata, "sauce"))
            .map(|sauce| strings(sauce, "no_std"))
            .unwrap_or_default();
        Ok(Manifest {
            library_root,
            dependencies,
            vouched,
        })
    }
}

fn read_dependencies(folder: &Path, listed: &DeTable<'_>, found: &mut Vec<Dependency>) {
    for (name, entry) in listed {
        let mut dependency = Dependency {
            package: name.get_ref().to_string(),
            span: name.span(),
            default_features: true,
            features: Vec::new(),
            path: None,
            git: false,
        };
        if let DeValue::Table(details) = entry.get_ref() {
            if let Some(package) = string(details, "package") {
                dependency.package = package.to_owned();
            }
            let default = boolean(details, "default-features")
                .or_else(|| boolean(details, "default_features"));
            dependency.default_features = default.unwrap_or(true);
            dependency.features = strings(details, "features");
            dependency.path = string(details, "path").map(|path| folder.join(path));
            dependency.git = details.get("git").is_some();
        }
        found.push(dependency);
    }
}

fn value<'a>(table: &'a DeTable<'_>, key: &str) -> Option<&'a DeValue<'a>> {
    table.get(key).map(Spanned::get_ref)
}

fn table<'a>(parent: &'a DeTable<'_>, key: &str) -> Option<&'a DeTable<'a>> {
    match value(parent, key) {
        Some(DeValue::Table(table)) => Some(table),
        _ => None,
    }
}

fn string<'a>(table: &'a DeTable<'_>, key: &str) -> Option<&'a str> {
    match value(table, key) {
        Some(DeValue::String(text)) => Some(text),
        _ => None,
    }
}

fn boolean(table: &DeTable<'_>, key: &str) -> Option<bool> {
    match value(table, key) {
        Some(DeValue::Boolean(flag)) => Some(*flag),
        _ => None,
    }
}

fn strings(table: &DeTable<'_>, key: &str) -> Vec<String> {
    match value(table, key) {
        Some(DeValue::Array(items)) => items
            .iter()
            .filter_map(|item| match item.get_ref() {
                DeValue::String(text) => Some(text.to_string()),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dependencies_are_read_with_their_spans() {
        let text = "[package]\nname = \"a\"\n[package.metadata.sauce]\nno_std = [\"tiny\"]\n\
                    [lib]\npath = \"lib/root.rs\"\n[dependencies]\nsauce-app = \"0.1\"\n\
                    json = { package = \"serde_json\", version = \"1\", default-features = false, features = [\"alloc\"] }\n\
                    local = { path = \"../local\" }\n[target.'cfg(unix)'.dependencies]\nlibc = \"0.2\"\n\
                    [dev-dependencies]\nproptest = \"1\"\n";
        let manifest = Manifest::parse(Path::new("/app"), text).unwrap();
        assert_eq!(manifest.library_root, Path::new("/app/lib/root.rs"));
        assert_eq!(manifest.vouched, ["tiny"]);
        let names: Vec<&str> = manifest
            .dependencies
            .iter()
            .map(|dependency| dependency.package.as_str())
            .collect();
        assert_eq!(names, ["sauce-app", "serde_json", "local", "libc"]);
        let json = &manifest.dependencies[1];
        assert_eq!(&text[json.span.clone()], "json");
        assert!(!json.default_features);
        assert_eq!(json.features, ["alloc"]);
        assert_eq!(
            manifest.dependencies[2].path.as_deref(),
            Some(Path::new("/app/../local"))
        );
    }

    #[test]
    fn a_broken_manifest_says_where() {
        let (message, span) = Manifest::parse(Path::new("/app"), "[dependencies\n").unwrap_err();
        assert!(!message.is_empty());
        assert!(span.start <= 14);
    }
}
