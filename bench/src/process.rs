//! A child process the benchmark owns: stopped and reaped when dropped, and stopped on Ctrl-C
//! through [`crate::cleanup`].

use std::process::{Child, Command};

/// A running child, killed when dropped.
#[derive(Debug)]
pub struct OwnedChild {
    child: Child,
}

impl OwnedChild {
    /// Spawns `command`; `what` names it in the error.
    pub fn spawn(mut command: Command, what: &str) -> Result<OwnedChild, String> {
        let child = command
            .spawn()
            .map_err(|error| format!("cannot start {what}: {error}"))?;
        crate::cleanup::register_process(child.id());
        Ok(OwnedChild { child })
    }

    /// The child, for its pipes.
    pub fn child(&mut self) -> &mut Child {
        &mut self.child
    }

    /// Whether it has exited already.
    pub fn has_exited(&mut self) -> bool {
        !matches!(self.child.try_wait(), Ok(None))
    }
}

impl Drop for OwnedChild {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        crate::cleanup::forget_process(self.child.id());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dropped_child_is_stopped_and_reaped() {
        let mut command = Command::new("sleep");
        command.arg("60");
        let mut owned = OwnedChild::spawn(command, "sleep").unwrap();
        let id = owned.child().id();
        assert!(!owned.has_exited());
        drop(owned);
        assert!(!std::path::Path::new(&format!("/proc/{id}")).exists());
    }

    #[test]
    fn a_missing_program_is_a_clear_error() {
        let error = OwnedChild::spawn(Command::new("/nonexistent/wrk"), "wrk").unwrap_err();
        assert!(error.starts_with("cannot start wrk"), "{error}");
    }
}
