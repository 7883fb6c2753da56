//! Findings: which check, where, and what to do, rendered like compiler errors.

use std::fmt;

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
