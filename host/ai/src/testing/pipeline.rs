//! A pipeline for tests: `check` is the real intent checker (sauce-intent, its diagnostics
//! verbatim); `build` fails with scripted rustc output when a file contains a marker; the smoke
//! test answers each probe the way the image would serve the intent's static routes (a handler
//! route, whose code the fake does not run, answers `200` with an empty JSON object).

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use sauce_intent::{Intent, LoadError};

use crate::pipeline::{BuildOutput, Pipeline, Stage, StageFailure};
use crate::probe::Probe;

mod answer;

pub use answer::answer;

/// A scripted build failure.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BuildRule {
    /// The project file to look in.
    pub file: String,
    /// The text that makes the build fail.
    pub contains: String,
    /// What the build prints; `{folder}` becomes the project folder.
    pub diagnostics: String,
}

/// The fake pipeline.
#[derive(Debug, Default)]
pub struct FakePipeline {
    /// Scripted build failures.
    pub build_rules: Vec<BuildRule>,
    /// The image size reported.
    pub image_size: u64,
    /// The build time reported.
    pub build_time: Duration,
    calls: Mutex<Vec<(Stage, PathBuf)>>,
}

impl FakePipeline {
    /// A pipeline whose builds succeed with a 200 KiB image in one second.
    pub fn new() -> Self {
        Self {
            build_rules: Vec::new(),
            image_size: 200 << 10,
            build_time: Duration::from_secs(1),
            calls: Mutex::new(Vec::new()),
        }
    }

    /// Adds a scripted build failure.
    pub fn failing_build_when(mut self, file: &str, contains: &str, diagnostics: &str) -> Self {
        self.build_rules.push(BuildRule {
            file: file.to_owned(),
            contains: contains.to_owned(),
            diagnostics: diagnostics.to_owned(),
        });
        self
    }

    /// The stages called so far, in order.
    pub fn calls(&self) -> Vec<Stage> {
        self.calls
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .iter()
            .map(|(stage, _)| *stage)
            .collect()
    }

    /// The folders the stages were called on.
    pub fn folders(&self) -> Vec<PathBuf> {
        self.calls
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .iter()
            .map(|(_, folder)| folder.clone())
            .collect()
    }

    fn record(&self, stage: Stage, folder: &Path) {
        self.calls
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .push((stage, folder.to_owned()));
    }
}

fn load(folder: &Path) -> Result<Intent, StageFailure> {
    sauce_intent::load(folder).map_err(|error| match error {
        LoadError::Invalid { .. } => StageFailure::new(error.render(false)),
        other => StageFailure::new(other.to_string()),
    })
}

impl Pipeline for FakePipeline {
    fn check(&self, folder: &Path) -> Result<(), StageFailure> {
        self.record(Stage::Check, folder);
        load(folder).map(|_| ())
    }

    fn build(&self, folder: &Path) -> Result<BuildOutput, StageFailure> {
        self.record(Stage::Build, folder);
        for rule in &self.build_rules {
            let text = fs::read_to_string(folder.join(&rule.file)).unwrap_or_default();
            if text.contains(&rule.contains) {
                return Err(StageFailure::new(
                    rule.diagnostics
                        .replace("{folder}", &folder.display().to_string()),
                ));
            }
        }
        Ok(BuildOutput {
            image: None,
            image_size: self.image_size,
            duration: self.build_time,
        })
    }

    fn smoke_test(
        &self,
        folder: &Path,
        _build: &BuildOutput,
        probes: &[Probe],
    ) -> Result<(), StageFailure> {
        self.record(Stage::SmokeTest, folder);
        let intent = load(folder)?;
        let failures: Vec<String> = probes
            .iter()
            .filter_map(|probe| {
                probe
                    .verify(&answer(&intent, probe))
                    .err()
                    .map(|message| format!("{probe}: {message}"))
            })
            .collect();
        if failures.is_empty() {
            Ok(())
        } else {
            Err(StageFailure::new(format!(
                "{} of {} probes failed:\n{}",
                failures.len(),
                probes.len(),
                failures.join("\n")
            )))
        }
    }
}

#[cfg(test)]
mod tests;
