//! Security checks on a generated project, each returning findings that the loop feeds back to
//! the model like a compiler error.
//!
//! - [`tokens`]: `unsafe`, FFI, assembly, `env!`, includes outside the project, host access.
//! - [`manifest`]: Cargo.toml: allowlisted dependencies, no build-time code, no source swaps.
//! - [`allowlist`]: the crates sauce allows ([`ALLOWED_CRATES`]).
//! - [`addresses`]: outbound addresses the intent does not declare.
//!
//! [`check_sources`] runs before anything is compiled (a build script or proc macro would run
//! on the developer's machine during the build); [`check_budgets`] runs after the build.

pub mod addresses;
pub mod allowlist;
pub mod manifest;
pub mod tokens;

use std::fmt;
use std::time::Duration;

pub use allowlist::{AllowedCrate, ALLOWED_CRATES};

use crate::project::ProjectFiles;

/// The lints the integrator's clippy run denies on generated app crates.
pub const CLIPPY_DENY_LINTS: &[&str] = &[
    "clippy::unwrap_used",
    "clippy::expect_used",
    "clippy::panic",
    "clippy::indexing_slicing",
    "clippy::todo",
    "clippy::unimplemented",
    "clippy::dbg_macro",
    "clippy::mem_forget",
    "clippy::exit",
    "warnings",
];

/// Which check a finding comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Check {
    /// `unsafe`, or a library root without `#![forbid(unsafe_code)]`.
    Unsafe,
    /// Foreign functions, exported symbols, linker attributes, assembly.
    Ffi,
    /// `env!`/`option_env!`.
    Environment,
    /// `include!`-family or `#[path]` outside the project.
    Include,
    /// `std::process`, `std::fs`, `std::net`, `std::env`, `std::os`.
    HostAccess,
    /// A file that does not lex as Rust.
    Syntax,
    /// A dependency off the allowlist or declared wrongly for no_std.
    Dependency,
    /// A git, path or foreign-registry source, `[patch]`, `[replace]`.
    Source,
    /// A build script or build dependencies.
    BuildScript,
    /// A procedural-macro library.
    ProcMacro,
    /// Cargo.toml is malformed or uses unstable features.
    Manifest,
    /// An outbound address the intent does not declare.
    Address,
    /// Source, image size or build time over budget.
    Budget,
}

impl Check {
    /// The check's name in messages (`security/unsafe`).
    pub fn name(self) -> &'static str {
        match self {
            Check::Unsafe => "unsafe",
            Check::Ffi => "ffi",
            Check::Environment => "build-environment",
            Check::Include => "include",
            Check::HostAccess => "host-access",
            Check::Syntax => "syntax",
            Check::Dependency => "dependency",
            Check::Source => "dependency-source",
            Check::BuildScript => "build-script",
            Check::ProcMacro => "proc-macro",
            Check::Manifest => "manifest",
            Check::Address => "address",
            Check::Budget => "budget",
        }
    }
}

/// One problem, located when it can be.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// The check.
    pub check: Check,
    /// The project file, if the finding is about one.
    pub file: Option<String>,
    /// 1-based line.
    pub line: Option<usize>,
    /// 1-based column.
    pub column: Option<usize>,
    /// What is wrong and how to fix it.
    pub message: String,
}

impl Finding {
    /// A finding at a position in a file.
    pub fn at(check: Check, file: &str, line: usize, column: usize, message: String) -> Self {
        Self {
            check,
            file: Some(file.to_owned()),
            line: Some(line),
            column: Some(column),
            message,
        }
    }

    /// A finding about a whole file.
    pub fn in_file(check: Check, file: &str, message: String) -> Self {
        Self {
            check,
            file: Some(file.to_owned()),
            line: None,
            column: None,
            message,
        }
    }

    /// A finding about the whole project.
    pub fn project(check: Check, message: String) -> Self {
        Self {
            check,
            file: None,
            line: None,
            column: None,
            message,
        }
    }
}

impl fmt::Display for Finding {
    /// Laid out like a compiler error: `error[security/unsafe]: …` then ` --> file:line:column`.
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            formatter,
            "error[security/{}]: {}",
            self.check.name(),
            self.message
        )?;
        match (&self.file, self.line, self.column) {
            (Some(file), Some(line), Some(column)) => {
                write!(formatter, "\n  --> {file}:{line}:{column}")
            }
            (Some(file), Some(line), None) => write!(formatter, "\n  --> {file}:{line}"),
            (Some(file), None, _) => write!(formatter, "\n  --> {file}"),
            (None, ..) => Ok(()),
        }
    }
}

/// Renders findings for the model and the user, one block each, separated by blank lines.
pub fn render_findings(findings: &[Finding]) -> String {
    findings
        .iter()
        .map(|finding| format!("{finding}\n\n"))
        .collect::<String>()
        .trim_end()
        .to_owned()
}

/// Budgets and declarations the checks compare against.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SecurityPolicy {
    /// The most bytes of Rust source a generated project may hold.
    pub max_source_bytes: usize,
    /// The most files a generated project may hold.
    pub max_files: usize,
    /// The largest image, in bytes.
    pub max_image_size: u64,
    /// The longest build.
    pub max_build_time: Duration,
    /// Hosts and addresses the project may name besides those sauce.toml declares.
    pub declared_addresses: Vec<String>,
}

impl Default for SecurityPolicy {
    fn default() -> Self {
        Self {
            max_source_bytes: 256 << 10,
            max_files: 200,
            max_image_size: 8 << 20,
            max_build_time: Duration::from_secs(300),
            declared_addresses: Vec::new(),
        }
    }
}

/// The checks that read the files only: run before anything is built.
pub fn check_sources(files: &ProjectFiles, policy: &SecurityPolicy) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut declared = policy.declared_addresses.clone();
    if let Some(intent) = files.text("sauce.toml") {
        declared.extend(declared_in_intent(intent));
    }
    let mut source_bytes = 0;
    for (path, contents) in files.iter() {
        if path.as_str() == "Cargo.toml" {
            match std::str::from_utf8(contents) {
                Ok(text) => findings.extend(manifest::check_manifest(text)),
                Err(_) => findings.push(Finding::in_file(
                    Check::Manifest,
                    "Cargo.toml",
                    "Cargo.toml is not UTF-8".to_owned(),
                )),
            }
        }
        if !path.is_rust() {
            continue;
        }
        source_bytes += contents.len();
        let Ok(text) = std::str::from_utf8(contents) else {
            findings.push(Finding::in_file(
                Check::Syntax,
                path.as_str(),
                "the file is not UTF-8".to_owned(),
            ));
            continue;
        };
        findings.extend(tokens::check_rust(
            path,
            text,
            path.as_str() == "src/lib.rs",
        ));
        findings.extend(addresses::check_addresses(path, text, &declared));
    }
    let has_code = files.paths().any(|path| path.as_str().starts_with("src/"));
    if has_code && files.get("src/lib.rs").is_none() {
        findings.push(Finding::project(
            Check::Unsafe,
            "the app crate needs src/lib.rs starting with `#![forbid(unsafe_code)]`".to_owned(),
        ));
    }
    if source_bytes > policy.max_source_bytes {
        findings.push(Finding::project(Check::Budget, format!("the Rust sources hold {source_bytes} bytes, over the budget of {}; write less code", policy.max_source_bytes)));
    }
    if files.len() > policy.max_files {
        findings.push(Finding::project(
            Check::Budget,
            format!(
                "the project holds {} files, over the budget of {}",
                files.len(),
                policy.max_files
            ),
        ));
    }
    findings
}

/// What a build produced, as far as the budgets look at it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BuildFigures {
    /// The image size, in bytes.
    pub image_size: u64,
    /// How long the build took.
    pub duration: Duration,
}

/// The checks of a finished build against the budgets.
pub fn check_budgets(figures: BuildFigures, policy: &SecurityPolicy) -> Vec<Finding> {
    let mut findings = Vec::new();
    if figures.image_size > policy.max_image_size {
        findings.push(Finding::project(
            Check::Budget,
            format!(
                "the image is {} bytes, over the budget of {}; remove dependencies or code",
                figures.image_size, policy.max_image_size
            ),
        ));
    }
    if figures.duration > policy.max_build_time {
        findings.push(Finding::project(
            Check::Budget,
            format!(
                "the build took {:.0} s, over the budget of {} s; remove dependencies or code",
                figures.duration.as_secs_f64(),
                policy.max_build_time.as_secs()
            ),
        ));
    }
    findings
}

/// Hosts and addresses sauce.toml names: redirect targets, `[network]` addresses, and any URL in
/// a value.
pub fn declared_in_intent(intent: &str) -> Vec<String> {
    let Ok(table) = toml::from_str::<toml::Table>(intent) else {
        return Vec::new();
    };
    let mut hosts = Vec::new();
    collect_hosts(&toml::Value::Table(table), &mut hosts);
    hosts
}

fn collect_hosts(value: &toml::Value, hosts: &mut Vec<String>) {
    match value {
        toml::Value::String(text) => hosts.extend(addresses::hosts_in(text)),
        toml::Value::Array(values) => values.iter().for_each(|value| collect_hosts(value, hosts)),
        toml::Value::Table(table) => table.values().for_each(|value| collect_hosts(value, hosts)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::project::ProjectPath;

    fn project(entries: &[(&str, &str)]) -> ProjectFiles {
        let mut files = ProjectFiles::new();
        for (name, contents) in entries {
            files.insert(ProjectPath::parse(name).unwrap(), *contents);
        }
        files
    }

    #[test]
    fn a_clean_project_passes() {
        let files = project(&[
            ("sauce.toml", "[app]\nname = \"a\"\n[[http.route]]\npath = \"/docs\"\nredirect = \"https://docs.example.org/\"\n"),
            ("Cargo.toml", "[package]\nname = \"a\"\nversion = \"0.1.0\"\n[dependencies]\nsauce-app = \"0.1\"\n"),
            ("src/lib.rs", "#![no_std]\n#![forbid(unsafe_code)]\npub const DOCS: &str = \"https://docs.example.org/\";\n"),
        ]);
        assert_eq!(
            check_sources(&files, &SecurityPolicy::default()),
            Vec::new()
        );
    }

    #[test]
    fn findings_render_like_compiler_errors() {
        let files = project(&[(
            "src/lib.rs",
            "#![forbid(unsafe_code)]\nfn a() { unsafe {} }\n",
        )]);
        let findings = check_sources(&files, &SecurityPolicy::default());
        assert_eq!(
            render_findings(&findings),
            "error[security/unsafe]: `unsafe` is not allowed in generated code; use the safe APIs of sauce-app and core\n  --> src/lib.rs:2:10"
        );
    }

    #[test]
    fn code_needs_a_library_root_and_budgets_hold() {
        let files = project(&[("src/routes.rs", "pub fn a() {}\n")]);
        let policy = SecurityPolicy {
            max_source_bytes: 4,
            max_files: 0,
            ..SecurityPolicy::default()
        };
        let checks: Vec<Check> = check_sources(&files, &policy)
            .iter()
            .map(|finding| finding.check)
            .collect();
        assert_eq!(checks, [Check::Unsafe, Check::Budget, Check::Budget]);
        let figures = BuildFigures {
            image_size: 9 << 20,
            duration: Duration::from_secs(301),
        };
        let findings = check_budgets(figures, &SecurityPolicy::default());
        assert_eq!(findings.len(), 2);
        assert!(findings[1]
            .to_string()
            .contains("the build took 301 s, over the budget of 300 s"));
        let within = BuildFigures {
            image_size: 1 << 20,
            duration: Duration::from_secs(10),
        };
        assert!(check_budgets(within, &SecurityPolicy::default()).is_empty());
    }

    #[test]
    fn the_intent_declares_addresses() {
        let hosts = declared_in_intent("[network]\nip = \"10.0.0.5/24\"\ngateway = \"10.0.0.1\"\n[[http.route]]\npath = \"/a\"\nredirect = \"https://Example.com/x\"\n");
        assert!(hosts.contains(&"10.0.0.5".to_owned()), "{hosts:?}");
        assert!(hosts.contains(&"10.0.0.1".to_owned()));
        assert!(hosts.contains(&"example.com".to_owned()));
    }
}
