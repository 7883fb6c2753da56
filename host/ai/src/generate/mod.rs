//! The loop: understand → write the files into a scratch folder → `check` → security → build →
//! budgets → smoke test → install, with at most N attempts, each failure fed back to the model
//! verbatim. Nothing reaches the user's folder until every stage passes (unless
//! `keep_failed`), and then it arrives atomically.
//!
//! - [`generate()`]: a new project from a description.
//! - [`fix()`]: repair an existing project whose stages fail.
//! - [`explain()`]: what an intent does, in plain words.
//! - [`report`]: [`Report`], [`AttemptReport`], [`Outcome`].
//! - [`stages`]: one pass of the stages.
//! - [`session`]: the attempt loop shared by `generate` and `fix`.

pub mod explain;
pub mod report;
pub mod session;
pub mod stages;

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

pub use explain::{explain, rule_summary, ExplainError, Explanation};
pub use report::{AttemptReport, Outcome, Report};

use crate::pipeline::{Pipeline, Stage};
use crate::probe::Probe;
use crate::project::{
    load_project, InstallError, InstallMode, Installed, LoadProjectError, ProjectPath,
};
use crate::provider::{Provider, ProviderEvent, Usage};
use crate::rules::{understand, Understanding, Verdict};
use crate::security::SecurityPolicy;
use session::Session;

/// How a run behaves.
#[derive(Clone, Debug, PartialEq)]
pub struct GenerateOptions {
    /// The project's name (the app name when the model gives none).
    pub name: String,
    /// The user's folder: created by `generate`, updated by `fix`.
    pub destination: PathBuf,
    /// The most attempts (`--attempts`, default 4).
    pub attempts: u32,
    /// Write the last attempt even when it fails (`--keep-failed`).
    pub keep_failed: bool,
    /// Replace existing files in the destination.
    pub overwrite: bool,
    /// Budgets and declared addresses for the security checks.
    pub security: SecurityPolicy,
    /// The size limit of fed-back diagnostics, in bytes.
    pub diagnostics_limit: usize,
    /// The most tokens a reply may have.
    pub max_output_tokens: u32,
    /// Sampling temperature, when set.
    pub temperature: Option<f32>,
    /// Ask for the JSON project form through structured outputs too.
    pub structured_output: bool,
    /// Where scratch folders are made (default: the system's temporary folder).
    pub scratch_parent: Option<PathBuf>,
    /// Probes the smoke test always runs besides the declared and proposed ones (an evaluation
    /// case's expectations).
    pub required_probes: Vec<Probe>,
}

impl GenerateOptions {
    /// Defaults for a project `name` in `destination`.
    pub fn new(name: &str, destination: &Path) -> Self {
        Self {
            name: name.to_owned(),
            destination: destination.to_owned(),
            attempts: 4,
            keep_failed: false,
            overwrite: false,
            security: SecurityPolicy::default(),
            diagnostics_limit: crate::prompt::DIAGNOSTICS_LIMIT,
            max_output_tokens: 8_192,
            temperature: None,
            structured_output: false,
            scratch_parent: None,
            required_probes: Vec::new(),
        }
    }
}

/// What happens during a run, for the CLI to show as it goes.
#[derive(Debug)]
pub enum Event<'a> {
    /// What the rules read in the description.
    Understood(&'a Understanding),
    /// A request to the model is about to be sent.
    Asking {
        /// The attempt.
        attempt: u32,
    },
    /// Progress of the request, or a retry.
    Provider(&'a ProviderEvent),
    /// The files an attempt writes into the scratch folder.
    Writing {
        /// The attempt.
        attempt: u32,
        /// The files new or changed.
        files: &'a [ProjectPath],
    },
    /// A stage starts.
    Stage {
        /// The attempt.
        attempt: u32,
        /// The stage.
        stage: Stage,
    },
    /// An attempt ended.
    Attempt(&'a AttemptReport),
    /// The project was written to the user's folder.
    Installed(&'a Installed),
}

/// Why a run could not happen at all.
#[derive(Debug, thiserror::Error)]
pub enum GenerateError {
    /// no scratch folder could be made
    #[error("could not make a scratch folder in {}: {source}", folder.display())]
    Scratch {
        /// Where.
        folder: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// the destination cannot take the project
    #[error(transparent)]
    Destination(#[from] InstallError),
    /// the destination holds files already
    #[error("{} is not empty; choose another name or allow overwriting", .0.display())]
    NotEmpty(PathBuf),
    /// the project to fix could not be read
    #[error(transparent)]
    Load(#[from] LoadProjectError),
}

/// Makes a new project from `description` into `options.destination`. Without a provider the
/// rules alone build it when they can.
pub fn generate(
    description: &str,
    options: &GenerateOptions,
    pipeline: &dyn Pipeline,
    provider: Option<&dyn Provider>,
    observer: &mut dyn FnMut(Event<'_>),
) -> Result<Report, GenerateError> {
    let started = Instant::now();
    let understanding = understand(description);
    observer(Event::Understood(&understanding));
    let early = |outcome| Report {
        outcome,
        understanding: Some(understanding.clone()),
        attempts: Vec::new(),
        files: Default::default(),
        probes: Vec::new(),
        usage: Usage::default(),
        cost: None,
        model: provider.map(|provider| provider.model().to_owned()),
        duration: started.elapsed(),
    };
    if let Verdict::Unsupported(refusals) = &understanding.verdict {
        return Ok(early(Outcome::NotSupported(refusals.clone())));
    }
    if !options.overwrite && !is_empty_or_missing(&options.destination) {
        return Err(GenerateError::NotEmpty(options.destination.clone()));
    }
    let mode = InstallMode::NewProject {
        overwrite: options.overwrite,
    };
    match provider {
        None => match &understanding.verdict {
            Verdict::Supported => {
                let files = understanding
                    .project(&options.name, description)
                    .unwrap_or_default();
                let mut session = Session::new(options, pipeline, None, observer, started)?;
                let passed = session.run_rules(files);
                Ok(session.finish(passed, mode, Some(understanding)))
            }
            Verdict::NeedsCode(phrases) => Ok(early(Outcome::NeedsModel(phrases.clone()))),
            _ => Ok(early(Outcome::Unclear)),
        },
        Some(provider) => {
            let mut session = Session::new(options, pipeline, Some(provider), observer, started)?;
            let first = crate::prompt::user_prompt(&options.name, description, &understanding);
            match session.model_loop(first, None, Some(&understanding)) {
                Ok(passed) => Ok(session.finish(passed, mode, Some(understanding))),
                Err(error) => Ok(session.provider_failed(error, Some(understanding))),
            }
        }
    }
}

/// Repairs the project at `folder` (its `check` or build fails) with the same loop, starting
/// from its files; only changed files are written back, each atomically.
pub fn fix(
    folder: &Path,
    options: &GenerateOptions,
    pipeline: &dyn Pipeline,
    provider: Option<&dyn Provider>,
    observer: &mut dyn FnMut(Event<'_>),
) -> Result<Report, GenerateError> {
    let started = Instant::now();
    let loaded = load_project(folder)?;
    let mut session = Session::new(options, pipeline, provider, observer, started)?;
    session.files = loaded.files.clone();
    let failure = match session.stages(0) {
        Ok(()) => return Ok(session.nothing_to_fix()),
        Err(failure) => failure,
    };
    let Some(provider) = provider else {
        return Ok(session.fix_needs_model(failure));
    };
    let _ = provider;
    let description = loaded
        .files
        .text("DESCRIPTION.md")
        .map(|text| format!("\nIt was described as:\n\"\"\"\n{}\n\"\"\"\n", text.trim()))
        .unwrap_or_default();
    let first = format!(
        "Here is a SauceOS project that fails at the {} stage.{description}\nFix it, changing as little as possible.",
        failure.0
    );
    let mode = InstallMode::Update { overwrite: true };
    match session.model_loop(first, Some(failure), None) {
        Ok(passed) => Ok(session.finish_fix(passed, mode, &loaded.files)),
        Err(error) => Ok(session.provider_failed(error, None)),
    }
}

fn is_empty_or_missing(folder: &Path) -> bool {
    match fs::read_dir(folder) {
        Ok(mut entries) => entries.next().is_none(),
        Err(_) => !folder.exists(),
    }
}

/// The probes a report's project was smoke-tested with, as lines (for logs and tests).
pub fn probe_lines(probes: &[Probe]) -> Vec<String> {
    probes.iter().map(ToString::to_string).collect()
}

#[cfg(test)]
mod tests;
