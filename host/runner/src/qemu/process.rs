//! The QEMU child process: reaped whatever happens, and its two pipes read on their own threads.

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, ChildStderr, ChildStdout, ExitStatus};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::Instant;

use super::error::LaunchError;

/// At most this much of QEMU's stderr is kept.
const STDERR_LIMIT: usize = 64 * 1024;
/// QEMU prints this when KVM stops the guest for good (the VM then sits paused for ever).
pub(crate) const KVM_INTERNAL_ERROR: &str = "KVM internal error";

/// Keeps QEMU's stderr (up to a limit) and raises `kvm_failed` on a KVM internal error.
pub(crate) fn read_stderr(stderr: impl Read, text: &Mutex<String>, kvm_failed: &AtomicBool) {
    for line in BufReader::new(stderr).lines() {
        let Ok(line) = line else { break };
        if line.contains(KVM_INTERNAL_ERROR) {
            kvm_failed.store(true, Ordering::SeqCst);
        }
        let mut text = text.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if text.len() + line.len() < STDERR_LIMIT {
            text.push_str(&line);
            text.push('\n');
        }
    }
}

/// A running QEMU that is killed and reaped when dropped, whatever happens to the caller.
pub(crate) struct QemuProcess {
    child: Child,
    reaped: bool,
}

impl QemuProcess {
    pub(crate) fn new(child: Child) -> Self {
        Self {
            child,
            reaped: false,
        }
    }

    pub(crate) fn take_stdout(&mut self) -> Option<ChildStdout> {
        self.child.stdout.take()
    }

    pub(crate) fn take_stderr(&mut self) -> Option<ChildStderr> {
        self.child.stderr.take()
    }

    pub(crate) fn wait(&mut self) -> Result<(ExitStatus, Instant), LaunchError> {
        let status = self
            .child
            .wait()
            .map_err(|source| LaunchError::Wait { source })?;
        self.reaped = true;
        Ok((status, Instant::now()))
    }

    pub(crate) fn try_wait(&mut self) -> Result<Option<(ExitStatus, Instant)>, LaunchError> {
        let status = self
            .child
            .try_wait()
            .map_err(|source| LaunchError::Wait { source })?;
        self.reaped = status.is_some();
        Ok(status.map(|status| (status, Instant::now())))
    }

    /// Kills and reaps QEMU; returns when it is gone.
    pub(crate) fn stop(&mut self) -> Instant {
        let _ = self.child.kill();
        let _ = self.child.wait();
        self.reaped = true;
        Instant::now()
    }
}

impl Drop for QemuProcess {
    fn drop(&mut self) {
        if !self.reaped {
            self.stop();
        }
    }
}
