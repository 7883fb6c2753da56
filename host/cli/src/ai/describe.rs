//! `sauce new NAME --describe "…"`: a project written from a sentence by a model (or the rules),
//! checked, built, booted and probed in a scratch folder, and moved into NAME only when it
//! passes (or with `--keep-failed`).

use std::path::{Path, PathBuf};

use sauce_ai::generate::{generate, GenerateError, GenerateOptions, Outcome as RunOutcome, Report};
use sauce_ai::provider::Provider;
use sauce_intent::AppName;

use super::arguments::DescribeArguments;
use super::progress::Progress;
use super::setup::{self, Answer};
use crate::outcome::{Failure, Outcome};

/// Creates the project `name` from `arguments.describe`.
pub fn new_described(name: &str, arguments: &DescribeArguments) -> Result<Outcome, Failure> {
    let description = arguments.describe.as_deref().unwrap_or_default();
    let folder = PathBuf::from(name);
    let app_name = app_name(&folder)?;
    let overwrite = may_write_into(&folder, arguments.yes)?;
    let provider = setup::provider()?;
    let pipeline = setup::pipeline()?;
    match &provider {
        Some(provider) => eprintln!("model: {}", provider.describe()),
        None => eprintln!(
            "no model configured (OPENAI_API_KEY, ANTHROPIC_API_KEY or SAUCE_AI_BASE_URL): the rules read the description"
        ),
    }
    let mut options = GenerateOptions::new(app_name.as_str(), &folder);
    options.attempts = arguments.attempts;
    options.keep_failed = arguments.keep_failed;
    options.overwrite = overwrite;
    let mut progress = Progress::new(provider.is_some());
    let report = generate(
        description,
        &options,
        &pipeline,
        provider.as_ref().map(|provider| provider as &dyn Provider),
        &mut |event| progress.show(event),
    )
    .map_err(run_failure)?;
    print_report(&report);
    if let RunOutcome::Succeeded(installed) = &report.outcome {
        print_next_steps(&installed.folder);
    }
    Ok(outcome_of(&report))
}

/// The app's name: the folder's last component, which must be a valid `[app] name`.
fn app_name(folder: &Path) -> Result<AppName, Failure> {
    let base = folder
        .file_name()
        .and_then(|name| name.to_str())
        .unwrap_or_default();
    AppName::new(base).map_err(|error| {
        Failure::invalid(format!(
            "`{base}` cannot name an app: {error}; try `sauce new {}`",
            sauce_intent::name::suggest(base)
        ))
    })
}

/// Whether the project may be written into `folder` when it already holds files: with `--yes`,
/// or when the person at the terminal says so. Never asks when standard input is not a terminal.
fn may_write_into(folder: &Path, yes: bool) -> Result<bool, Failure> {
    let occupied = match std::fs::read_dir(folder) {
        Ok(mut entries) => entries.next().is_some(),
        Err(_) if folder.exists() => {
            return Err(Failure::invalid(format!(
                "`{}` exists and is not a folder sauce can read; choose another name",
                folder.display()
            )))
        }
        Err(_) => false,
    };
    if !occupied {
        return Ok(false);
    }
    if yes {
        return Ok(true);
    }
    let refused = |why: &str| {
        Failure::invalid(format!(
            "`{}` already exists and holds files{why}; choose another name, or pass --yes to write the project into it (files of the same name are replaced)",
            folder.display()
        ))
    };
    match setup::confirm(&format!(
        "`{}` already holds files; write the project into it, replacing files of the same name?",
        folder.display()
    )) {
        Answer::Yes => Ok(true),
        Answer::No => Err(refused("")),
        Answer::NotAsked => Err(refused(
            " (standard input is not a terminal, so sauce did not ask)",
        )),
    }
}

/// A run that could not start, as a failure of the CLI.
pub fn run_failure(error: GenerateError) -> Failure {
    match error {
        GenerateError::NotEmpty(_) | GenerateError::Load(_) => Failure::invalid(error.to_string()),
        GenerateError::Scratch { .. } | GenerateError::Destination(_) => {
            Failure::environment(error.to_string())
        }
    }
}

/// The report on standard output, and the last failure's diagnostics when the run failed.
pub fn print_report(report: &Report) {
    print!("{report}");
    if let RunOutcome::Failed {
        stage, diagnostics, ..
    } = &report.outcome
    {
        println!("The last attempt's {stage} diagnostics:");
        for line in diagnostics.lines() {
            println!("  {line}");
        }
    }
}

fn print_next_steps(folder: &Path) {
    let port = sauce_intent::load(folder)
        .ok()
        .and_then(|intent| intent.http.map(|http| http.port));
    let word = setup::shell_word(folder);
    println!("next:");
    match port {
        Some(port) => {
            println!("  sauce run {word} -p 8080:{port}");
            println!("  curl http://127.0.0.1:8080/");
        }
        None => println!("  sauce run {word}"),
    }
}

/// The exit code of a run: 0 when the project passed, 2 when the model could not be reached or
/// refused the request, 1 when the description could not become a passing project.
pub fn outcome_of(report: &Report) -> Outcome {
    match &report.outcome {
        RunOutcome::Succeeded(_) | RunOutcome::NothingToFix => Outcome::Success,
        RunOutcome::ProviderFailed(_) => Outcome::Environment,
        RunOutcome::Failed { .. }
        | RunOutcome::NotSupported(_)
        | RunOutcome::NeedsModel(_)
        | RunOutcome::Unclear => Outcome::InvalidInput,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_folder_names_the_app() {
        assert_eq!(app_name(Path::new("a/shop")).unwrap().as_str(), "shop");
        let failure = app_name(Path::new("Bad_Name")).unwrap_err();
        assert!(
            failure.message.contains("try `sauce new bad-name`"),
            "{}",
            failure.message
        );
    }

    #[test]
    fn an_occupied_folder_needs_yes() {
        let root = std::env::temp_dir().join(format!("sauce-describe-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(&root).unwrap();
        assert!(!may_write_into(&root.join("missing"), false).unwrap());
        assert!(!may_write_into(&root, false).unwrap());
        std::fs::write(root.join("notes.txt"), "mine").unwrap();
        assert!(may_write_into(&root, true).unwrap());
        // `cargo test` gives the test no terminal on standard input, so nobody is asked.
        if !std::io::IsTerminal::is_terminal(&std::io::stdin()) {
            let failure = may_write_into(&root, false).unwrap_err();
            assert!(
                failure.message.contains("pass --yes"),
                "{}",
                failure.message
            );
        }
        std::fs::remove_dir_all(&root).unwrap();
    }
}
