//! Exit codes, fixed by README.md, "Using sauce" and extended for guests: each failure maps to one.

use sauce_builder::BuildError;
use sauce_intent::LoadError;
use sauce_runner::{GuestExit, LaunchError};

/// How `sauce` ends, as an exit code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// 0: done; for `run`, the guest shut down cleanly.
    Success,
    /// 1: the user's input is invalid (sauce.toml, flags, paths); diagnostics were printed.
    InvalidInput,
    /// 2: the environment failed (QEMU missing, build failed, VMM crashed), with cause and fix.
    Environment,
    /// 3: the guest failed: failure exit, panic, fault, reset or triple fault.
    GuestFailed,
    /// 4: the guest did not exit before `--timeout`.
    Timeout,
    /// 130: interrupted by Ctrl-C or a termination signal.
    Interrupted,
}

impl Outcome {
    /// The process exit code.
    pub fn code(self) -> i32 {
        match self {
            Self::Success => 0,
            Self::InvalidInput => 1,
            Self::Environment => 2,
            Self::GuestFailed => 3,
            Self::Timeout => 4,
            Self::Interrupted => sauce_runner::interrupt::INTERRUPTED_EXIT_CODE,
        }
    }

    /// The outcome of a guest's exit.
    pub fn of_guest(exit: GuestExit) -> Self {
        match exit {
            GuestExit::Success => Self::Success,
            GuestExit::Failure | GuestExit::Reset => Self::GuestFailed,
            GuestExit::Timeout => Self::Timeout,
            GuestExit::Interrupted => Self::Interrupted,
        }
    }
}

/// A failure to report: its message is printed after `error: `.
#[derive(Debug)]
pub struct Failure {
    /// The exit code.
    pub outcome: Outcome,
    /// What went wrong and how to fix it.
    pub message: String,
}

impl Failure {
    /// Invalid user input.
    pub fn invalid(message: impl Into<String>) -> Self {
        Self {
            outcome: Outcome::InvalidInput,
            message: message.into(),
        }
    }

    /// An environment failure.
    pub fn environment(message: impl Into<String>) -> Self {
        Self {
            outcome: Outcome::Environment,
            message: message.into(),
        }
    }
}

impl From<LoadError> for Failure {
    fn from(error: LoadError) -> Self {
        Self::invalid(error.to_string())
    }
}

impl From<BuildError> for Failure {
    fn from(error: BuildError) -> Self {
        match error {
            // The intent asks for what no component provides, or embeds a file that cannot be read.
            BuildError::Select(_)
            | BuildError::Generate(sauce_codegen::GenerateError::Asset(_)) => {
                Self::invalid(error.to_string())
            }
            _ => Self::environment(error.to_string()),
        }
    }
}

impl From<sauce_runner::LaunchFailure> for Failure {
    fn from(failure: sauce_runner::LaunchFailure) -> Self {
        Self {
            outcome: if failure.invalid_input {
                Outcome::InvalidInput
            } else {
                Outcome::Environment
            },
            message: failure.message,
        }
    }
}

impl From<LaunchError> for Failure {
    fn from(error: LaunchError) -> Self {
        let outcome = match error {
            LaunchError::ImageNotFound { .. } | LaunchError::BadAcceleratorVariable { .. } => {
                Outcome::InvalidInput
            }
            _ => Outcome::Environment,
        };
        Self {
            outcome,
            message: error.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_match_the_contract() {
        let codes: Vec<i32> = [
            Outcome::Success,
            Outcome::InvalidInput,
            Outcome::Environment,
            Outcome::GuestFailed,
            Outcome::Timeout,
            Outcome::Interrupted,
        ]
        .iter()
        .map(|outcome| outcome.code())
        .collect();
        assert_eq!(codes, [0, 1, 2, 3, 4, 130]);
    }

    #[test]
    fn guest_failures_and_resets_are_code_three() {
        assert_eq!(Outcome::of_guest(GuestExit::Reset), Outcome::GuestFailed);
        assert_eq!(Outcome::of_guest(GuestExit::Failure), Outcome::GuestFailed);
        assert_eq!(Outcome::of_guest(GuestExit::Timeout), Outcome::Timeout);
    }
}
