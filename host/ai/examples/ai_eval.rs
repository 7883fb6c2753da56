//! The evaluation harness as a program (the model for `cargo run -p sauce-bench --bin
//! ai_eval`): runs folders of cases through `generate` and prints the table.
//!
//! ```sh
//! cargo run --example ai_eval --features testing -- [--cases FOLDER]… [--sauce PATH] \
//!     [--accel kvm|tcg] [--attempts N] [--provider KIND] [--model NAME] [--base-url URL] [--rules]
//! ```
//!
//! Without `--sauce` the fake pipeline is used (the real intent checker, a simulated boot);
//! with it, every case is checked, built and booted by that `sauce` binary under QEMU. The
//! provider comes from the environment and the config file (`--provider`, `--model` and
//! `--base-url` override them); `--rules` runs without a model.

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::ExitCode;

use sauce_ai::evaluation::{evaluate, load_cases};
use sauce_ai::generate::{Event, GenerateOptions};
use sauce_ai::pipeline::command::SauceCommand;
use sauce_ai::pipeline::Pipeline;
use sauce_ai::provider::config::{config_path, read_file};
use sauce_ai::provider::{HttpProvider, Provider, ProviderSettings};
use sauce_ai::testing::FakePipeline;

struct Arguments {
    cases: Vec<PathBuf>,
    sauce: Option<PathBuf>,
    accelerator: Option<String>,
    attempts: u32,
    overrides: HashMap<&'static str, String>,
    rules_only: bool,
}

fn parse() -> Result<Arguments, String> {
    let mut arguments = Arguments {
        cases: Vec::new(),
        sauce: None,
        accelerator: None,
        attempts: 4,
        overrides: HashMap::new(),
        rules_only: false,
    };
    let mut words = std::env::args().skip(1);
    while let Some(word) = words.next() {
        let mut value = || words.next().ok_or_else(|| format!("{word} needs a value"));
        match word.as_str() {
            "--cases" => arguments.cases.push(PathBuf::from(value()?)),
            "--sauce" => arguments.sauce = Some(PathBuf::from(value()?)),
            "--accel" => arguments.accelerator = Some(value()?),
            "--attempts" => {
                arguments.attempts = value()?
                    .parse()
                    .map_err(|_| "--attempts takes a number".to_owned())?
            }
            "--provider" => drop(arguments.overrides.insert("SAUCE_AI_PROVIDER", value()?)),
            "--model" => drop(arguments.overrides.insert("SAUCE_AI_MODEL", value()?)),
            "--base-url" => drop(arguments.overrides.insert("SAUCE_AI_BASE_URL", value()?)),
            "--rules" => arguments.rules_only = true,
            other => return Err(format!("unknown argument {other}")),
        }
    }
    if arguments.cases.is_empty() {
        arguments
            .cases
            .push(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("evaluation/rules"));
        arguments
            .cases
            .push(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("evaluation/demos"));
    }
    Ok(arguments)
}

fn main() -> ExitCode {
    let arguments = match parse() {
        Ok(arguments) => arguments,
        Err(message) => {
            eprintln!("ai_eval: {message}");
            return ExitCode::from(1);
        }
    };
    let provider: Option<HttpProvider> = if arguments.rules_only {
        None
    } else {
        let environment = |name: &str| {
            arguments
                .overrides
                .get(name)
                .cloned()
                .or_else(|| std::env::var(name).ok())
        };
        let file = match config_path(&environment)
            .map(|path| read_file(&path))
            .transpose()
        {
            Ok(file) => file.flatten(),
            Err(error) => {
                eprintln!("ai_eval: {error}");
                return ExitCode::from(1);
            }
        };
        match ProviderSettings::resolve(&environment, file.as_ref()) {
            Ok(settings) => settings.map(HttpProvider::new),
            Err(error) => {
                eprintln!("ai_eval: {error}");
                return ExitCode::from(1);
            }
        }
    };
    let pipeline: Box<dyn Pipeline> = match &arguments.sauce {
        Some(binary) => {
            let mut command = SauceCommand::new(binary);
            command.accelerator = arguments.accelerator.clone();
            Box::new(command)
        }
        None => Box::new(FakePipeline::new()),
    };
    println!(
        "pipeline: {}; model: {}",
        arguments.sauce.as_ref().map_or_else(
            || "fake (simulated boot)".to_owned(),
            |binary| format!("{} (QEMU)", binary.display())
        ),
        provider
            .as_ref()
            .map_or_else(|| "none (rules)".to_owned(), Provider::describe)
    );
    let mut template = GenerateOptions::new("case", std::path::Path::new("unused"));
    template.attempts = arguments.attempts;
    let mut all = Vec::new();
    for folder in &arguments.cases {
        match load_cases(folder) {
            Ok(cases) => all.extend(cases),
            Err(error) => {
                eprintln!("ai_eval: {error}");
                return ExitCode::from(1);
            }
        }
    }
    let report = evaluate(
        &all,
        &template,
        pipeline.as_ref(),
        provider.as_ref().map(|provider| provider as &dyn Provider),
        &mut |case, event| {
            if let Event::Attempt(attempt) = event {
                eprintln!("{case}: {attempt}");
            }
        },
    );
    println!("{}", report.table());
    for case in report.cases.iter().filter(|case| !case.success) {
        println!("{}: {} — {}", case.name, case.outcome, case.detail);
    }
    ExitCode::SUCCESS
}
