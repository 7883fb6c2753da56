//! `sauce run --vmm firecracker` end to end: hello exits 0, a guest panic fails the run with
//! its message, hello-http serves through `-p` (64 connections at once), Ctrl-C and crashes
//! leave no process, namespace or TAP behind, and two VMs serve side by side. Runs only when
//! `SAUCE_FIRECRACKER` names a Firecracker binary (and, for networking, as root); says it was
//! skipped otherwise.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Mutex, MutexGuard, OnceLock};
use std::time::{Duration, Instant};

use common::{assert_exit, build_lock, repository, sauce, temporary_folder, text};

const BODY: &str = "Hello from SauceOS\n";

fn firecracker() -> Option<PathBuf> {
    match std::env::var_os("SAUCE_FIRECRACKER") {
        Some(path) if !path.is_empty() => Some(PathBuf::from(path)),
        _ => {
            let _ = writeln!(std::io::stderr(), "skipped: SAUCE_FIRECRACKER is not set (point it at a Firecracker binary to run the `sauce run --vmm firecracker` tests)");
            None
        }
    }
}

/// Whether this process may build private networks (root); says why the test is skipped if not.
fn network_allowed() -> bool {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let missing = sauce_runner::firecracker::namespace::missing_capabilities(&status);
    if !missing.is_empty() {
        let _ = writeln!(
            std::io::stderr(),
            "skipped: the private network needs {} (run the tests as root)",
            missing.join(" and ")
        );
    }
    missing.is_empty()
}

/// Guests run one at a time (two cores; timings would measure the load) unless a test needs two.
fn one_guest_at_a_time() -> MutexGuard<'static, ()> {
    static TURN: Mutex<()> = Mutex::new(());
    TURN.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn example(name: &'static str) -> PathBuf {
    static IMAGES: Mutex<Vec<(&str, PathBuf)>> = Mutex::new(Vec::new());
    let mut images = IMAGES
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some((_, image)) = images.iter().find(|(example, _)| *example == name) {
        return image.clone();
    }
    let image = temporary_folder(&format!("fc-{name}")).join(format!("{name}.elf"));
    let _lock = build_lock();
    let output = sauce()
        .arg("build")
        .arg(repository().join("examples").join(name))
        .arg("-o")
        .arg(&image)
        .output()
        .unwrap();
    assert_exit(&output, 0);
    images.push((name, image.clone()));
    image
}

fn test_kernel() -> &'static PathBuf {
    static IMAGE: OnceLock<PathBuf> = OnceLock::new();
    IMAGE.get_or_init(|| {
        let _lock = build_lock();
        let manifest = repository().join("tests/guest/Cargo.toml");
        sauce_builder::build_kernel_crate(&manifest, "sauce-guest-tests")
            .expect("the test kernel builds")
    })
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn namespace_exists(name: &str) -> bool {
    Path::new("/run/netns").join(name).exists()
}

/// `sauce run --vmm firecracker IMAGE -p PORT:80`, running until stopped (SIGTERM when
/// dropped, so a failing test leaves nothing running).
struct Guest {
    child: Child,
    port: u16,
    stderr: Option<std::thread::JoinHandle<String>>,
}

impl Guest {
    fn start(image: &Path) -> Guest {
        let port = free_port();
        let mut child = sauce()
            .arg("run")
            .arg(image)
            .args(["--vmm", "firecracker", "--timeout", "600", "-p"])
            .arg(format!("{port}:80"))
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stderr = child.stderr.take().unwrap();
        let stderr = std::thread::spawn(move || {
            let mut text = String::new();
            let _ = stderr.read_to_string(&mut text);
            text
        });
        let (sender, ready) = std::sync::mpsc::channel();
        let stdout = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if line.trim() == "ready" {
                    let _ = sender.send(());
                }
            }
        });
        let mut guest = Guest {
            child,
            port,
            stderr: Some(stderr),
        };
        if ready.recv_timeout(Duration::from_secs(120)).is_err() {
            let (code, stderr) = guest.interrupt();
            panic!("no ready line (sauce exited {code:?}):\n{stderr}");
        }
        guest
    }

    /// The namespace `sauce run` made: `sauce-<its pid>-0`.
    fn namespace(&self) -> String {
        format!("sauce-{}-0", self.child.id())
    }

    /// The processes `sauce run` started (Firecracker).
    fn children(&self) -> Vec<u32> {
        let parent = self.child.id().to_string();
        std::fs::read_dir("/proc")
            .unwrap()
            .flatten()
            .filter_map(|entry| {
                let pid: u32 = entry.file_name().to_str()?.parse().ok()?;
                let stat = std::fs::read_to_string(entry.path().join("stat")).ok()?;
                // pid (comm) state ppid …: the fields after the last ')'.
                let ppid = stat.rsplit_once(')')?.1.split_whitespace().nth(1)?;
                (ppid == parent).then_some(pid)
            })
            .collect()
    }

    /// SIGINT, as Ctrl-C would send; returns the exit code and stderr.
    fn interrupt(&mut self) -> (Option<i32>, String) {
        self.signal_and_wait("-INT")
    }

    fn signal_and_wait(&mut self, signal: &str) -> (Option<i32>, String) {
        Command::new("kill")
            .arg(signal)
            .arg(self.child.id().to_string())
            .status()
            .unwrap();
        let code = wait(&mut self.child, Duration::from_secs(15));
        (code, self.stderr_text())
    }

    fn stderr_text(&mut self) -> String {
        self.stderr
            .take()
            .and_then(|reader| reader.join().ok())
            .unwrap_or_default()
    }
}

impl Drop for Guest {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = Command::new("kill")
                .arg("-TERM")
                .arg(self.child.id().to_string())
                .status();
            let started = Instant::now();
            while started.elapsed() < Duration::from_secs(10) {
                if let Ok(Some(_)) = self.child.try_wait() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Waits for `child` up to `patience`, then kills it and fails the test; its exit code.
fn wait(child: &mut Child, patience: Duration) -> Option<i32> {
    let started = Instant::now();
    while started.elapsed() < patience {
        if let Ok(Some(status)) = child.try_wait() {
            return status.code();
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("`sauce run` did not stop within {patience:?}");
}

/// `GET /` on a new connection; the whole response.
fn get(port: u16) -> std::io::Result<String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(Duration::from_secs(60)))?;
    stream.write_all(b"GET / HTTP/1.1\r\nHost: sauce\r\nConnection: close\r\n\r\n")?;
    let mut response = String::new();
    stream.read_to_string(&mut response)?;
    Ok(response)
}

fn assert_served(response: &str, label: &str) {
    assert!(
        response.starts_with("HTTP/1.1 200 OK\r\n")
            && response.ends_with(&format!("\r\n\r\n{BODY}")),
        "{label}: {response:?}"
    );
}

#[test]
fn hello_boots_and_exits_zero_with_firecrackers_boot_time() {
    let Some(_) = firecracker() else { return };
    let image = example("hello");
    let _turn = one_guest_at_a_time();
    let output = sauce()
        .arg("run")
        .arg(&image)
        .args(["--vmm", "firecracker", "--timeout", "120"])
        .output()
        .unwrap();
    assert_exit(&output, 0);
    let (stdout, stderr) = text(&output);
    for expected in ["ready", "Hello from SauceOS", "sauce: exit success"] {
        assert!(stdout.contains(expected), "no {expected:?} in\n{stdout}");
    }
    assert!(
        stderr.contains("under Firecracker, guest boot time "),
        "{stderr}"
    );
}

#[test]
fn a_guest_panic_exits_three_with_its_message_and_cleans_up() {
    let Some(_) = firecracker() else { return };
    if !network_allowed() {
        return;
    }
    let image = test_kernel();
    let _turn = one_guest_at_a_time();
    // With -p the run has a private network too, which must go when the guest dies.
    let child = sauce()
        .arg("run")
        .arg(image)
        .args([
            "--vmm",
            "firecracker",
            "--timeout",
            "120",
            "--append",
            "test=panic_is_reported",
            "-p",
        ])
        .arg(format!("{}:80", free_port()))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let namespace = format!("sauce-{}-0", child.id());
    let output = child.wait_with_output().unwrap();
    assert_exit(&output, 3);
    let stdout = text(&output).0;
    assert!(
        stdout.contains("deliberate panic from the in-guest test"),
        "{stdout}"
    );
    assert!(stdout.contains("sauce: exit failure"), "{stdout}");
    assert!(!namespace_exists(&namespace), "{namespace} was removed");
}

#[test]
fn hello_http_serves_64_connections_and_ctrl_c_leaves_nothing_behind() {
    let Some(_) = firecracker() else { return };
    if !network_allowed() {
        return;
    }
    let image = example("hello-http");
    let _turn = one_guest_at_a_time();
    let mut guest = Guest::start(&image);
    let namespace = guest.namespace();
    assert!(
        namespace_exists(&namespace),
        "{namespace} exists while the guest runs"
    );
    let firecracker = guest.children();
    assert_eq!(firecracker.len(), 1, "one Firecracker process");
    assert_served(&get(guest.port).unwrap(), "first GET");

    // 64 connections open at once, every request sent before any response is read.
    let port = guest.port;
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(64));
    let clients: Vec<_> = (0..64)
        .map(|_| {
            let barrier = std::sync::Arc::clone(&barrier);
            std::thread::spawn(move || -> std::io::Result<String> {
                let mut stream = TcpStream::connect(("127.0.0.1", port))?;
                stream.set_read_timeout(Some(Duration::from_secs(120)))?;
                stream.write_all(b"GET / HTTP/1.1\r\nConnection: close\r\n\r\n")?;
                barrier.wait();
                let mut response = String::new();
                stream.read_to_string(&mut response)?;
                Ok(response)
            })
        })
        .collect();
    for (index, client) in clients.into_iter().enumerate() {
        assert_served(
            &client.join().unwrap().unwrap(),
            &format!("concurrent client {index}"),
        );
    }

    let started = Instant::now();
    let (code, stderr) = guest.interrupt();
    assert_eq!(code, Some(130), "{stderr}");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "Ctrl-C is prompt: {:?}",
        started.elapsed()
    );
    assert!(
        !namespace_exists(&namespace),
        "{namespace} (and its TAP) removed"
    );
    for pid in firecracker {
        assert!(
            !Path::new("/proc").join(pid.to_string()).exists(),
            "Firecracker {pid} is gone"
        );
    }
    TcpListener::bind(("127.0.0.1", port)).expect("the host port is free again");
}

#[test]
fn two_vms_at_once_serve_on_their_own_ports_and_namespaces() {
    let Some(_) = firecracker() else { return };
    if !network_allowed() {
        return;
    }
    let image = example("hello-http");
    let _turn = one_guest_at_a_time();
    let (mut first, mut second) = std::thread::scope(|scope| {
        let first = scope.spawn(|| Guest::start(&image));
        let second = scope.spawn(|| Guest::start(&image));
        (first.join().unwrap(), second.join().unwrap())
    });
    assert_ne!(first.namespace(), second.namespace());
    assert!(namespace_exists(&first.namespace()) && namespace_exists(&second.namespace()));
    for guest in [&first, &second] {
        assert_served(&get(guest.port).unwrap(), &format!("port {}", guest.port));
    }
    let namespaces = [first.namespace(), second.namespace()];
    assert_eq!(
        first.signal_and_wait("-TERM").0,
        Some(130),
        "SIGTERM stops like Ctrl-C"
    );
    assert_eq!(second.interrupt().0, Some(130));
    assert!(namespaces
        .iter()
        .all(|namespace| !namespace_exists(namespace)));
}

#[test]
fn a_firecracker_crash_fails_the_run_with_code_two_and_cleans_up() {
    let Some(_) = firecracker() else { return };
    if !network_allowed() {
        return;
    }
    let image = example("hello-http");
    let _turn = one_guest_at_a_time();
    let mut guest = Guest::start(&image);
    let namespace = guest.namespace();
    for pid in guest.children() {
        Command::new("kill")
            .arg("-KILL")
            .arg(pid.to_string())
            .status()
            .unwrap();
    }
    let code = wait(&mut guest.child, Duration::from_secs(15));
    let stderr = guest.stderr_text();
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("Firecracker failed (killed by a signal)"),
        "{stderr}"
    );
    assert!(
        !namespace_exists(&namespace),
        "{namespace} removed after the crash"
    );
}

/// A namespace made by the test itself (not named like sauce's), removed when dropped.
struct TestNamespace(String);

impl TestNamespace {
    fn with_tap(tap: &str) -> TestNamespace {
        let namespace = TestNamespace(format!("sauce-tap-test-{}", std::process::id()));
        let name = namespace.0.as_str();
        for arguments in [
            vec!["netns", "add", name],
            vec!["-n", name, "tuntap", "add", "dev", tap, "mode", "tap"],
            vec!["-n", name, "address", "add", "192.168.77.1/24", "dev", tap],
            vec!["-n", name, "link", "set", tap, "up"],
        ] {
            assert!(
                Command::new("ip")
                    .args(&arguments)
                    .status()
                    .unwrap()
                    .success(),
                "ip {arguments:?}"
            );
        }
        namespace
    }
}

impl Drop for TestNamespace {
    fn drop(&mut self) {
        let _ = Command::new("ip")
            .args(["netns", "delete", &self.0])
            .status();
    }
}

#[test]
fn a_given_tap_is_used_as_it_is() {
    let Some(_) = firecracker() else { return };
    if !network_allowed() {
        return;
    }
    let image = example("hello-http");
    let _turn = one_guest_at_a_time();
    let namespace = TestNamespace::with_tap("tap-user");
    // The user's set-up: sauce runs where the TAP is, and the user gives the guest its address.
    let mut child = Command::new("ip")
        .args([
            "netns",
            "exec",
            &namespace.0,
            env!("CARGO_BIN_EXE_sauce"),
            "run",
        ])
        .arg(&image)
        .args([
            "--vmm",
            "firecracker",
            "--tap",
            "tap-user",
            "--timeout",
            "120",
        ])
        .args(["--append", "ip=192.168.77.2/24 gw=192.168.77.1"])
        .env("SAUCE_CACHE", temporary_folder("fc-tap-cache"))
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let mut body = String::new();
    while started.elapsed() < Duration::from_secs(60) && !body.contains(BODY) {
        let output = Command::new("ip")
            .args([
                "netns",
                "exec",
                &namespace.0,
                "curl",
                "-s",
                "-m",
                "5",
                "http://192.168.77.2/",
            ])
            .output()
            .unwrap();
        body = String::from_utf8_lossy(&output.stdout).into_owned();
        std::thread::sleep(Duration::from_millis(100));
    }
    let _ = Command::new("kill")
        .arg("-INT")
        .arg(child.id().to_string())
        .status();
    let code = wait(&mut child, Duration::from_secs(15));
    assert_eq!(body, BODY);
    assert_eq!(code, Some(130));
    let own = format!("sauce-{}-0", child.id());
    assert!(!namespace_exists(&own), "no private network with --tap");
}
