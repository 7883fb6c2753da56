//! What a run did: each attempt (what the model said it changed, which files, which stage
//! failed with what diagnostics, what it fixed), the outcome, tokens and cost.

use std::fmt;
use std::time::Duration;

use crate::pipeline::Stage;
use crate::probe::Probe;
use crate::project::{Installed, ProjectFiles, ProjectPath};
use crate::provider::{ProviderError, Usage};
use crate::rules::{Refusal, Understanding};

/// One attempt.
#[derive(Clone, Debug, PartialEq)]
pub struct AttemptReport {
    /// 1-based.
    pub number: u32,
    /// The model's plan, or what it said it changed ("rules" for the rule-based path).
    pub plan: String,
    /// The files this attempt wrote or changed.
    pub changed: Vec<ProjectPath>,
    /// Defaults the rules filled in (`added http.port = 8080`).
    pub defaults: Vec<String>,
    /// What the reply parser tolerated or refused.
    pub notes: Vec<String>,
    /// The stage that failed and its diagnostics (paths as the user sees them); `None`: passed.
    pub failure: Option<(Stage, String)>,
    /// The stage the previous attempt failed at, when this attempt got past it.
    pub fixed: Option<Stage>,
    /// Tokens this attempt used.
    pub usage: Usage,
    /// How long it took, model and stages.
    pub duration: Duration,
}

impl AttemptReport {
    /// Whether every stage passed.
    pub fn passed(&self) -> bool {
        self.failure.is_none()
    }
}

impl fmt::Display for AttemptReport {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "attempt {}", self.number)?;
        if let Some(stage) = self.fixed {
            write!(formatter, " fixed the {stage} failure and")?;
        }
        match &self.failure {
            None => write!(formatter, " passed every stage")?,
            Some((stage, diagnostics)) => {
                let first = diagnostics
                    .lines()
                    .find(|line| !line.trim().is_empty())
                    .unwrap_or("");
                write!(formatter, " failed at {stage}: {first}")?;
            }
        }
        if !self.changed.is_empty() {
            let names: Vec<&str> = self.changed.iter().map(ProjectPath::as_str).collect();
            write!(formatter, " (wrote {})", names.join(", "))?;
        }
        Ok(())
    }
}

/// How a run ended.
#[derive(Debug)]
pub enum Outcome {
    /// Every stage passed and the project is in the user's folder.
    Succeeded(Installed),
    /// The last attempt failed; nothing was written unless `keep_failed` (then `kept`).
    Failed {
        /// The stage the last attempt failed at.
        stage: Stage,
        /// Its diagnostics.
        diagnostics: String,
        /// Where the failed project was written, with `keep_failed`.
        kept: Option<Installed>,
    },
    /// The description asks for what SauceOS does not do.
    NotSupported(Vec<Refusal>),
    /// The description needs handler code and no model is configured.
    NeedsModel(Vec<String>),
    /// Without a model, nothing in the description says what the service answers.
    Unclear,
    /// The model could not be reached or refused the request.
    ProviderFailed(ProviderError),
    /// `fix`: the project already passes every stage.
    NothingToFix,
}

/// Everything a run did.
#[derive(Debug)]
pub struct Report {
    /// How it ended.
    pub outcome: Outcome,
    /// What the rules understood from the description.
    pub understanding: Option<Understanding>,
    /// Each attempt, in order.
    pub attempts: Vec<AttemptReport>,
    /// The project as it stood at the end.
    pub files: ProjectFiles,
    /// The probes of the last smoke test.
    pub probes: Vec<Probe>,
    /// Tokens used in all.
    pub usage: Usage,
    /// Estimated cost in dollars, when the model's prices are known.
    pub cost: Option<f64>,
    /// The model, when one was used.
    pub model: Option<String>,
    /// How long the run took.
    pub duration: Duration,
}

impl Report {
    /// Whether the project passed and was installed.
    pub fn succeeded(&self) -> bool {
        matches!(self.outcome, Outcome::Succeeded(_) | Outcome::NothingToFix)
    }
}

impl fmt::Display for Report {
    /// The end-of-run summary for people.
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        for attempt in &self.attempts {
            writeln!(formatter, "{attempt}")?;
        }
        match &self.outcome {
            Outcome::Succeeded(installed) => writeln!(formatter, "Done: the project is in {}.", installed.folder.display())?,
            Outcome::Failed { stage, kept, .. } => {
                write!(formatter, "Failed at the {stage} stage after {} attempt{}", self.attempts.len(), if self.attempts.len() == 1 { "" } else { "s" })?;
                match kept {
                    Some(installed) => writeln!(formatter, "; the last attempt was kept in {} (keep-failed).", installed.folder.display())?,
                    None => writeln!(formatter, "; nothing was written.")?,
                }
            }
            Outcome::NotSupported(refusals) => {
                writeln!(formatter, "Not supported; nothing was written:")?;
                for refusal in refusals {
                    writeln!(formatter, "  - {}", refusal.reason)?;
                }
            }
            Outcome::NeedsModel(phrases) => writeln!(
                formatter,
                "The description needs handler code ({}), which needs a model: set OPENAI_API_KEY, ANTHROPIC_API_KEY, or SAUCE_AI_BASE_URL for a local server. Nothing was written.",
                phrases.join(", ")
            )?,
            Outcome::Unclear => writeln!(formatter, "Nothing in the description says what the service answers; nothing was written. Name routes and their responses, or configure a model.")?,
            Outcome::ProviderFailed(error) => writeln!(formatter, "The model could not help: {error}. Nothing was written.")?,
            Outcome::NothingToFix => writeln!(formatter, "The project passes every stage; nothing to fix.")?,
        }
        if self.usage.total() > 0 {
            write!(formatter, "Tokens: {}", self.usage)?;
            match self.cost {
                Some(cost) => writeln!(formatter, " (about ${cost:.4})")?,
                None => writeln!(formatter, " (no price known for this model)")?,
            }
        }
        Ok(())
    }
}
