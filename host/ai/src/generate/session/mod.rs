//! The attempt loop shared by `generate` and `fix`: ask the model, merge its files, fill in the
//! rules' defaults, run the stages in the scratch folder, feed the failure back, and at the end
//! install or not.

use std::time::Instant;

use tempfile::TempDir;

mod finish;

use super::report::AttemptReport;
use super::stages::{run_stages, StageError};
use super::{Event, GenerateError, GenerateOptions};
use crate::pipeline::{Pipeline, Stage};
use crate::probe::Probe;
use crate::project::{ProjectFiles, ProjectPath};
use crate::prompt::{self, feedback};
use crate::provider::{ChatRequest, Message, Provider, ProviderError, Usage};
use crate::reply::{parse_reply, Reply};
use crate::rules::{fill_defaults, Understanding};

/// The state of one run.
pub struct Session<'a> {
    options: &'a GenerateOptions,
    pipeline: &'a dyn Pipeline,
    provider: Option<&'a dyn Provider>,
    observer: &'a mut dyn FnMut(Event<'_>),
    scratch: TempDir,
    started: Instant,
    /// The project as it stands.
    pub files: ProjectFiles,
    probes: Vec<Probe>,
    tested: Vec<Probe>,
    attempts: Vec<AttemptReport>,
    usage: Usage,
    last_failure: Option<StageError>,
}

impl<'a> Session<'a> {
    /// A session with a fresh scratch folder.
    pub fn new(
        options: &'a GenerateOptions,
        pipeline: &'a dyn Pipeline,
        provider: Option<&'a dyn Provider>,
        observer: &'a mut dyn FnMut(Event<'_>),
        started: Instant,
    ) -> Result<Self, GenerateError> {
        let parent = options
            .scratch_parent
            .clone()
            .unwrap_or_else(std::env::temp_dir);
        let scratch = tempfile::Builder::new()
            .prefix(".sauce-ai-")
            .tempdir_in(&parent)
            .map_err(|source| GenerateError::Scratch {
                folder: parent.clone(),
                source,
            })?;
        Ok(Self {
            options,
            pipeline,
            provider,
            observer,
            scratch,
            started,
            files: ProjectFiles::new(),
            probes: Vec::new(),
            tested: Vec::new(),
            attempts: Vec::new(),
            usage: Usage::default(),
            last_failure: None,
        })
    }

    /// Diagnostics with the scratch folder's paths as the user's folder.
    fn for_user(&self, diagnostics: &str) -> String {
        feedback::rewrite_paths(
            diagnostics,
            self.scratch.path(),
            &self.options.destination.display().to_string(),
        )
    }

    /// Diagnostics with project-relative paths, for the model.
    fn for_model(&self, diagnostics: &str) -> String {
        feedback::rewrite_paths(diagnostics, self.scratch.path(), "")
    }

    /// Runs the stages on the current files.
    pub fn stages(&mut self, attempt: u32) -> Result<(), StageError> {
        let mut probes = self.probes.clone();
        probes.extend(self.options.required_probes.iter().cloned());
        let result = run_stages(
            self.scratch.path(),
            &self.files,
            &probes,
            self.pipeline,
            &self.options.security,
            attempt,
            self.observer,
        );
        match result {
            Ok(tested) => {
                self.tested = tested;
                self.last_failure = None;
                Ok(())
            }
            Err(failure) => {
                self.last_failure = Some(failure.clone());
                Err(failure)
            }
        }
    }

    fn record(
        &mut self,
        mut report: AttemptReport,
        failure: Option<StageError>,
        previous: Option<Stage>,
        started: Instant,
    ) {
        report.fixed = match (&failure, previous) {
            (None, Some(stage)) => Some(stage),
            (Some((now, _)), Some(stage)) if *now > stage => Some(stage),
            _ => None,
        };
        report.failure = failure.map(|(stage, diagnostics)| (stage, self.for_user(&diagnostics)));
        report.duration = started.elapsed();
        (self.observer)(Event::Attempt(&report));
        self.attempts.push(report);
    }

    /// The rule-based path: one attempt with the rules' files.
    pub fn run_rules(&mut self, files: ProjectFiles) -> bool {
        let started = Instant::now();
        let changed = self.files.merge(&files);
        (self.observer)(Event::Writing {
            attempt: 1,
            files: &changed,
        });
        let result = self.stages(1);
        let report = AttemptReport {
            number: 1,
            plan: "the rules' reading of the description".to_owned(),
            changed,
            defaults: Vec::new(),
            notes: Vec::new(),
            failure: None,
            fixed: None,
            usage: Usage::default(),
            duration: started.elapsed(),
        };
        let passed = result.is_ok();
        self.record(report, result.err(), None, started);
        passed
    }

    fn current_project(&self) -> String {
        let mut text = self.files.render();
        if !self.probes.is_empty() {
            let lines: Vec<String> = self.probes.iter().map(ToString::to_string).collect();
            text.push_str(&format!("```probes\n{}\n```\n", lines.join("\n")));
        }
        text
    }

    /// Asks the model up to `attempts` times. `first` is the opening user message; `failure` is
    /// the failure to repair before the first request (`fix`). Returns whether a try passed.
    pub fn model_loop(
        &mut self,
        first: String,
        failure: Option<StageError>,
        understanding: Option<&Understanding>,
    ) -> Result<bool, ProviderError> {
        let Some(provider) = self.provider else {
            return Ok(false);
        };
        let system = prompt::system_prompt();
        self.last_failure = failure;
        let mut reply_notes = String::new();
        for number in 1..=self.options.attempts.max(1) {
            let started = Instant::now();
            let mut messages = vec![Message::user(first.clone())];
            if let Some((stage, diagnostics)) = self.last_failure.clone() {
                let mut diagnostics = self.for_model(&diagnostics);
                if !reply_notes.is_empty() {
                    diagnostics = format!("{diagnostics}\n\nAbout your last reply:\n{reply_notes}");
                }
                messages.push(Message::assistant(self.current_project()));
                messages.push(Message::user(prompt::repair_prompt(
                    number - 1,
                    self.options.attempts,
                    stage,
                    &diagnostics,
                    self.options.diagnostics_limit,
                )));
            }
            let request = ChatRequest {
                system: system.clone(),
                messages,
                max_output_tokens: self.options.max_output_tokens,
                temperature: self.options.temperature,
                structured: self.options.structured_output,
            };
            (self.observer)(Event::Asking { attempt: number });
            let observer = &mut *self.observer;
            let completion =
                provider.complete(&request, &mut |event| observer(Event::Provider(event)))?;
            self.usage += completion.usage;
            let reply = parse_reply(&completion.text);
            let previous = self.last_failure.as_ref().map(|(stage, _)| *stage);
            let mut report = AttemptReport {
                number,
                plan: reply.plan.clone(),
                changed: Vec::new(),
                defaults: Vec::new(),
                notes: reply.notes.iter().map(ToString::to_string).collect(),
                failure: None,
                fixed: None,
                usage: completion.usage,
                duration: started.elapsed(),
            };
            reply_notes = reply.problems();
            if !reply.is_usable() {
                let mut message = if reply_notes.is_empty() {
                    "the reply has no file in a fenced block whose info string names it (such as ```toml sauce.toml)".to_owned()
                } else {
                    format!("the reply has no usable file:\n{reply_notes}")
                };
                if completion.truncated {
                    message.push_str("\nthe reply was cut off at the token limit: write less prose and only the files that change");
                }
                reply_notes.clear();
                let failure = (Stage::Reply, message);
                self.last_failure = Some(failure.clone());
                self.record(report, Some(failure), previous, started);
                continue;
            }
            report.changed = self.apply(&reply, understanding, &mut report.defaults);
            (self.observer)(Event::Writing {
                attempt: number,
                files: &report.changed,
            });
            if report.changed.is_empty() && previous.is_some() {
                let (stage, diagnostics) = self
                    .last_failure
                    .clone()
                    .unwrap_or((Stage::Reply, String::new()));
                let failure = (
                    stage,
                    format!("the reply changed no file, so the failure remains:\n{diagnostics}"),
                );
                self.record(report, Some(failure), previous, started);
                continue;
            }
            let result = self.stages(number);
            let passed = result.is_ok();
            self.record(report, result.err(), previous, started);
            if passed {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// Merges the reply into the project and fills in the rules' defaults; returns the files
    /// that changed.
    fn apply(
        &mut self,
        reply: &Reply,
        understanding: Option<&Understanding>,
        defaults: &mut Vec<String>,
    ) -> Vec<ProjectPath> {
        let mut changed = self.files.merge(&reply.files);
        if !reply.probes.is_empty() {
            self.probes = reply.probes.clone();
        }
        if let (Some(understanding), Some(intent)) = (understanding, self.files.text("sauce.toml"))
        {
            let filled = fill_defaults(intent, &understanding.draft, &self.options.name);
            if !filled.changes.is_empty() {
                if let Ok(path) = ProjectPath::parse("sauce.toml") {
                    self.files.insert(path.clone(), filled.text);
                    if !changed.contains(&path) {
                        changed.push(path);
                        changed.sort();
                    }
                }
                defaults.extend(filled.changes);
            }
        }
        changed
    }
}
