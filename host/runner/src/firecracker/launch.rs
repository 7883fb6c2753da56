//! Launching Firecracker: network first, then the process, its API configured, serial
//! streamed line by line, stopped on timeout or interrupt, and everything it needed (process,
//! relay, namespace, TAP, private folder) removed however the run ends.

use std::os::unix::process::CommandExt;
use std::process::{Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use super::api::{ApiClient, ApiError};
use super::boot_timer::{self, GuestBootTime};
use super::configuration::instance_start;
use super::console::{read_all, LogFollower};
use super::error::FirecrackerError;
use super::namespace::Namespace;
use super::network::PrivateNetwork;
use super::plan::Plan;
use super::process::FirecrackerProcess;
use super::relay::{self, Relay};
use super::verdict::{classify, VcpuStop};
use super::{FirecrackerConfig, Network};
use crate::interrupt::{self, ActiveLaunch};
use crate::qemu::verdict::{ExitLines, GuestExit};
use crate::serial::SerialLine;
use crate::serial::{read_serial, Event};

/// How often the launch loop checks the timeout, interrupts and the log.
const POLL_INTERVAL: Duration = Duration::from_millis(5);
/// How long Firecracker may take to open its API socket.
const API_PATIENCE: Duration = Duration::from_secs(20);

/// How a run ended.
#[derive(Clone, Debug)]
pub struct FirecrackerReport {
    /// The verdict.
    pub exit: GuestExit,
    /// Just before Firecracker was spawned.
    pub launched: Instant,
    /// When Firecracker accepted `InstanceStart`.
    pub started: Instant,
    /// When Firecracker was reaped.
    pub finished: Instant,
    /// Firecracker's exit status (`None` when killed).
    pub status: Option<i32>,
    /// Firecracker's boot-timer report, when the guest signalled it.
    pub boot_time: Option<GuestBootTime>,
    /// How many serial lines the guest printed.
    pub serial_lines: usize,
    /// Firecracker's log.
    pub log: String,
    /// The private network's namespace, when there was one (already removed).
    pub namespace: Option<String>,
}

/// Boots `config.image` under Firecracker, calling `on_serial_line` for each serial line,
/// until the guest exits, the timeout passes or the user interrupts. Nothing outlives the call.
pub fn run(
    config: &FirecrackerConfig,
    on_serial_line: impl FnMut(&SerialLine),
) -> Result<FirecrackerReport, FirecrackerError> {
    run_until(config, &AtomicBool::new(false), on_serial_line)
}

/// [`run`], also stopping the guest (as an interrupt does: verdict
/// [`GuestExit::Interrupted`]) once `stop` is set, e.g. by another thread that is done with it.
pub fn run_until(
    config: &FirecrackerConfig,
    stop: &AtomicBool,
    mut on_serial_line: impl FnMut(&SerialLine),
) -> Result<FirecrackerReport, FirecrackerError> {
    if !config.image.is_file() {
        return Err(FirecrackerError::ImageNotFound {
            image: config.image.clone(),
        });
    }
    let listeners = match &config.network {
        Network::Private { port_forwards } => relay::bind(port_forwards)?,
        Network::None | Network::Tap { .. } => Vec::new(),
    };
    let folder = tempfile::Builder::new()
        .prefix("sauce-firecracker-")
        .tempdir()
        .map_err(|source| FirecrackerError::TemporaryFolder { source })?;
    let plan = Plan::new(
        config,
        folder.path(),
        Some(PrivateNetwork::next_for_this_process()),
    );
    let active = ActiveLaunch::begin();
    // Dropped in reverse order of creation: relay, process, namespace, folder.
    let namespace = plan.private.as_ref().map(Namespace::create).transpose()?;
    std::fs::File::create(&plan.log)
        .map_err(|source| FirecrackerError::TemporaryFolder { source })?;
    let mut command = Command::new(&plan.program);
    command
        .args(&plan.arguments)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if active.handler_installed() {
        command.process_group(0);
    }
    let api = ApiClient::new(&plan.socket);
    let launched = Instant::now();
    let child = command.spawn().map_err(|source| FirecrackerError::Spawn {
        program: plan.program.clone(),
        source,
    })?;
    let mut process = FirecrackerProcess::new(child, api.clone());
    let (sender, events) = mpsc::channel();
    let stdout = process
        .child()
        .stdout
        .take()
        .map(|stdout| thread::spawn(move || read_serial(stdout, &sender)));
    let stderr = process
        .child()
        .stderr
        .take()
        .map(|stderr| thread::spawn(move || read_all(stderr)));
    let mut log = LogFollower::new(&plan.log);

    if let Err(source) = configure(&api, &plan, &mut process) {
        let exited = process.try_wait().ok().flatten();
        process.kill();
        let stderr = stderr
            .and_then(|reader| reader.join().ok())
            .unwrap_or_default();
        return Err(match exited {
            Some((status, _)) => FirecrackerError::VmmFailed {
                status: status.code(),
                stderr,
                log: log.text(),
            },
            None => FirecrackerError::Api {
                source,
                log: log.text(),
            },
        });
    }
    let started = Instant::now();
    let relay = match (&plan.private, listeners.is_empty()) {
        (Some(private), false) => Some(Relay::start(
            listeners,
            Some(private.namespace_path()),
            private.guest_address,
        )),
        _ => None,
    };

    let deadline = config.timeout.map(|timeout| launched + timeout);
    let mut watch = Watch::default();
    let mut deliver = |line: SerialLine, watch: &mut Watch| {
        watch.exit_lines.observe(&line.text);
        watch.serial_lines += 1;
        watch.last_arrival = Some(
            watch
                .last_arrival
                .map_or(line.arrived, |last| last.max(line.arrived)),
        );
        if line.text.trim() == "ready" {
            if let Some(relay) = &relay {
                relay.guest_ready();
            }
        }
        on_serial_line(&line);
    };
    let ending = loop {
        let wait = deadline.map_or(POLL_INTERVAL, |deadline| {
            deadline
                .saturating_duration_since(Instant::now())
                .min(POLL_INTERVAL)
        });
        match events.recv_timeout(wait) {
            Ok(Event::Line(line)) => deliver(line, &mut watch),
            Ok(Event::Closed) | Err(mpsc::RecvTimeoutError::Disconnected) => {
                break Ending::Exited(process.wait()?)
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
        }
        watch.read_log(&mut log);
        if let Some(status) = process.try_wait()? {
            break Ending::Exited(status);
        }
        if interrupt::interrupted() || stop.load(Ordering::SeqCst) {
            break Ending::Stopped(GuestExit::Interrupted, process.stop());
        }
        if deadline.is_some_and(|deadline| Instant::now() >= deadline) {
            break Ending::Stopped(GuestExit::Timeout, process.stop());
        }
    };
    // Firecracker is gone, so its pipes reach their end: deliver the lines still in flight.
    if let Some(reader) = stdout {
        let _ = reader.join();
    }
    for event in events.try_iter() {
        if let Event::Line(line) = event {
            deliver(line, &mut watch);
        }
    }
    watch.read_log(&mut log);
    let stderr = stderr
        .and_then(|reader| reader.join().ok())
        .unwrap_or_default();
    drop(relay);
    drop(process);
    drop(namespace);
    let log = log.text();
    let (exit, status, finished) = match ending {
        Ending::Exited((status, finished)) => {
            let code = status.code();
            match classify(code, watch.exit_lines, watch.vcpu_stop) {
                Some(exit) => (exit, code, finished),
                None => {
                    return Err(FirecrackerError::VmmFailed {
                        status: code,
                        stderr,
                        log,
                    })
                }
            }
        }
        Ending::Stopped(exit, finished) => (exit, None, finished),
    };
    Ok(FirecrackerReport {
        exit,
        launched,
        started,
        // The readers may stamp the last lines after the exit was seen: the run ends with both.
        finished: watch
            .last_arrival
            .map_or(finished, |last| finished.max(last)),
        status,
        boot_time: watch.boot_time,
        serial_lines: watch.serial_lines,
        log,
        namespace: plan.private.map(|private| private.namespace),
    })
}

/// Waits for the API socket, sends the configuration, then `InstanceStart`.
fn configure(
    api: &ApiClient,
    plan: &Plan,
    process: &mut FirecrackerProcess,
) -> Result<(), ApiError> {
    api.wait_until_listening(Instant::now() + API_PATIENCE, || {
        matches!(process.child().try_wait(), Ok(None))
    })?;
    for (path, body) in plan.definition.requests() {
        api.put(&path, body)?;
    }
    api.put("/actions", &instance_start())
}

/// What the loop learns from serial and the log.
#[derive(Default)]
struct Watch {
    exit_lines: ExitLines,
    serial_lines: usize,
    /// When the latest serial line was read.
    last_arrival: Option<Instant>,
    boot_time: Option<GuestBootTime>,
    vcpu_stop: VcpuStop,
}

impl Watch {
    fn read_log(&mut self, log: &mut LogFollower) {
        for line in log.new_lines() {
            if let Some(report) = boot_timer::parse(&line) {
                self.boot_time.get_or_insert(report);
            }
            if let Some(stop) = VcpuStop::from_log_line(&line) {
                self.vcpu_stop = stop;
            }
        }
    }
}

enum Ending {
    Exited((ExitStatus, Instant)),
    Stopped(GuestExit, Instant),
}

impl crate::launcher::Launcher for FirecrackerConfig {
    fn name(&self) -> &'static str {
        "Firecracker"
    }

    fn launch(
        &self,
        on_line: &mut dyn FnMut(&SerialLine),
    ) -> Result<crate::launcher::Launched, crate::launcher::LaunchFailure> {
        let report = run(self, on_line).map_err(|error| crate::launcher::LaunchFailure {
            invalid_input: matches!(error, FirecrackerError::ImageNotFound { .. }),
            message: error.to_string(),
        })?;
        let boot = report.boot_time.map_or_else(String::new, |boot| {
            format!(
                ", guest boot time {:.3} ms by Firecracker's boot timer",
                boot.wall.as_secs_f64() * 1000.0
            )
        });
        Ok(crate::launcher::Launched {
            exit: report.exit,
            launched: report.launched,
            finished: report.finished,
            how: format!("under Firecracker{boot}"),
        })
    }
}
