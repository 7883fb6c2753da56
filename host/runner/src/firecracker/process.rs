//! The Firecracker child process: stopped politely (Ctrl-Alt-Del through the API), then
//! killed after a grace period, and always reaped, whatever happens to the caller.

use std::process::{Child, ExitStatus};
use std::time::{Duration, Instant};

use super::api::ApiClient;
use super::configuration::send_ctrl_alt_del;
use super::error::FirecrackerError;

/// How long a stopped guest may take to shut down after Ctrl-Alt-Del before it is killed.
pub(crate) const GRACE_PERIOD: Duration = Duration::from_millis(500);
/// How long the Ctrl-Alt-Del request itself may take.
const REQUEST_TIMEOUT: Duration = Duration::from_millis(300);

/// A running Firecracker that is killed and reaped when dropped.
pub(crate) struct FirecrackerProcess {
    child: Child,
    api: ApiClient,
    reaped: bool,
}

impl FirecrackerProcess {
    pub(crate) fn new(child: Child, api: ApiClient) -> Self {
        Self {
            child,
            api,
            reaped: false,
        }
    }

    pub(crate) fn child(&mut self) -> &mut Child {
        &mut self.child
    }

    pub(crate) fn wait(&mut self) -> Result<(ExitStatus, Instant), FirecrackerError> {
        let status = self
            .child
            .wait()
            .map_err(|source| FirecrackerError::Wait { source })?;
        self.reaped = true;
        Ok((status, Instant::now()))
    }

    pub(crate) fn try_wait(&mut self) -> Result<Option<(ExitStatus, Instant)>, FirecrackerError> {
        let status = self
            .child
            .try_wait()
            .map_err(|source| FirecrackerError::Wait { source })?;
        self.reaped = status.is_some();
        Ok(status.map(|status| (status, Instant::now())))
    }

    /// Asks the guest to shut down (Ctrl-Alt-Del), waits up to [`GRACE_PERIOD`], then kills.
    /// Returns when Firecracker is gone.
    pub(crate) fn stop(&mut self) -> Instant {
        if self
            .api
            .clone()
            .with_timeout(REQUEST_TIMEOUT)
            .put("/actions", &send_ctrl_alt_del())
            .is_ok()
        {
            let give_up = Instant::now() + GRACE_PERIOD;
            while Instant::now() < give_up {
                if let Ok(Some((_, finished))) = self.try_wait() {
                    return finished;
                }
                std::thread::sleep(Duration::from_millis(5));
            }
        }
        self.kill()
    }

    /// Kills and reaps Firecracker.
    pub(crate) fn kill(&mut self) -> Instant {
        let _ = self.child.kill();
        let _ = self.child.wait();
        self.reaped = true;
        Instant::now()
    }
}

impl Drop for FirecrackerProcess {
    fn drop(&mut self) {
        if !self.reaped {
            self.kill();
        }
    }
}
