//! The evaluation harness core, for `cargo run -p sauce-bench --bin ai_eval`: a folder of cases
//! (each a folder with `DESCRIPTION.md` and, optionally, a `probes` file of probe lines the
//! finished image must answer), each run through [`generate`] into a temporary folder, with
//! per-case success, attempts, tokens, seconds and cost, and totals.

use std::fmt::Write as _;
use std::time::Instant;

mod cases;

pub use cases::{load_cases, Case, EvaluationError};

use crate::generate::{generate, Event, GenerateOptions, Outcome};
use crate::pipeline::Pipeline;
use crate::provider::{Provider, Usage};

/// One case's result.
#[derive(Clone, Debug, PartialEq)]
pub struct CaseResult {
    /// The case.
    pub name: String,
    /// Whether the image passed every stage and answered every probe as expected.
    pub success: bool,
    /// Attempts made.
    pub attempts: usize,
    /// Tokens used.
    pub usage: Usage,
    /// Estimated cost in dollars, when known.
    pub cost: Option<f64>,
    /// Wall-clock seconds.
    pub seconds: f64,
    /// How it ended, in a few words.
    pub outcome: String,
    /// Why it failed: the first line of the last diagnostics, the phrases needing a model, or
    /// the error; empty on success.
    pub detail: String,
}

/// Every case's result.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EvaluationReport {
    /// Per case, in order.
    pub cases: Vec<CaseResult>,
}

impl EvaluationReport {
    /// How many cases succeeded.
    pub fn successes(&self) -> usize {
        self.cases.iter().filter(|case| case.success).count()
    }

    /// The share of cases that succeeded, from 0 to 1.
    pub fn success_rate(&self) -> f64 {
        if self.cases.is_empty() {
            0.0
        } else {
            self.successes() as f64 / self.cases.len() as f64
        }
    }

    /// Tokens used in all.
    pub fn usage(&self) -> Usage {
        let mut total = Usage::default();
        for case in &self.cases {
            total += case.usage;
        }
        total
    }

    /// The results as a table: case, success, attempts, tokens, seconds, cost; then totals.
    pub fn table(&self) -> String {
        let width = self
            .cases
            .iter()
            .map(|case| case.name.len())
            .max()
            .unwrap_or(4)
            .max(5);
        let mut text = format!(
            "{:<width$}  {:<7}  {:>8}  {:>9}  {:>10}  {:>8}  {}\n",
            "case", "success", "attempts", "tokens", "seconds", "cost", "outcome"
        );
        for case in &self.cases {
            let cost = case
                .cost
                .map_or_else(|| "-".to_owned(), |cost| format!("${cost:.4}"));
            let _ = writeln!(
                text,
                "{:<width$}  {:<7}  {:>8}  {:>9}  {:>10.1}  {:>8}  {}",
                case.name,
                if case.success { "yes" } else { "no" },
                case.attempts,
                case.usage.total(),
                case.seconds,
                cost,
                case.outcome
            );
        }
        let seconds: f64 = self.cases.iter().map(|case| case.seconds).sum();
        let attempts: usize = self.cases.iter().map(|case| case.attempts).sum();
        let costs: Vec<f64> = self.cases.iter().filter_map(|case| case.cost).collect();
        let cost = if costs.is_empty() {
            "-".to_owned()
        } else {
            format!("${:.4}", costs.iter().sum::<f64>())
        };
        let _ = writeln!(
            text,
            "{:<width$}  {:<7}  {:>8}  {:>9}  {:>10.1}  {:>8}  {}/{} succeeded ({:.0} %)",
            "total",
            "",
            attempts,
            self.usage().total(),
            seconds,
            cost,
            self.successes(),
            self.cases.len(),
            self.success_rate() * 100.0
        );
        text
    }
}

/// The project name for a case: its folder name in the app-name alphabet.
pub fn project_name(case: &str) -> String {
    let mut name: String = case
        .to_ascii_lowercase()
        .chars()
        .map(|character| {
            if character.is_ascii_alphanumeric() {
                character
            } else {
                '-'
            }
        })
        .collect();
    name = name.trim_matches('-').to_owned();
    if !name.starts_with(|character: char| character.is_ascii_lowercase()) {
        name.insert_str(0, "case-");
    }
    name.truncate(63);
    name.trim_end_matches('-').to_owned()
}

/// Runs every case through [`generate`] with `template`'s settings (its name and destination
/// are replaced per case; projects go to a temporary folder removed afterwards). `observer`
/// hears each case's events with its name.
pub fn evaluate(
    cases: &[Case],
    template: &GenerateOptions,
    pipeline: &dyn Pipeline,
    provider: Option<&dyn Provider>,
    observer: &mut dyn FnMut(&str, Event<'_>),
) -> EvaluationReport {
    let mut report = EvaluationReport::default();
    for case in cases {
        let started = Instant::now();
        let result = tempfile::tempdir()
            .map_err(|error| error.to_string())
            .and_then(|workspace| {
                let name = project_name(&case.name);
                let mut options = template.clone();
                options.destination = workspace.path().join(&name);
                options.name = name;
                options.required_probes = case.probes.clone();
                options.scratch_parent = Some(workspace.path().to_owned());
                generate(
                    &case.description,
                    &options,
                    pipeline,
                    provider,
                    &mut |event| observer(&case.name, event),
                )
                .map_err(|error| error.to_string())
            });
        let seconds = started.elapsed().as_secs_f64();
        report.cases.push(match result {
            Ok(run) => CaseResult {
                detail: match &run.outcome {
                    Outcome::Failed { diagnostics, .. } => diagnostics
                        .lines()
                        .find(|line| !line.trim().is_empty())
                        .unwrap_or("")
                        .to_owned(),
                    Outcome::NeedsModel(phrases) => phrases.join(", "),
                    Outcome::NotSupported(refusals) => refusals
                        .iter()
                        .map(|refusal| refusal.reason.as_str())
                        .collect::<Vec<_>>()
                        .join("; "),
                    _ => String::new(),
                },
                name: case.name.clone(),
                success: run.succeeded(),
                attempts: run.attempts.len(),
                usage: run.usage,
                cost: run.cost,
                seconds,
                outcome: match &run.outcome {
                    Outcome::Succeeded(_) => "passed".to_owned(),
                    Outcome::Failed { stage, .. } => format!("failed at {stage}"),
                    Outcome::NotSupported(_) => "not supported".to_owned(),
                    Outcome::NeedsModel(_) => "needs a model".to_owned(),
                    Outcome::Unclear => "unclear without a model".to_owned(),
                    Outcome::ProviderFailed(error) => format!("model failed: {error}"),
                    Outcome::NothingToFix => "nothing to fix".to_owned(),
                },
            },
            Err(error) => CaseResult {
                name: case.name.clone(),
                success: false,
                attempts: 0,
                usage: Usage::default(),
                cost: None,
                seconds,
                outcome: "could not run".to_owned(),
                detail: error,
            },
        });
    }
    report
}

#[cfg(test)]
mod tests;
