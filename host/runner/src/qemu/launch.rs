//! Launching QEMU: spawn it, stream the guest's serial line by line with arrival times, stop it
//! on timeout or interrupt, always reap it, and report the verdict.

use std::os::unix::process::CommandExt;
use std::process::{Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use super::accelerator::{resolve_accelerator, AcceleratorChoice};
use super::error::{hint_for, spawn_error, LaunchError};
use super::process::{read_stderr, QemuProcess};
use super::verdict::{classify, ExitLines, GuestExit};
use super::QemuConfig;
use crate::interrupt::{self, ActiveLaunch};
use crate::serial::SerialLine;
use crate::serial::{read_serial, Event};

/// How often the launch loop checks the timeout, interrupts and KVM errors.
const POLL_INTERVAL: Duration = Duration::from_millis(10);

/// How a run ended.
#[derive(Clone, Debug)]
pub struct RunReport {
    /// The verdict.
    pub exit: GuestExit,
    /// The accelerator used, and why.
    pub accelerator: AcceleratorChoice,
    /// Just before QEMU was spawned.
    pub launched: Instant,
    /// When QEMU was reaped.
    pub finished: Instant,
    /// QEMU's exit status (`None` when we stopped it).
    pub status: Option<i32>,
    /// QEMU's stderr (SeaBIOS and QEMU warnings; usually empty).
    pub stderr: String,
    /// How many serial lines the guest printed.
    pub serial_lines: usize,
}

/// Boots `config.image`, calling `on_serial_line` for each serial line as it arrives, until the
/// guest exits, the timeout passes or the user interrupts. QEMU never outlives this call.
pub fn run(
    config: &QemuConfig,
    mut on_serial_line: impl FnMut(&SerialLine),
) -> Result<RunReport, LaunchError> {
    if !config.image.is_file() {
        return Err(LaunchError::ImageNotFound {
            image: config.image.clone(),
        });
    }
    let accelerator = resolve_accelerator(config)?;
    let active = ActiveLaunch::begin();
    let mut command = Command::new(&config.binary);
    command.args(config.arguments(accelerator.accelerator));
    command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if active.handler_installed() {
        command.process_group(0);
    }
    let launched = Instant::now();
    let mut child = QemuProcess::new(
        command
            .spawn()
            .map_err(|source| spawn_error(&config.binary, source))?,
    );
    let (sender, events) = mpsc::channel();
    let stdout = child
        .take_stdout()
        .map(|stdout| thread::spawn(move || read_serial(stdout, &sender)));
    let kvm_failed = Arc::new(AtomicBool::new(false));
    let stderr_text = Arc::new(Mutex::new(String::new()));
    let stderr = child.take_stderr().map(|stderr| {
        let (text, flag) = (Arc::clone(&stderr_text), Arc::clone(&kvm_failed));
        thread::spawn(move || read_stderr(stderr, &text, &flag))
    });

    let deadline = config.timeout.map(|timeout| launched + timeout);
    let mut exit_lines = ExitLines::default();
    let mut serial_lines = 0;
    let mut last_arrival = launched;
    let mut deliver = |line: SerialLine| {
        exit_lines.observe(&line.text);
        serial_lines += 1;
        last_arrival = last_arrival.max(line.arrived);
        on_serial_line(&line);
    };
    let ending = loop {
        let wait = deadline.map_or(POLL_INTERVAL, |deadline| {
            deadline
                .saturating_duration_since(Instant::now())
                .min(POLL_INTERVAL)
        });
        match events.recv_timeout(wait) {
            Ok(Event::Line(line)) => deliver(line),
            Ok(Event::Closed) | Err(mpsc::RecvTimeoutError::Disconnected) => {
                break Ending::Exited(child.wait()?)
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
        }
        if let Some(status) = child.try_wait()? {
            break Ending::Exited(status);
        }
        if interrupt::interrupted() {
            break Ending::Stopped(GuestExit::Interrupted, child.stop());
        }
        if deadline.is_some_and(|deadline| Instant::now() >= deadline) {
            break Ending::Stopped(GuestExit::Timeout, child.stop());
        }
        if kvm_failed.load(Ordering::SeqCst) {
            child.stop();
            break Ending::KvmFailed;
        }
    };
    // QEMU is gone, so both pipes reach their end: deliver the lines still in flight.
    for reader in [stdout, stderr].into_iter().flatten() {
        let _ = reader.join();
    }
    for event in events.try_iter() {
        if let Event::Line(line) = event {
            deliver(line);
        }
    }
    let stderr = std::mem::take(
        &mut *stderr_text
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()),
    );
    let (exit, status, finished) = match ending {
        Ending::Exited((status, finished)) => {
            let code = status.code();
            match classify(code, exit_lines) {
                Some(exit) => (exit, code, finished),
                None => {
                    return Err(LaunchError::VmmFailed {
                        status: code,
                        hint: hint_for(&stderr),
                        stderr,
                    })
                }
            }
        }
        Ending::Stopped(exit, finished) => (exit, None, finished),
        Ending::KvmFailed => {
            return Err(LaunchError::VmmFailed {
                status: None,
                hint: hint_for(&stderr),
                stderr,
            })
        }
    };
    Ok(RunReport {
        exit,
        accelerator,
        launched,
        // The readers may stamp the last lines after the exit was seen: the run ends with both.
        finished: finished.max(last_arrival),
        status,
        stderr,
        serial_lines,
    })
}

enum Ending {
    Exited((ExitStatus, Instant)),
    Stopped(GuestExit, Instant),
    KvmFailed,
}

impl crate::launcher::Launcher for QemuConfig {
    fn name(&self) -> &'static str {
        "QEMU"
    }

    fn launch(
        &self,
        on_line: &mut dyn FnMut(&SerialLine),
    ) -> Result<crate::launcher::Launched, crate::launcher::LaunchFailure> {
        let report = run(self, on_line).map_err(|error| crate::launcher::LaunchFailure {
            invalid_input: matches!(
                error,
                LaunchError::ImageNotFound { .. } | LaunchError::BadAcceleratorVariable { .. }
            ),
            message: error.to_string(),
        })?;
        let accelerator = match report.accelerator.accelerator {
            crate::qemu::Accelerator::Kvm => "KVM",
            crate::qemu::Accelerator::Tcg => "TCG",
        };
        Ok(crate::launcher::Launched {
            exit: report.exit,
            launched: report.launched,
            finished: report.finished,
            how: format!("under {accelerator}"),
        })
    }
}
