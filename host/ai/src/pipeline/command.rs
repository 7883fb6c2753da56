//! A [`Pipeline`] that runs the `sauce` binary: `sauce check`, clippy on the app crate (when
//! [`SauceCommand::clippy`] is set) then `sauce build -o`, and `sauce run -p` under QEMU with
//! the probes sent over 127.0.0.1. The CLI runs it with its own executable; the evaluation
//! harness and end-to-end tests with a built `sauce`.

use std::io::{BufRead, BufReader, Read};
use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use super::clippy::Clippy;
use super::{BuildOutput, Pipeline, StageFailure};
use crate::probe::{client, run_probes, Probe};

/// The serial lines kept for diagnostics.
const SERIAL_TAIL: usize = 40;

/// The `sauce` binary and how to run it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SauceCommand {
    /// The binary.
    pub binary: PathBuf,
    /// Extra environment (`SAUCE_CACHE`, `SAUCE_ACCEL`).
    pub environment: Vec<(String, String)>,
    /// How long a guest may take to say its network is up.
    pub boot_timeout: Duration,
    /// How long the first request may keep failing to connect once it is (user networking
    /// can take a moment to hand over connections).
    pub connect_timeout: Duration,
    /// Each probe's read timeout.
    pub probe_timeout: Duration,
    /// `--accel` (`kvm`, `tcg`); `None` for sauce's default.
    pub accelerator: Option<String>,
    /// Clippy on the app crate before the image build; `None` skips it.
    pub clippy: Option<Clippy>,
}

impl SauceCommand {
    /// The binary at `binary` with default timeouts.
    pub fn new(binary: &Path) -> Self {
        Self {
            binary: binary.to_owned(),
            environment: Vec::new(),
            boot_timeout: Duration::from_secs(120),
            connect_timeout: Duration::from_secs(30),
            probe_timeout: Duration::from_secs(10),
            accelerator: None,
            clippy: None,
        }
    }

    fn command(&self) -> Command {
        let mut command = Command::new(&self.binary);
        command.envs(self.environment.iter().map(|(name, value)| (name, value)));
        command.stdin(Stdio::null());
        command
    }

    fn output(&self, arguments: &[&std::ffi::OsStr]) -> Result<(), StageFailure> {
        let output = self.command().args(arguments).output().map_err(|error| {
            StageFailure::new(format!("could not run {}: {error}", self.binary.display()))
        })?;
        if output.status.success() {
            return Ok(());
        }
        let mut text = String::from_utf8_lossy(&output.stderr).into_owned();
        let stdout = String::from_utf8_lossy(&output.stdout);
        if !stdout.trim().is_empty() {
            text.push_str(&stdout);
        }
        Err(StageFailure::new(text))
    }
}

/// The guest port of the intent in `folder`: `[http] port`, read from the TOML so it also works
/// for intents sauce-intent cannot read yet; `None` for a serial-only app.
fn guest_port(folder: &Path) -> Option<u16> {
    let text = std::fs::read_to_string(folder.join("sauce.toml")).ok()?;
    let table: toml::Table = toml::from_str(&text).ok()?;
    let http = table.get("http")?;
    Some(
        http.get("port")
            .and_then(toml::Value::as_integer)
            .and_then(|port| u16::try_from(port).ok())
            .unwrap_or(80),
    )
}

fn free_port() -> Result<u16, StageFailure> {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .map_err(|error| StageFailure::new(format!("no free port on 127.0.0.1: {error}")))
}

/// A running `sauce run`, stopped with SIGTERM (so it stops QEMU) when dropped.
struct Guest {
    child: Child,
    serial: Arc<Mutex<Vec<String>>>,
}

impl Guest {
    fn tail(&self) -> String {
        let lines = self
            .serial
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        lines.join("\n")
    }
}

impl Drop for Guest {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(self.child.id().to_string())
            .status();
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Pipeline for SauceCommand {
    fn check(&self, folder: &Path) -> Result<(), StageFailure> {
        self.output(&["check".as_ref(), folder.as_os_str()])
    }

    fn build(&self, folder: &Path) -> Result<BuildOutput, StageFailure> {
        if let Some(clippy) = &self.clippy {
            clippy.check(folder)?;
        }
        let image = folder.join(".sauce").join("image.elf");
        let started = Instant::now();
        self.output(&[
            "build".as_ref(),
            folder.as_os_str(),
            "-o".as_ref(),
            image.as_os_str(),
        ])?;
        let duration = started.elapsed();
        let image_size = std::fs::metadata(&image)
            .map_err(|error| {
                StageFailure::new(format!(
                    "the build wrote no image at {}: {error}",
                    image.display()
                ))
            })?
            .len();
        Ok(BuildOutput {
            image: Some(image),
            image_size,
            duration,
        })
    }

    fn smoke_test(
        &self,
        folder: &Path,
        build: &BuildOutput,
        probes: &[Probe],
    ) -> Result<(), StageFailure> {
        let image = build
            .image
            .clone()
            .unwrap_or_else(|| folder.join(".sauce").join("image.elf"));
        let mut arguments: Vec<&std::ffi::OsStr> = vec!["run".as_ref(), image.as_os_str()];
        if let Some(accelerator) = &self.accelerator {
            arguments.extend([
                std::ffi::OsStr::new("--accel"),
                std::ffi::OsStr::new(accelerator),
            ]);
        }
        let Some(port) = guest_port(folder) else {
            // A serial-only app boots, prints and shuts down: its exit status is the verdict.
            arguments.extend([
                std::ffi::OsStr::new("--timeout"),
                std::ffi::OsStr::new("120"),
            ]);
            return self.output(&arguments);
        };
        let mut command = self.command();
        command.args(&arguments).args(["--timeout", "600"]);
        let host_port = free_port()?;
        command.arg("-p").arg(format!("{host_port}:{port}"));
        command.stdout(Stdio::piped()).stderr(Stdio::piped());
        let mut child = command.spawn().map_err(|error| {
            StageFailure::new(format!("could not run {}: {error}", self.binary.display()))
        })?;
        let serial = Arc::new(Mutex::new(Vec::new()));
        let (ready, network) = mpsc::channel();
        for stream in [
            child
                .stdout
                .take()
                .map(|out| Box::new(out) as Box<dyn Read + Send>),
            child
                .stderr
                .take()
                .map(|err| Box::new(err) as Box<dyn Read + Send>),
        ]
        .into_iter()
        .flatten()
        {
            let (serial, ready) = (Arc::clone(&serial), ready.clone());
            thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    if line.contains("network: ") {
                        let _ = ready.send(());
                    }
                    let mut lines = serial
                        .lock()
                        .unwrap_or_else(|poisoned| poisoned.into_inner());
                    lines.push(line);
                    if lines.len() > SERIAL_TAIL {
                        lines.remove(0);
                    }
                }
            });
        }
        let mut guest = Guest { child, serial };
        let boot_started = Instant::now();
        loop {
            if network.recv_timeout(Duration::from_millis(200)).is_ok() {
                break;
            }
            if let Ok(Some(status)) = guest.child.try_wait() {
                return Err(StageFailure::new(format!(
                    "the guest stopped before its network came up ({status}); its last lines:\n{}",
                    guest.tail()
                )));
            }
            if boot_started.elapsed() > self.boot_timeout {
                return Err(StageFailure::new(format!(
                    "the guest did not bring its network up within {} s; its last lines:\n{}",
                    self.boot_timeout.as_secs(),
                    guest.tail()
                )));
            }
        }
        let address = SocketAddr::from(([127, 0, 0, 1], host_port));
        if let Some(first) = probes.first() {
            let connect_started = Instant::now();
            while client::send(address, first, self.probe_timeout).is_err()
                && connect_started.elapsed() < self.connect_timeout
            {
                thread::sleep(Duration::from_millis(200));
            }
        }
        let failures = run_probes(address, probes, self.probe_timeout);
        if failures.is_empty() {
            return Ok(());
        }
        let lines: Vec<String> = failures
            .iter()
            .map(|failure| format!("{}: {}", failure.probe, failure.message))
            .collect();
        Err(StageFailure::new(format!(
            "{} of {} probes failed:\n{}\nthe guest's last lines:\n{}",
            failures.len(),
            probes.len(),
            lines.join("\n"),
            guest.tail()
        )))
    }
}

#[cfg(test)]
mod tests;
