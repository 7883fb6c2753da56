//! `sauce`: check an intent, build it into a unikernel image, boot it — one command.
//!
//! # Map
//! - [`arguments`]: the command line (clap derive) and its value parsers.
//! - [`new`]: `sauce new NAME [--template …]`, a project folder from an example.
//! - [`new_rust_api`]: `sauce new NAME --template rust-api`, a project with an app crate.
//! - [`ai`]: `sauce new NAME --describe "…"`, `sauce ai fix` and `sauce ai explain` (sauce-ai).
//! - [`check`]: `sauce check [PATH]`, parse, validate and select, without building.
//! - [`plan`]: `sauce plan [PATH]`, the selected components, why each, their sizes.
//! - [`build`]: `sauce build [PATH] [-o IMAGE]`, generate, compile, report size and time.
//! - [`pipeline`]: load → app-code check → select → memory check, shared by check, plan,
//!   build and run.
//! - [`app_test`]: `sauce test [PATH]`, the app crate's tests on the host (cargo test).
//! - [`app_patches`]: where sauce supplies `sauce-app` from (cargo's `--config`, `.cargo/`).
//! - [`schema`]: `sauce schema`, the JSON Schema of sauce.toml.
//! - [`run`]: `sauce run [PATH|IMAGE] …`, build if needed, boot under QEMU, stream serial.
//! - [`firecracker_run`]: `sauce run --vmm firecracker …`, the Firecracker launch or dry run.
//! - [`outcome`]: exit codes (README.md, "Using sauce") and how each failure maps to one.

#![forbid(unsafe_code)]

mod ai;
mod app_patches;
mod app_test;
mod arguments;
mod build;
mod check;
mod firecracker_run;
mod new;
mod new_rust_api;
mod outcome;
mod pipeline;
mod plan;
mod restart;
mod run;
mod run_environment;
mod schema;

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
        Verb::New(new) if new.describe.is_requested() => {
            ai::describe::new_described(&new.name, &new.describe)
        }
        Verb::New(new) => new::new(&new),
        Verb::Check(check) => check::check(&check),
        Verb::Plan(plan) => plan::plan(&plan),
        Verb::Build(build) => build::build(&build),
        Verb::Run(run) => run::run(&run),
        Verb::Test(test) => app_test::test(&test),
        Verb::Schema => schema::schema(),
        Verb::Ai(ai) => ai::ai(&ai),
    };
    let outcome = match result {
        Ok(outcome) => outcome,
        Err(failure) => {
            // An empty message: the failure was already printed (as JSON on stdout).
            if !failure.message.is_empty() {
                eprintln!("error: {}", failure.message);
            }
            failure.outcome
        }
    };
    std::process::exit(outcome.code());
}
