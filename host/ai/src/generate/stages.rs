//! One pass of the stages over the project in the scratch folder: check, security, build,
//! budgets, smoke test with the declared routes' probes plus the proposed ones.

use std::path::Path;

use crate::pipeline::{BuildOutput, Pipeline, Stage};
use crate::probe::{probes_for_intent, Probe};
use crate::project::{write_files, ProjectFiles};
use crate::prompt::feedback;
use crate::security::{
    check_budgets, check_sources, render_findings, BuildFigures, SecurityPolicy,
};

use super::Event;

/// A failed stage: which, and what it said (paths inside the scratch folder).
pub type StageError = (Stage, String);

/// Writes `files` into `scratch` and runs every stage; returns the probes the smoke test ran.
pub fn run_stages(
    scratch: &Path,
    files: &ProjectFiles,
    proposed: &[Probe],
    pipeline: &dyn Pipeline,
    policy: &SecurityPolicy,
    attempt: u32,
    observer: &mut dyn FnMut(Event<'_>),
) -> Result<Vec<Probe>, StageError> {
    write_files(scratch, files).map_err(|error| {
        (
            Stage::Reply,
            format!("the files could not be written: {error}"),
        )
    })?;
    observer(Event::Stage {
        attempt,
        stage: Stage::Check,
    });
    pipeline
        .check(scratch)
        .map_err(|failure| (Stage::Check, failure.diagnostics))?;
    observer(Event::Stage {
        attempt,
        stage: Stage::Security,
    });
    let findings = check_sources(files, policy);
    if !findings.is_empty() {
        return Err((Stage::Security, render_findings(&findings)));
    }
    observer(Event::Stage {
        attempt,
        stage: Stage::Build,
    });
    let build: BuildOutput = pipeline.build(scratch).map_err(|failure| {
        let plain = feedback::strip_colour(&failure.diagnostics);
        (
            Stage::Build,
            feedback::keep_project_diagnostics(&plain, scratch),
        )
    })?;
    let over = check_budgets(
        BuildFigures {
            image_size: build.image_size,
            duration: build.duration,
        },
        policy,
    );
    if !over.is_empty() {
        return Err((Stage::Budget, render_findings(&over)));
    }
    observer(Event::Stage {
        attempt,
        stage: Stage::SmokeTest,
    });
    // The declared routes' probes come from sauce-intent; an intent it cannot read yet (handler
    // keys before they join it) is probed with the proposed probes only.
    let mut probes = sauce_intent::load(scratch)
        .map(|intent| probes_for_intent(&intent))
        .unwrap_or_default();
    probes.extend(proposed.iter().cloned());
    pipeline
        .smoke_test(scratch, &build, &probes)
        .map_err(|failure| (Stage::SmokeTest, failure.diagnostics))?;
    Ok(probes)
}
