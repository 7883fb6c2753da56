//! `sauce ai fix [PATH]`: the project's stages run as they are; a failure is fed to the model
//! with the loop of `--describe`, and once a repaired project passes every stage, only the files
//! it changed are replaced, each atomically.

use sauce_ai::generate::{fix as repair, GenerateOptions};
use sauce_ai::provider::Provider;

use super::arguments::FixArguments;
use super::describe::{outcome_of, print_report, run_failure};
use super::progress::Progress;
use super::setup::{self, Answer};
use crate::outcome::{Failure, Outcome};

/// Repairs the project at `arguments.path`.
pub fn fix(arguments: &FixArguments) -> Result<Outcome, Failure> {
    let folder = setup::project_folder(&arguments.path);
    if !folder.join("sauce.toml").is_file() {
        return Err(Failure::invalid(format!(
            "no sauce.toml in `{}`; give the project's folder or its sauce.toml",
            folder.display()
        )));
    }
    let provider = setup::provider()?;
    let pipeline = setup::pipeline()?;
    match &provider {
        Some(provider) => {
            eprintln!("model: {}", provider.describe());
            if !arguments.yes {
                let question = format!(
                    "sauce ai fix replaces the files it changes in `{}` once the project passes every stage; go ahead?",
                    folder.display()
                );
                match setup::confirm(&question) {
                    Answer::Yes => {}
                    Answer::No => return Err(Failure::invalid("nothing was changed")),
                    Answer::NotAsked => {
                        return Err(Failure::invalid(
                            "sauce ai fix replaces files, and standard input is not a terminal to ask on; pass --yes to let it",
                        ))
                    }
                }
            }
        }
        None => eprintln!(
            "no model configured (OPENAI_API_KEY, ANTHROPIC_API_KEY or SAUCE_AI_BASE_URL): the stages run and report, nothing is changed"
        ),
    }
    let name = std::fs::canonicalize(&folder)
        .ok()
        .and_then(|folder| {
            folder
                .file_name()
                .map(|name| name.to_string_lossy().into_owned())
        })
        .unwrap_or_else(|| "app".to_owned());
    let mut options = GenerateOptions::new(&name, &folder);
    options.attempts = arguments.attempts;
    let mut progress = Progress::new(provider.is_some());
    let report = repair(
        &folder,
        &options,
        &pipeline,
        provider.as_ref().map(|provider| provider as &dyn Provider),
        &mut |event| progress.show(event),
    )
    .map_err(run_failure)?;
    print_report(&report);
    Ok(outcome_of(&report))
}
