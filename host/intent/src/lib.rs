//! sauce.toml → [`Intent`]: what the user asked for, parsed, validated and pointing back at its
//! source. The first stage of the pipeline (ARCHITECTURE.md, "The pipeline"): the selector, the code generator
//! and the runner only ever see an [`Intent`], never TOML.
//!
//! # Map
//! - [`mod@load`]: find `sauce.toml` from a file or folder path, read it, parse it ([`load()`]).
//! - [`document`]: walks the parsed TOML, checks every key and value, builds the [`Intent`]
//!   ([`parse`]), collecting every problem in one pass.
//! - [`keys`]: the keys of format version 1 as data, read by the checker and the schema.
//! - [`schema`]: the JSON Schema of sauce.toml ([`schema()`]).
//! - [`settings`]: `[app]`, `[network]`, `[resources]`, `[build]`, `[target]` as types.
//! - [`http`]: `[http]`, its routes and their responses as types.
//! - [`database`]: `[[database]]` as types; URL references and masking.
//! - [`origins`]: where each key was written ([`Origins`]).
//! - [`diagnostic`]: a problem pinned to a span, with a hint; JSON output.
//! - [`render`]: diagnostics laid out like rustc's, for people.
//! - [`content_type`]: content types by file extension; media-type syntax.
//! - [`name`]: the rules for an app name ([`AppName`]).
//! - [`memory`]: memory sizes such as `32MiB` ([`MemorySize`]), shared with the CLI's `--memory`.
//! - [`spelling`]: "did you mean …?" suggestions for misspelt keys and values.

#![forbid(unsafe_code)]

pub mod app_code;
pub mod content_type;
pub mod database;
pub mod diagnostic;
pub mod document;
pub mod http;
pub mod keys;
pub mod limits;
pub mod load;
pub mod machine;
pub mod memory;
pub mod name;
pub mod origins;
pub mod render;
pub mod schema;
pub mod settings;
pub mod spelling;
pub mod tcp;

use std::path::{Path, PathBuf};

use serde::Serialize;

pub use app_code::{AppCode, EnvDefault, Every};
pub use content_type::content_type_for;
pub use database::{Database, DatabaseKind};
pub use diagnostic::{diagnostics_to_json, Diagnostic, Severity};
pub use document::parse;
pub use http::{Http, NotFound, Route, RouteResponse};
pub use limits::{HttpLimits, Milliseconds};
pub use load::{load, LoadError};
pub use machine::Machine;
pub use memory::{MemorySize, MemorySizeError};
pub use name::{AppName, AppNameError};
pub use origins::{Origin, Origins};
pub use schema::schema;
pub use settings::{
    Addressing, App, Build, Network, Optimize, QemuMachine, Resources, Target, Vmm,
};
pub use tcp::{Tcp, TcpService};

/// The file name `sauce` looks for inside a project folder.
pub const MANIFEST_FILE_NAME: &str = "sauce.toml";

/// A valid intent: everything later stages need to know about one app.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Intent {
    /// Absolute path of the sauce.toml this intent came from.
    pub manifest_path: PathBuf,
    /// The text of that sauce.toml, so later stages can raise located diagnostics.
    #[serde(skip)]
    pub source: String,
    /// `[app]`.
    pub app: App,
    /// `[http]`: present ⇒ an HTTP service, absent ⇒ a serial-only app.
    pub http: Option<Http>,
    /// `[tcp]`: present ⇒ a TCP service that is not HTTP (echo).
    pub tcp: Option<Tcp>,
    /// `[[database]]`: databases the app's handlers use, in the order written.
    pub databases: Vec<Database>,
    /// `[network]`.
    pub network: Network,
    /// `[resources]`.
    pub resources: Resources,
    /// `[build]`.
    pub build: Build,
    /// `[target]`.
    pub target: Target,
    /// Where each key was written.
    pub origins: Origins,
}

impl Intent {
    /// Whether the image serves (or speaks) anything over the network: `[http]`, `[tcp]`, or
    /// a `[[database]]` it connects to.
    pub fn uses_network(&self) -> bool {
        self.http.is_some() || self.tcp.is_some() || !self.databases.is_empty()
    }

    /// The folder holding the sauce.toml: relative paths in the intent start here.
    pub fn project_folder(&self) -> &Path {
        self.manifest_path.parent().unwrap_or(Path::new("."))
    }

    /// A diagnostic located at the key `key` ("resources.memory", "http.route.2.path" …), or at
    /// the start of the file when the intent does not contain it; for errors found by later
    /// stages (the selector's memory bound, say).
    pub fn diagnostic_at(&self, key: &str, message: impl Into<String>) -> Diagnostic {
        let span = self
            .origins
            .get(key)
            .map_or(0..0, |origin| origin.span.clone());
        Diagnostic::at(&self.manifest_path, &self.source, span, message)
    }

    /// The 1-based line of `key` in sauce.toml (for comments such as `sauce.toml:12`), if the
    /// intent contains it.
    pub fn line_of(&self, key: &str) -> Option<u32> {
        self.origins.get(key).map(|origin| origin.line)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SOURCE: &str = "[app]\nname = \"web\"\n\n[resources]\nmemory = \"4MiB\"\n";

    fn intent() -> Intent {
        parse(Path::new("/project/sauce.toml"), SOURCE).unwrap()
    }

    #[test]
    fn later_stages_point_at_keys() {
        let intent = intent();
        assert_eq!(intent.line_of("resources.memory"), Some(5));
        assert_eq!(intent.line_of("resources.vcpus"), None);
        let diagnostic = intent.diagnostic_at("resources.memory", "this image needs 8MiB");
        assert_eq!(
            (diagnostic.line, diagnostic.column, diagnostic.end_column),
            (5, 10, 16)
        );
        assert_eq!(diagnostic.source_line, "memory = \"4MiB\"");
        let nowhere = intent.diagnostic_at("http.port", "no HTTP");
        assert_eq!((nowhere.line, nowhere.column), (1, 1));
        assert_eq!(intent.project_folder(), Path::new("/project"));
    }

    #[test]
    fn serialises_without_the_source() {
        let json: serde_json::Value = serde_json::to_value(intent()).unwrap();
        assert_eq!(json["app"]["name"], "web");
        assert_eq!(json["resources"]["memory"], 4 << 20);
        assert_eq!(json["build"]["optimize"], "size");
        assert_eq!(json["target"]["vmm"], "qemu");
        assert_eq!(json["origins"]["app.name"]["line"], 2);
        assert!(json.get("source").is_none());
    }
}
