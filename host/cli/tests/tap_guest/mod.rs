//! The guest of the TAP tests (host/cli/tests/outbound_tap.rs): examples/notes-postgres built
//! for QEMU microvm, q35 or Firecracker, booted inside the test's namespace on its TAP with
//! the database URL given at boot, and stopped when dropped.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use crate::common::namespace::{Namespace, GUEST_ADDRESS, NAMESPACE_ADDRESS};
use crate::common::{build_lock, copy_project, repository, sauce, temporary_folder, text};
use sauce_runner::{Accelerator, Machine, QemuConfig};

/// How the guest is booted on the namespace's TAP.
#[derive(Clone, Copy, Debug)]
pub enum Vmm {
    /// QEMU (TCG) on this machine type, started directly.
    Qemu(Machine),
    /// `sauce run --vmm firecracker --tap tap0`.
    Firecracker,
}

impl Vmm {
    pub fn label(self) -> &'static str {
        match self {
            Vmm::Qemu(Machine::Q35) => "q35",
            Vmm::Qemu(_) => "microvm",
            Vmm::Firecracker => "firecracker",
        }
    }

    /// `sauce build`'s flags for it.
    fn build_flags(self) -> [&'static str; 2] {
        match self {
            Vmm::Qemu(_) => ["--machine", self.label()],
            Vmm::Firecracker => ["--vmm", "firecracker"],
        }
    }
}

/// One guest at a time: each boots its own VM, and the machine may have two cores.
pub fn one_guest_at_a_time() -> MutexGuard<'static, ()> {
    static TURN: Mutex<()> = Mutex::new(());
    TURN.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A temporary copy of examples/notes-postgres built for `vmm`; the image's path.
pub fn image(vmm: Vmm) -> PathBuf {
    let folder = temporary_folder(&format!("outbound-tap-{}", vmm.label()));
    let project = folder.join("notes-postgres");
    copy_project(&repository().join("examples/notes-postgres"), &project);
    let image = folder.join("notes-postgres.elf");
    let _lock = build_lock();
    let output = sauce()
        .arg("build")
        .arg(&project)
        .args(vmm.build_flags())
        .arg("-o")
        .arg(&image)
        .output()
        .unwrap();
    let (stdout, stderr) = text(&output);
    assert!(output.status.success(), "build failed:\n{stdout}\n{stderr}");
    image
}

/// A run-time value as `sauce run --env` writes it on the kernel command line: unreserved
/// bytes as they are, every other byte `%XX`.
fn command_line_value(value: &str) -> String {
    let mut encoded = String::new();
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~/:@+,".contains(&byte) {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

/// The guest's address and gateway on the TAP, as the kernel command line gives them.
fn network_arguments() -> String {
    format!("ip={GUEST_ADDRESS}/24 gw={NAMESPACE_ADDRESS}")
}

/// A guest inside the namespace, on its TAP; its serial (and sauce's) lines are kept. Stopped
/// when dropped: declared after the namespace and the server, so it goes first.
pub struct Guest {
    child: Child,
    lines: Arc<Mutex<Vec<String>>>,
    pub label: &'static str,
}

impl Guest {
    pub fn start(namespace: &Namespace, vmm: Vmm, image: &Path, database_url: &str) -> Guest {
        let mut command = match vmm {
            Vmm::Qemu(machine) => {
                let mut config = QemuConfig::new(image);
                config.machine = machine;
                config.accelerator = Some(Accelerator::Tcg);
                config.boot_facts = true;
                config.append = format!(
                    "{} sauce.env.DATABASE_URL={}",
                    network_arguments(),
                    command_line_value(database_url)
                );
                let device = match machine {
                    Machine::Q35 => "virtio-net-pci,netdev=net0",
                    _ => "virtio-net-device,netdev=net0",
                };
                let mut command = namespace.command(&config.binary);
                command.args(config.arguments(Accelerator::Tcg)).args([
                    "-netdev",
                    "tap,id=net0,ifname=tap0,script=no,downscript=no",
                    "-device",
                    device,
                ]);
                command
            }
            Vmm::Firecracker => {
                let mut run = sauce();
                run.arg("run")
                    .arg(image)
                    .args(["--vmm", "firecracker", "--tap", "tap0", "--timeout", "300"])
                    .arg("--append")
                    .arg(network_arguments())
                    .arg("--env")
                    .arg(format!("DATABASE_URL={database_url}"));
                namespace.wrap(&run)
            }
        };
        let mut child = command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let lines = Arc::new(Mutex::new(Vec::new()));
        for stream in [
            Box::new(child.stdout.take().unwrap()) as Box<dyn Read + Send>,
            Box::new(child.stderr.take().unwrap()),
        ] {
            let lines = Arc::clone(&lines);
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    lines
                        .lock()
                        .unwrap_or_else(|poisoned| poisoned.into_inner())
                        .push(line);
                }
            });
        }
        Guest {
            child,
            lines,
            label: vmm.label(),
        }
    }

    /// Waits until a line contains `expected`; fails with every line if the guest ends first
    /// or two minutes pass.
    pub fn wait_for(&mut self, expected: &str) {
        let started = Instant::now();
        while !self.serial().contains(expected) {
            let ended = self.child.try_wait().ok().flatten();
            assert!(
                ended.is_none() && started.elapsed() < Duration::from_secs(120),
                "{}: no {expected:?} (guest ended: {ended:?}) in:\n{}",
                self.label,
                self.serial()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn serial(&self) -> String {
        self.lines
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .join("\n")
    }
}

impl Drop for Guest {
    /// SIGTERM (`sauce run` then stops Firecracker and cleans up; QEMU just exits), SIGKILL
    /// only after 10 s.
    fn drop(&mut self) {
        crate::common::stop_sauce_run(&mut self.child);
    }
}

#[test]
fn run_time_values_are_encoded_as_sauce_run_writes_them() {
    assert_eq!(
        command_line_value("postgres://u:p%40s s@172.16.0.1:5432/app"),
        "postgres://u:p%2540s%20s@172.16.0.1:5432/app"
    );
}
