//! `sauce`: check an intent, build it into a unikernel image, boot it — one command.
//!
//! - [`arguments`]: the command line (clap derive) and its value parsers.
//! - [`check`]: `sauce check [PATH]`, parse and validate a sauce.toml.
//! - [`build`]: `sauce build [PATH] [-o IMAGE]`, generate, compile, report size and time.
//! - [`run`]: `sauce run [PATH|IMAGE] …`, build if needed, boot under QEMU, stream serial.
//! - [`firecracker_run`]: `sauce run --vmm firecracker …`, the Firecracker launch or dry run.
//! - [`outcome`]: exit codes (design brief §5) and how each failure maps to one.

#![forbid(unsafe_code)]

mod arguments;
mod build;
mod check;
mod firecracker_run;
mod outcome;
mod run;

use clap::Parser;

use arguments::{Arguments, Verb};
use outcome::Outcome;

fn main() {
    let arguments = match Arguments::try_parse() {
        Ok(arguments) => arguments,
        Err(error) => {
            // Help and --version go to stdout and succeed; usage errors are invalid input.
            let _ = error.print();
            let code = if error.use_stderr() {
                Outcome::InvalidInput
            } else {
                Outcome::Success
            };
            std::process::exit(code.code());
        }
    };
    let result = match arguments.verb {
        Verb::Check(check) => check::check(&check),
        Verb::Build(build) => build::build(&build),
        Verb::Run(run) => run::run(&run),
    };
    let outcome = match result {
        Ok(outcome) => outcome,
        Err(failure) => {
            eprintln!("error: {}", failure.message);
            failure.outcome
        }
    };
    std::process::exit(outcome.code());
}
