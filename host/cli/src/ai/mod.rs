//! `sauce new NAME --describe "…"`, `sauce ai fix [PATH]` and `sauce ai explain [PATH]`: the
//! command line of sauce-ai (host/ai), with the real stages behind its loop.
//!
//! - [`arguments`]: the flags (`--describe`, `--attempts`, `--keep-failed`, `--yes`) and the
//!   `ai` verb's subcommands.
//! - [`setup`]: the model from the environment and config file, the pipeline, confirmations.
//! - [`progress`]: the progress lines the loop's events make, on standard error.
//! - [`describe`]: `sauce new NAME --describe "…"`.
//! - [`fix`]: `sauce ai fix [PATH]`.
//! - [`explain`]: `sauce ai explain [PATH]`.

pub mod arguments;
pub mod describe;
pub mod explain;
pub mod fix;
pub mod progress;
pub mod setup;

pub use arguments::{AiArguments, AiVerb, DescribeArguments};

use crate::outcome::{Failure, Outcome};

/// `sauce ai …`.
pub fn ai(arguments: &AiArguments) -> Result<Outcome, Failure> {
    match &arguments.verb {
        AiVerb::Fix(fix) => fix::fix(fix),
        AiVerb::Explain(explain) => explain::explain(explain),
    }
}
