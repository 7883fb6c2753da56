//! How a session ends: installing what passed (or, with keep_failed, what did not), and the report.

use super::Session;
use crate::generate::report::{Outcome, Report};
use crate::generate::stages::StageError;
use crate::generate::Event;
use crate::pipeline::Stage;
use crate::project::{install, InstallMode, ProjectFiles};
use crate::provider::ProviderError;
use crate::rules::Understanding;

impl<'a> Session<'a> {
    pub(super) fn report(&self, outcome: Outcome, understanding: Option<Understanding>) -> Report {
        let cost = self.provider.and_then(|provider| provider.cost(self.usage));
        Report {
            outcome,
            understanding,
            attempts: self.attempts.clone(),
            files: self.files.clone(),
            probes: self.tested.clone(),
            usage: self.usage,
            cost,
            model: self.provider.map(|provider| provider.model().to_owned()),
            duration: self.started.elapsed(),
        }
    }

    pub(super) fn failure_outcome(&mut self, mode: InstallMode, files: &ProjectFiles) -> Outcome {
        let (stage, diagnostics) = self
            .last_failure
            .clone()
            .unwrap_or((Stage::Reply, "no attempt was made".to_owned()));
        let diagnostics = self.for_user(&diagnostics);
        let kept = if self.options.keep_failed && !files.is_empty() {
            install(files, &self.options.destination, mode).ok()
        } else {
            None
        };
        if let Some(installed) = &kept {
            (self.observer)(Event::Installed(installed));
        }
        Outcome::Failed {
            stage,
            diagnostics,
            kept,
        }
    }

    /// Installs the project when it passed; reports either way.
    pub fn finish(
        mut self,
        passed: bool,
        mode: InstallMode,
        understanding: Option<Understanding>,
    ) -> Report {
        let files = self.files.clone();
        let outcome = if passed {
            match install(&files, &self.options.destination, mode) {
                Ok(installed) => {
                    (self.observer)(Event::Installed(&installed));
                    Outcome::Succeeded(installed)
                }
                Err(error) => Outcome::Failed {
                    stage: Stage::Reply,
                    diagnostics: format!("the project passed but could not be written: {error}"),
                    kept: None,
                },
            }
        } else {
            self.failure_outcome(mode, &files)
        };
        self.report(outcome, understanding)
    }

    /// `fix`: writes back only the files that differ from `original`.
    pub fn finish_fix(
        mut self,
        passed: bool,
        mode: InstallMode,
        original: &ProjectFiles,
    ) -> Report {
        let mut changed = ProjectFiles::new();
        for (path, contents) in self.files.iter() {
            if original.get(path.as_str()) != Some(contents) {
                changed.insert(path.clone(), contents.to_vec());
            }
        }
        let outcome = if passed {
            match install(&changed, &self.options.destination, mode) {
                Ok(installed) => {
                    (self.observer)(Event::Installed(&installed));
                    Outcome::Succeeded(installed)
                }
                Err(error) => Outcome::Failed {
                    stage: Stage::Reply,
                    diagnostics: format!("the fix passed but could not be written: {error}"),
                    kept: None,
                },
            }
        } else {
            self.failure_outcome(mode, &changed)
        };
        self.report(outcome, None)
    }

    /// The model failed; nothing is written.
    pub fn provider_failed(
        self,
        error: ProviderError,
        understanding: Option<Understanding>,
    ) -> Report {
        self.report(Outcome::ProviderFailed(error), understanding)
    }

    /// `fix` found nothing failing.
    pub fn nothing_to_fix(self) -> Report {
        self.report(Outcome::NothingToFix, None)
    }

    /// `fix` without a model: the failure, and what is needed.
    pub fn fix_needs_model(mut self, failure: StageError) -> Report {
        let diagnostics = self.for_user(&failure.1);
        self.last_failure = Some(failure.clone());
        self.report(
            Outcome::Failed {
                stage: failure.0,
                diagnostics,
                kept: None,
            },
            None,
        )
    }
}
