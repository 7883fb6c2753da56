//! The AI evaluation: descriptions → `sauce new --describe`'s loop → success when the image
//! passes check, clippy, build and boot, and answers every probe (the declared routes', the
//! model's, and the case's own `probes` file). Prints a table per folder of cases and in all.
//!
//! ```sh
//! cargo build --release -p sauce-cli      # the stages run through this sauce binary
//! cargo run --release -p sauce-bench --bin ai_eval -- --provider openai --model gpt-4.1-mini
//! cargo run --release -p sauce-bench --bin ai_eval -- --rules            # no model
//! #   [--cases FOLDER]… [--sauce PATH] [--accel kvm|tcg] [--attempts N] [--base-url URL]
//! ```
//!
//! Always runs the ten demo descriptions (the `examples/` folders with a `DESCRIPTION.md`, each
//! beside the project the loop is expected to reach) and the cases the rules cover
//! (`host/ai/evaluation/rules`), then each `--cases` folder (a folder per case holding
//! `DESCRIPTION.md` and optionally `probes`). The model comes from the environment and
//! `~/.config/sauce/config.toml` as for `sauce`; `--provider`, `--model` and `--base-url`
//! override them, `--rules` runs without one. The stages are those of `sauce new --describe`:
//! the `sauce` binary given by `--sauce`, else `SAUCE_BINARY`, else the one built beside this
//! program. (sauce-ai's own tests run the same cases with a simulated build and boot.)

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use sauce_ai::evaluation::{evaluate, load_cases, EvaluationReport};
use sauce_ai::generate::{Event, GenerateOptions};
use sauce_ai::pipeline::clippy::Clippy;
use sauce_ai::pipeline::command::SauceCommand;
use sauce_ai::pipeline::Pipeline;
use sauce_ai::provider::config::{config_path, read_file};
use sauce_ai::provider::{HttpProvider, Provider, ProviderSettings};
use sauce_builder::BuildContext;

struct Arguments {
    cases: Vec<PathBuf>,
    sauce: Option<PathBuf>,
    accelerator: Option<String>,
    attempts: u32,
    overrides: HashMap<&'static str, String>,
    rules_only: bool,
}

fn parse() -> Result<Arguments, String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut arguments = Arguments {
        cases: vec![root.join("examples"), root.join("host/ai/evaluation/rules")],
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
                    .ok()
                    .filter(|attempts| (1..=10).contains(attempts))
                    .ok_or("--attempts takes a number from 1 to 10")?
            }
            "--provider" => drop(arguments.overrides.insert("SAUCE_AI_PROVIDER", value()?)),
            "--model" => drop(arguments.overrides.insert("SAUCE_AI_MODEL", value()?)),
            "--base-url" => drop(arguments.overrides.insert("SAUCE_AI_BASE_URL", value()?)),
            "--rules" => arguments.rules_only = true,
            other => return Err(format!("unknown argument {other}")),
        }
    }
    if arguments.rules_only && !arguments.overrides.is_empty() {
        return Err(
            "--rules runs without a model; leave out --provider, --model and --base-url".to_owned(),
        );
    }
    Ok(arguments)
}

/// The model: the environment and config file, with the command line's overrides.
fn provider(arguments: &Arguments) -> Result<Option<HttpProvider>, String> {
    if arguments.rules_only {
        return Ok(None);
    }
    let environment = |name: &str| {
        arguments
            .overrides
            .get(name)
            .cloned()
            .or_else(|| std::env::var(name).ok())
    };
    let file = config_path(&environment)
        .map(|path| read_file(&path))
        .transpose()
        .map_err(|error| error.to_string())?
        .flatten();
    let settings = ProviderSettings::resolve(&environment, file.as_ref())
        .map_err(|error| error.to_string())?;
    match settings {
        Some(settings) => Ok(Some(HttpProvider::new(settings))),
        None => Err("no model configured: set OPENAI_API_KEY, ANTHROPIC_API_KEY or SAUCE_AI_BASE_URL (or --provider/--model/--base-url), or pass --rules".to_owned()),
    }
}

/// The `sauce` binary: `--sauce`, `SAUCE_BINARY`, or the one cargo built beside this program.
fn sauce_binary(arguments: &Arguments) -> Result<PathBuf, String> {
    if let Some(binary) = arguments
        .sauce
        .clone()
        .or_else(|| std::env::var_os("SAUCE_BINARY").map(PathBuf::from))
    {
        return Ok(binary);
    }
    let beside = std::env::current_exe()
        .ok()
        .and_then(|program| program.parent().map(|folder| folder.join("sauce")))
        .filter(|binary| binary.is_file());
    beside.ok_or_else(|| {
        "no sauce binary: build it with `cargo build --release -p sauce-cli`, or give --sauce PATH".to_owned()
    })
}

fn pipeline(arguments: &Arguments) -> Result<(SauceCommand, String), String> {
    let binary = sauce_binary(arguments)?;
    let context = BuildContext::from_environment().map_err(|error| error.to_string())?;
    let mut command = SauceCommand::new(&binary);
    command.accelerator = arguments.accelerator.clone();
    command.clippy = Some(Clippy::new(&context));
    let accelerator = arguments.accelerator.as_deref().unwrap_or("auto");
    Ok((
        command,
        format!(
            "{} (check, clippy, build, QEMU with --accel {accelerator}, probes)",
            binary.display()
        ),
    ))
}

fn run() -> Result<(), String> {
    let arguments = parse()?;
    let provider = provider(&arguments)?;
    let (pipeline, described) = pipeline(&arguments)?;
    println!(
        "stages: {described}\nmodel: {}\nattempts: at most {}",
        provider
            .as_ref()
            .map_or_else(|| "none (rules)".to_owned(), Provider::describe),
        arguments.attempts
    );
    let mut template = GenerateOptions::new("case", Path::new("unused"));
    template.attempts = arguments.attempts;
    let mut all = EvaluationReport::default();
    for folder in &arguments.cases {
        let cases = load_cases(folder).map_err(|error| error.to_string())?;
        let report = evaluate(
            &cases,
            &template,
            &pipeline as &dyn Pipeline,
            provider.as_ref().map(|provider| provider as &dyn Provider),
            &mut |case, event| {
                if let Event::Attempt(attempt) = event {
                    eprintln!("{case}: {attempt}");
                }
            },
        );
        let shown = std::fs::canonicalize(folder).unwrap_or_else(|_| folder.clone());
        println!("\n{}\n{}", shown.display(), report.table());
        for case in report.cases.iter().filter(|case| !case.success) {
            println!("{}: {} — {}", case.name, case.outcome, case.detail);
        }
        all.cases.extend(report.cases);
    }
    let usage = all.usage();
    println!(
        "\nin all: {}/{} succeeded ({:.0} %), {} tokens",
        all.successes(),
        all.cases.len(),
        all.success_rate() * 100.0,
        usage.total()
    );
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("ai_eval: {message}");
            ExitCode::from(1)
        }
    }
}
