//! sauce.toml → `Intent`: what the user asked for, parsed, validated and pointing back at its source.
//!
//! The first stage of the pipeline (design brief §1): the code generator and the runner only ever
//! see an [`Intent`], never TOML.
//!
//! - [`mod@load`]: find `sauce.toml` from a file or folder path, read it, parse it ([`load()`]).
//! - [`document`]: walks the parsed TOML tables, checks keys and values, builds the [`Intent`].
//! - [`diagnostic`]: an error pinned to `file:line:column`, with a hint saying how to fix it.
//! - [`name`]: the rules for an app name ([`AppName`]).
//! - [`spelling`]: "did you mean …?" suggestions for misspelt keys.
//! - [`memory`]: memory sizes such as `32MiB` ([`MemorySize`]), shared with the CLI's `--memory`.
//!
//! This version reads `[app] name`, `[resources] memory`, `[http]` (port, `body` routes) and
//! `[network]`; `[build]` and `[target]` are accepted and not yet used.

#![forbid(unsafe_code)]

pub mod diagnostic;
pub mod document;
pub mod load;
pub mod memory;
pub mod name;
pub mod spelling;

use std::path::{Path, PathBuf};

pub use diagnostic::Diagnostic;
pub use load::{load, LoadError};
pub use memory::{MemorySize, MemorySizeError};
pub use name::{AppName, AppNameError};

/// The file name `sauce` looks for inside a project folder.
pub const MANIFEST_FILE_NAME: &str = "sauce.toml";

/// A valid intent: everything later stages need to know about one app.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Intent {
    /// Absolute path of the sauce.toml this intent came from.
    pub manifest_path: PathBuf,
    /// The `[app]` table.
    pub app: App,
    /// The `[resources]` table.
    pub resources: Resources,
    /// The `[http]` table: present ⇒ an HTTP service, absent ⇒ a serial-only app.
    pub http: Option<Http>,
    /// The `[network]` table.
    pub network: Network,
}

/// The `[http]` table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Http {
    /// `port`: the guest TCP port (default 80).
    pub port: u16,
    /// `[[http.route]]`, in declaration order.
    pub routes: Vec<Route>,
}

/// One `[[http.route]]` (this version: inline `body` routes).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Route {
    /// An exact path, or a prefix ending in `/*`.
    pub path: String,
    /// The response body.
    pub body: String,
    /// `content_type`, default `text/plain; charset=utf-8`.
    pub content_type: String,
    /// `status`, default 200.
    pub status: u16,
}

/// The `[network]` table.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Network {
    /// `ip`: `"10.0.2.15/24"` or `"dhcp"`; the board's default when absent.
    pub ip: Option<String>,
    /// `gateway`.
    pub gateway: Option<String>,
}

impl Intent {
    /// The folder holding the sauce.toml: relative paths in the intent start here.
    pub fn project_folder(&self) -> &Path {
        self.manifest_path.parent().unwrap_or(Path::new("."))
    }
}

/// The `[app]` table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct App {
    /// `name`: names the image, the generated crate and its binary.
    pub name: AppName,
}

/// The `[resources]` table.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Resources {
    /// `memory`: guest RAM given to the VMM, when the intent says so.
    pub memory: Option<MemorySize>,
}
