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
    /// Protocols served or spoken over the network (HTTP, echo, DHCP): planned from the heap
    /// and made before the stack that carries them.
    Protocol,
    /// Network stacks: they collect the protocols and run the network loop.
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
            Stage::Protocol => "protocol",
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

/// One typed configuration entry, `[config.<key>]`: a field of the component's
/// `board::Configuration`, which the generated board fills from this default or the intent.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigEntry {
    /// `integer`, `size` (`"8KiB"`, as bytes), `duration` (`"10s"`, as milliseconds),
    /// `boolean`, `string`, `address` (`"10.0.2.15/24"` or `"dhcp"`) or `gateway`
    /// (`"10.0.2.2"` or `"none"`).
    #[serde(rename = "type")]
    pub kind: String,
    /// The default value, as written.
    pub default: toml::Value,
    /// What it configures.
    pub doc: String,
    /// The intent key that overrides the default, when the intent language has one
    /// (`"http.limits.header_size"`).
    #[serde(default)]
    pub intent: Option<String>,
}

/// What a component holds on the heap, measured (`bench/component_sizes.py`): the memory
/// budget of an image is the sum over its components.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MemoryFigures {
    /// Heap bytes it allocates while the board starts, as `"120 KiB"`.
    #[serde(default, with = "size_text")]
    pub boot: u64,
    /// Heap bytes each connection it serves can hold at worst (network services).
    #[serde(default, with = "size_text")]
    pub per_connection: u64,
    /// Configuration values (`"<component>.<key>"`, sizes) each connection holds besides
    /// [`Self::per_connection`] (the HTTP head buffer is `http-server.header_limit`).
    #[serde(default)]
    pub per_connection_plus: Vec<String>,
    /// The configuration value (`"<component>.<key>"`) that says how many connections are
    /// planned for.
    #[serde(default)]
    pub connections: Option<String>,
}

/// Sizes in manifests: `"120 KiB"`, `"1.5 KiB"`, `"2 MiB"`, `"512 B"`.
mod size_text {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &u64, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u64(*bytes)
    }

    pub fn deserialize<'d, D: Deserializer<'d>>(deserializer: D) -> Result<u64, D::Error> {
        let text = String::deserialize(deserializer)?;
        super::parse_size(&text).ok_or_else(|| {
            serde::de::Error::custom(format!("`{text}` is not a size such as \"12 KiB\""))
        })
    }
}

/// Bytes in `"12 KiB"`, `"1.5 KiB"`, `"2 MiB"` or `"512 B"`.
pub fn parse_size(text: &str) -> Option<u64> {
    let text = text.trim();
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

/// A parsed `component.toml`.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ComponentManifest {
    /// The component's name; its crate is `sauce-<name>` in `components/<name>`, unless
    /// [`Self::crate_package`] names another.
    pub name: String,
    /// The crate's package name when it is not `sauce-<name>` (`package = "sauce-postgres"`
    /// for `postgres-client`: apps depend on the client by that name).
    #[serde(default, rename = "package")]
    pub crate_package: Option<String>,
    /// One line saying what it is.
    pub summary: String,
    /// Contracts it provides (`heap`, `net-device`, …).
    #[serde(default)]
    pub provides: Vec<String>,
    /// Contracts it needs some selected component to provide; they initialise first and its
    /// snippet receives them.
    #[serde(default)]
    pub requires: Vec<String>,
    /// Contracts it takes when a selected component provides them (its snippet receives
    /// `Some(…)` or `None`); never selects a provider by itself.
    #[serde(default)]
    pub uses: Vec<String>,
    /// Contracts several components may provide, all of which it takes (the network stack
    /// collects `network-service`): every provider initialises first.
    #[serde(default)]
    pub collects: Vec<String>,
    /// Contracts whose provider must be in the image and collects this component: it
    /// initialises after this one (a network service `within` the TCP/IP stack).
    #[serde(default)]
    pub within: Vec<String>,
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
    /// What it holds on the heap.
    #[serde(default)]
    pub memory: MemoryFigures,
    /// Its wiring snippet, `board.rs.j2` in its folder (read by the catalog, not from the
    /// manifest).
    #[serde(skip)]
    pub snippet: Option<String>,
    /// The folder holding the crate (set by the catalog, not read from the file).
    #[serde(skip)]
    pub folder: PathBuf,
    /// Whether it comes from a folder on `SAUCE_COMPONENT_PATH`, not the source tree.
    #[serde(skip)]
    pub out_of_tree: bool,
}

impl ComponentManifest {
    /// Parses the text of a component.toml.
    pub fn parse(text: &str) -> Result<ComponentManifest, toml::de::Error> {
        toml::from_str(text)
    }

    /// The crate's package name.
    pub fn package(&self) -> String {
        self.crate_package
            .clone()
            .unwrap_or_else(|| format!("sauce-{}", self.name))
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
        parse_size(self.estimated_size.as_deref()?)
    }

    /// The board variable of `contract`: `net-device` is `net_device`.
    pub fn variable(contract: &str) -> String {
        contract.replace('-', "_")
    }

    /// The name of the component's configuration constant in a board: `HTTP_SERVER`.
    pub fn configuration_constant(&self) -> String {
        Self::configuration_constant_of(&self.name)
    }

    /// [`Self::configuration_constant`] of the component named `name`.
    pub fn configuration_constant_of(name: &str) -> String {
        name.replace('-', "_").to_uppercase()
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
        let renamed = ComponentManifest::parse(
            "name = \"postgres-client\"\npackage = \"sauce-postgres\"\nsummary = \"s\"\nprovides = []\nstage = \"app\"\n",
        )
        .unwrap();
        assert_eq!(
            (renamed.package(), renamed.library()),
            ("sauce-postgres".to_owned(), "sauce_postgres".to_owned())
        );
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
            Stage::Protocol,
            Stage::Memory,
            Stage::Driver,
            Stage::Platform,
        ];
        stages.sort();
        assert_eq!(
            stages.map(Stage::as_str),
            ["early", "platform", "memory", "driver", "protocol", "net", "app"]
        );
    }
}
