//! One `component.toml`: what a component provides and needs, when it initialises, its
//! configuration (components/README.md).

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// Init stages, in boot order: a board initialises every component of one stage before the next.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Stage {
    /// Before memory management: consoles.
    Early,
    /// Platform services: the executor.
    Platform,
    /// Heaps.
    Memory,
    /// Device drivers and their transports.
    Driver,
    /// Network stacks.
    Net,
    /// What the app serves.
    App,
}

impl Stage {
    /// The name used in component.toml and in generated comments.
    pub const fn as_str(self) -> &'static str {
        match self {
            Stage::Early => "early",
            Stage::Platform => "platform",
            Stage::Memory => "memory",
            Stage::Driver => "driver",
            Stage::Net => "net",
            Stage::App => "app",
        }
    }
}

/// How a component uses the heap, measured (docs/design/0008).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Allocation {
    /// Never allocates.
    None,
    /// Allocates only while initialising; never frees afterwards.
    Boot,
    /// Allocates and frees while running.
    Steady,
}

/// One typed configuration entry, `[config.<key>]`.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigEntry {
    /// `integer`, `size`, `string` or `boolean`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The default value, as written.
    pub default: toml::Value,
    /// What it configures.
    pub doc: String,
}

/// A parsed `component.toml`.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ComponentManifest {
    /// The component's name; its crate is `sauce-<name>` in `components/<name>`.
    pub name: String,
    /// One line saying what it is.
    pub summary: String,
    /// Contracts it provides (`heap`, `net-device`, …).
    #[serde(default)]
    pub provides: Vec<String>,
    /// Contracts it needs some selected component to provide.
    #[serde(default)]
    pub requires: Vec<String>,
    /// Components that go well with it; shown by `sauce plan`, never selected by themselves.
    #[serde(default)]
    pub suggests: Vec<String>,
    /// Components it cannot share an image with.
    #[serde(default)]
    pub conflicts: Vec<String>,
    /// When the board initialises it.
    pub stage: Stage,
    /// Why it needs `unsafe`, when it does.
    #[serde(default, rename = "unsafe")]
    pub unsafe_reason: Option<String>,
    /// How it uses the heap; `steady` when not stated.
    #[serde(default)]
    pub allocation: Option<Allocation>,
    /// Bytes it adds to an image, as measured: `"12 KiB"`.
    #[serde(default)]
    pub estimated_size: Option<String>,
    /// `[config.<key>]` entries.
    #[serde(default)]
    pub config: BTreeMap<String, ConfigEntry>,
    /// The folder holding the crate (set by the catalog, not read from the file).
    #[serde(skip)]
    pub folder: PathBuf,
}

impl ComponentManifest {
    /// Parses the text of a component.toml.
    pub fn parse(text: &str) -> Result<ComponentManifest, toml::de::Error> {
        toml::from_str(text)
    }

    /// The crate's package name.
    pub fn package(&self) -> String {
        format!("sauce-{}", self.name)
    }

    /// The crate's library name, as written in `use` paths.
    pub fn library(&self) -> String {
        self.package().replace('-', "_")
    }

    /// How it uses the heap (`steady` unless the manifest says otherwise).
    pub fn allocation(&self) -> Allocation {
        self.allocation.unwrap_or(Allocation::Steady)
    }

    /// [`Self::estimated_size`] in bytes, when stated and readable.
    pub fn estimated_bytes(&self) -> Option<u64> {
        let text = self.estimated_size.as_deref()?.trim();
        let (number, unit) = text.split_at(text.find(|c: char| !c.is_ascii_digit() && c != '.')?);
        let number: f64 = number.parse().ok()?;
        let scale = match unit.trim() {
            "B" => 1.0,
            "KiB" => 1024.0,
            "MiB" => 1024.0 * 1024.0,
            _ => return None,
        };
        Some((number * scale).round() as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAP: &str = r#"
name = "heap-bump"
summary = "Bump allocator"
provides = ["heap"]
conflicts = ["heap-talc"]
stage = "memory"
unsafe = "implements GlobalAlloc"
allocation = "none"
estimated_size = "1.5 KiB"

[config.size]
type = "size"
default = "1MiB"
doc = "heap size"
"#;

    #[test]
    fn a_manifest_parses_with_every_field() {
        let manifest = ComponentManifest::parse(HEAP).unwrap();
        assert_eq!(manifest.name, "heap-bump");
        assert_eq!(manifest.provides, ["heap"]);
        assert!(manifest.requires.is_empty());
        assert_eq!(manifest.stage, Stage::Memory);
        assert_eq!(manifest.allocation(), Allocation::None);
        assert_eq!(manifest.estimated_bytes(), Some(1536));
        assert_eq!(manifest.config["size"].kind, "size");
        assert_eq!(manifest.package(), "sauce-heap-bump");
        assert_eq!(manifest.library(), "sauce_heap_bump");
    }

    #[test]
    fn unknown_fields_are_errors() {
        let error = ComponentManifest::parse(&format!("{HEAP}\nprovide = []")).unwrap_err();
        assert!(error.to_string().contains("provide"), "{error}");
    }

    #[test]
    fn stages_sort_in_boot_order() {
        let mut stages = [
            Stage::App,
            Stage::Early,
            Stage::Net,
            Stage::Memory,
            Stage::Driver,
            Stage::Platform,
        ];
        stages.sort();
        assert_eq!(
            stages.map(Stage::as_str),
            ["early", "platform", "memory", "driver", "net", "app"]
        );
    }
}
