//! End to end over a TAP device: examples/hello-http in QEMU on a TAP inside a network
//! namespace each test creates (and removes, with the guest, when it ends, also on failure).
//! QEMU's user networking is out of the path, so these checks see the guest alone: 64
//! connections open at once, and ICMP echo.
//!
//! The client runs inside the namespace: the test binary runs itself there
//! (`ip netns exec NS <this test binary> --exact <test>`, with [`CLIENT_ROLE`] naming the
//! guest), so no traffic leaves the namespace. Skipped, with the reason printed, without root,
//! `ip` (iproute2) or, for the echo test, `ping` (iputils-ping).

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use common::namespace::{missing_prerequisite, Namespace};
use common::{assert_exit, build_lock, repository, sauce, temporary_folder};
use sauce_runner::{Accelerator, Machine, QemuConfig};

/// Set in the environment of the copy of this binary that runs inside the namespace: the
/// guest's `address:port`.
const CLIENT_ROLE: &str = "SAUCE_TAP_CLIENT_TARGET";
const GUEST_ADDRESS: &str = "172.16.0.2";
const BODY: &str = "Hello from SauceOS\n";
const CONNECTIONS: usize = 64;

/// One guest at a time: each boots its own QEMU, and the machine has two cores.
fn one_guest_at_a_time() -> std::sync::MutexGuard<'static, ()> {
    static TURN: std::sync::Mutex<()> = std::sync::Mutex::new(());
    TURN.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// hello-http built for `machine`: the selector gives each machine its own virtio transport.
fn image(machine: Machine) -> &'static PathBuf {
    static MICROVM: OnceLock<PathBuf> = OnceLock::new();
    static Q35: OnceLock<PathBuf> = OnceLock::new();
    let (cell, name) = match machine {
        Machine::Q35 => (&Q35, "q35"),
        _ => (&MICROVM, "microvm"),
    };
    cell.get_or_init(|| {
        let image = temporary_folder(&format!("tap-network-{name}")).join("hello-http.elf");
        let _lock = build_lock();
        let output = sauce()
            .arg("build")
            .arg(repository().join("examples/hello-http"))
            .args(["--machine", name, "-o"])
            .arg(&image)
            .output()
            .unwrap();
        assert_exit(&output, 0);
        image
    })
}

/// hello-http in QEMU (TCG) on the namespace's TAP; stopped when dropped. Declared after the
/// namespace it lives in, so it is dropped first.
struct Guest {
    qemu: Child,
    label: String,
}

impl Guest {
    fn start(namespace: &Namespace, machine: Machine) -> Guest {
        let mut config = QemuConfig::new(image(machine));
        config.machine = machine;
        config.accelerator = Some(Accelerator::Tcg);
        config.append = format!("ip={GUEST_ADDRESS}/24 gw=172.16.0.1");
        let device = match machine {
            Machine::Microvm | Machine::Firecracker => "virtio-net-device,netdev=net0",
            Machine::Q35 => "virtio-net-pci,netdev=net0",
        };
        let mut qemu = namespace
            .command(&config.binary)
            .args(config.arguments(Accelerator::Tcg))
            .args([
                "-netdev",
                "tap,id=net0,ifname=tap0,script=no,downscript=no",
                "-device",
                device,
            ])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let label = format!("{machine:?} on a TAP");
        let stdout = qemu.stdout.take().unwrap();
        let (sender, lines) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = sender.send(line);
            }
        });
        let guest = Guest { qemu, label };
        // `ready`, then the network line saying whether the device's interrupt is routed.
        let started = Instant::now();
        let mut network_line = None;
        while network_line.is_none() {
            let left = Duration::from_secs(120).saturating_sub(started.elapsed());
            let line = lines
                .recv_timeout(left)
                .unwrap_or_else(|_| panic!("{}: no network line", guest.label));
            network_line = line.contains("network: ").then_some(line);
        }
        let network_line = network_line.unwrap_or_default();
        assert!(
            network_line.contains("interrupt-driven"),
            "{}: {network_line}",
            guest.label
        );
        guest
    }
}

impl Drop for Guest {
    fn drop(&mut self) {
        let _ = self.qemu.kill();
        let _ = self.qemu.wait();
    }
}

/// Runs the test named `test` of this binary inside `namespace`, as the client of `target`;
/// panics with its output if it fails.
fn run_client_inside(namespace: &Namespace, test: &str, target: &str) {
    let output = namespace
        .command(std::env::current_exe().unwrap())
        .args(["--exact", test, "--nocapture", "--test-threads", "1"])
        .env(CLIENT_ROLE, target)
        .output()
        .unwrap();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
    );
    assert!(
        output.status.success(),
        "client inside {} failed:\n{stdout}\n{stderr}",
        namespace.name
    );
    assert!(
        stdout.contains("1 passed"),
        "the client test did not run:\n{stdout}"
    );
}

/// The client role: opens 64 connections, and only once every one is open sends a request on
/// each; then reads every response. All 64 are open in the guest at the same time.
fn sixty_four_connections_at_once(target: &str) {
    let mut streams: Vec<TcpStream> = (0..CONNECTIONS)
        .map(|index| {
            let stream = TcpStream::connect(target)
                .unwrap_or_else(|error| panic!("connection {index}: {error}"));
            stream
                .set_read_timeout(Some(Duration::from_secs(30)))
                .unwrap();
            stream
        })
        .collect();
    for stream in &mut streams {
        stream
            .write_all(b"GET / HTTP/1.1\r\nHost: sauce\r\nConnection: close\r\n\r\n")
            .unwrap();
    }
    let expected = format!(
        "HTTP/1.1 200 OK\r\nServer: SauceOS\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 19\r\nConnection: close\r\n\r\n{BODY}"
    );
    for (index, stream) in streams.iter_mut().enumerate() {
        let mut response = String::new();
        stream
            .read_to_string(&mut response)
            .unwrap_or_else(|error| panic!("connection {index}: {error} after {response:?}"));
        // QEMU started directly passes no wall clock, so no Date; with one, it is dropped here.
        let response = match response.lines().find(|line| line.starts_with("Date: ")) {
            Some(date) => response.replace(&format!("{date}\n"), ""),
            None => response,
        };
        assert_eq!(response, expected, "connection {index}");
    }
}

#[test]
fn sixty_four_concurrent_connections_over_a_tap() {
    if let Ok(target) = std::env::var(CLIENT_ROLE) {
        return sixty_four_connections_at_once(&target);
    }
    if let Some(reason) = missing_prerequisite(&["ip"]) {
        eprintln!("skipped: {reason}");
        return;
    }
    let _turn = one_guest_at_a_time();
    for machine in [Machine::Microvm, Machine::Q35] {
        let started = Instant::now();
        let namespace = Namespace::create();
        let guest = Guest::start(&namespace, machine);
        for _ in 0..3 {
            run_client_inside(
                &namespace,
                "sixty_four_concurrent_connections_over_a_tap",
                &format!("{GUEST_ADDRESS}:80"),
            );
        }
        eprintln!(
            "{}: 3 × {CONNECTIONS} connections at once in {:.1} s",
            guest.label,
            started.elapsed().as_secs_f64()
        );
    }
}

#[test]
fn the_guest_answers_ping_over_a_tap() {
    if let Some(reason) = missing_prerequisite(&["ip", "ping"]) {
        eprintln!("skipped: {reason}");
        return;
    }
    let _turn = one_guest_at_a_time();
    let namespace = Namespace::create();
    let guest = Guest::start(&namespace, Machine::Microvm);
    let output = namespace
        .command("ping")
        .args(["-c", "3", "-W", "2", GUEST_ADDRESS])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{}: ping failed:\n{text}",
        guest.label
    );
    assert!(text.contains("3 received"), "{}: {text}", guest.label);
}

/// The namespace goes when its guard is dropped (as it is when a test fails and unwinds).
#[test]
fn a_namespace_is_removed_when_dropped() {
    if let Some(reason) = missing_prerequisite(&["ip"]) {
        eprintln!("skipped: {reason}");
        return;
    }
    let namespace = Namespace::create();
    let name = namespace.name.clone();
    let listed = || {
        String::from_utf8_lossy(
            &Command::new("ip")
                .args(["netns", "list"])
                .output()
                .unwrap()
                .stdout,
        )
        .into_owned()
    };
    assert!(listed().contains(&name));
    drop(namespace);
    assert!(!listed().contains(&name), "{name} is still there");
    assert!(!Path::new("/run/netns").join(&name).exists());
}
