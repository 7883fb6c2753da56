//! The seam to SauceOS's real stages: the integrator implements [`Pipeline`] with `sauce check`,
//! the image build (and clippy at [`crate::security::CLIPPY_DENY_LINTS`]) and a QEMU boot that
//! runs the probes ([`crate::probe::run_probes`] does the HTTP part); the loop calls it on a
//! scratch copy of the project, never on the user's folder.
//!
//! - [`command`]: [`command::SauceCommand`], the stages through the `sauce` binary.
//! - [`clippy`]: [`clippy::Clippy`], the app crate's lints before the image build.

pub mod clippy;
pub mod command;

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::probe::Probe;

/// A stage of the loop, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Stage {
    /// Reading the model's reply (no usable file, refused names).
    Reply,
    /// `sauce check`: the intent (and, once handlers exist, their names and signatures).
    Check,
    /// The security checks on the sources (before anything is compiled).
    Security,
    /// Building the image (cargo, rustc, clippy).
    Build,
    /// The size and build-time budgets.
    Budget,
    /// Booting the image and probing its routes.
    SmokeTest,
}

impl Stage {
    /// The stage's name in reports.
    pub fn name(self) -> &'static str {
        match self {
            Stage::Reply => "reply",
            Stage::Check => "check",
            Stage::Security => "security",
            Stage::Build => "build",
            Stage::Budget => "budget",
            Stage::SmokeTest => "smoke test",
        }
    }
}

impl fmt::Display for Stage {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.name())
    }
}

/// A stage that failed, with what it printed (rustc-style diagnostics, probe failures), verbatim.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StageFailure {
    /// The diagnostics, as the stage printed them.
    pub diagnostics: String,
}

impl StageFailure {
    /// A failure with these diagnostics.
    pub fn new(diagnostics: impl Into<String>) -> Self {
        Self {
            diagnostics: diagnostics.into(),
        }
    }
}

/// What a build produced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BuildOutput {
    /// The image, if the pipeline keeps one on disk.
    pub image: Option<PathBuf>,
    /// The image size, in bytes.
    pub image_size: u64,
    /// How long the build took.
    pub duration: Duration,
}

/// SauceOS's stages, as the loop sees them. Every method gets the scratch folder holding the
/// project as it stands; diagnostics may name paths inside it (the loop rewrites them).
pub trait Pipeline {
    /// Parses and validates the project (`sauce check`).
    fn check(&self, folder: &Path) -> Result<(), StageFailure>;

    /// Builds the image; a failure carries rustc's (and clippy's) diagnostics.
    fn build(&self, folder: &Path) -> Result<BuildOutput, StageFailure>;

    /// Boots the image and sends every probe; a failure lists the probes that failed and the
    /// guest's last serial lines.
    fn smoke_test(
        &self,
        folder: &Path,
        build: &BuildOutput,
        probes: &[Probe],
    ) -> Result<(), StageFailure>;
}
