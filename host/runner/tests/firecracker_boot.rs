//! The hello image on Firecracker, through both its boot paths: PVH (the image as built) and
//! the 64-bit Linux boot protocol (the same image with its PVH note renamed, which is what
//! Firecracker before 1.12 sees). Runs only when `SAUCE_FIRECRACKER` names a Firecracker
//! binary; says it was skipped otherwise. The full Firecracker launcher (API socket,
//! networking) belongs to `sauce run --vmm firecracker`; this test drives `--no-api` directly.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use sauce_runner::BuildContext;

fn firecracker() -> Option<PathBuf> {
    match std::env::var_os("SAUCE_FIRECRACKER") {
        Some(path) if !path.is_empty() => Some(PathBuf::from(path)),
        _ => {
            // Written straight to stderr: the test harness captures `eprintln!`, and a skip
            // should be seen.
            let _ = writeln!(
                std::io::stderr(),
                "skipped: SAUCE_FIRECRACKER is not set (point it at a Firecracker binary to run \
                 the Firecracker boot tests)"
            );
            None
        }
    }
}

fn hello_image(folder: &Path) -> PathBuf {
    let manifest = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/hello/sauce.toml"));
    let intent = sauce_intent::load(manifest).expect("examples/hello/sauce.toml loads");
    let context = BuildContext::from_environment().expect("source tree and cache");
    let output = folder.join("hello.elf");
    context.build_app(&intent, &output).expect("hello builds");
    output
}

/// Renames the PVH note (type 18 → 0x5A5A) so Firecracker takes the Linux 64-bit path.
fn without_pvh_note(image: &Path, output: &Path) {
    let mut bytes = std::fs::read(image).expect("image reads");
    let note = [4u8, 0, 0, 0, 8, 0, 0, 0, 18, 0, 0, 0, b'X', b'e', b'n', 0];
    let position = bytes.windows(note.len()).position(|window| window == note).expect("image has a PVH note");
    bytes[position + 8..position + 12].copy_from_slice(&0x5A5Au32.to_le_bytes());
    std::fs::write(output, bytes).expect("patched image writes");
}

/// Boots `image` on Firecracker; returns its exit status and serial output.
fn boot(firecracker: &Path, image: &Path, folder: &Path) -> (Option<i32>, String) {
    let configuration = folder.join(format!("{}.json", image.file_name().unwrap().to_string_lossy()));
    let json = format!(
        r#"{{"boot-source": {{"kernel_image_path": "{}", "boot_args": "console=ttyS0"}},
            "drives": [], "machine-config": {{"vcpu_count": 1, "mem_size_mib": 32}}}}"#,
        image.display()
    );
    std::fs::write(&configuration, json).expect("configuration writes");
    let mut child = Command::new(firecracker)
        .args(["--no-api", "--no-seccomp", "--config-file"])
        .arg(&configuration)
        .args(["--level", "Warning"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("firecracker starts");
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("firecracker is waited for") {
            break status.code();
        }
        if started.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let mut output = String::new();
    child.stdout.take().unwrap().read_to_string(&mut output).expect("serial output reads");
    let mut errors = String::new();
    child.stderr.take().unwrap().read_to_string(&mut errors).expect("stderr reads");
    (status, format!("{output}\n--- stderr ---\n{errors}"))
}

#[test]
fn hello_boots_on_firecracker_through_pvh_and_linux_paths() {
    let Some(firecracker) = firecracker() else { return };
    let folder = std::env::temp_dir().join(format!("sauce-firecracker-{}", std::process::id()));
    std::fs::create_dir_all(&folder).unwrap();
    let pvh = hello_image(&folder);
    let linux = folder.join("hello-linux-path.elf");
    without_pvh_note(&pvh, &linux);
    for (image, protocol) in [(&pvh, "PVH boot"), (&linux, "Linux 64-bit boot")] {
        let (status, output) = boot(&firecracker, image, &folder);
        assert_eq!(status, Some(0), "{protocol}: Firecracker should exit 0:\n{output}");
        for expected in [protocol, "ready", "Hello from SauceOS", "sauce: exit success"] {
            assert!(output.contains(expected), "{protocol}: missing {expected:?} in:\n{output}");
        }
    }
    let _ = std::fs::remove_dir_all(&folder);
}

/// A network namespace with a TAP device at 172.16.0.1/24, removed when dropped.
struct Namespace {
    name: String,
}

impl Namespace {
    fn create() -> Namespace {
        let name = format!("sauce-test-{}", std::process::id());
        let namespace = Namespace { name };
        for arguments in [
            vec!["netns", "add", namespace.name.as_str()],
            vec!["netns", "exec", namespace.name.as_str(), "ip", "tuntap", "add", "dev", "tap0", "mode", "tap"],
            vec!["netns", "exec", namespace.name.as_str(), "ip", "addr", "add", "172.16.0.1/24", "dev", "tap0"],
            vec!["netns", "exec", namespace.name.as_str(), "ip", "link", "set", "tap0", "up"],
            vec!["netns", "exec", namespace.name.as_str(), "ip", "link", "set", "lo", "up"],
        ] {
            let status = Command::new("ip").args(&arguments).status().expect("ip runs");
            assert!(status.success(), "ip {arguments:?} failed (root and iproute2 are needed)");
        }
        namespace
    }
}

impl Drop for Namespace {
    fn drop(&mut self) {
        let _ = Command::new("ip").args(["netns", "del", &self.name]).status();
    }
}

#[test]
fn hello_http_serves_on_firecracker_over_a_tap_in_a_namespace() {
    let Some(firecracker) = firecracker() else { return };
    let folder = std::env::temp_dir().join(format!("sauce-firecracker-http-{}", std::process::id()));
    std::fs::create_dir_all(&folder).unwrap();
    let manifest = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/hello-http/sauce.toml"));
    let intent = sauce_intent::load(manifest).expect("examples/hello-http loads");
    let image = folder.join("hello-http.elf");
    BuildContext::from_environment().unwrap().build_app(&intent, &image).expect("hello-http builds");
    let configuration = folder.join("vm.json");
    let json = format!(
        r#"{{"boot-source": {{"kernel_image_path": "{}", "boot_args": "console=ttyS0 ip=172.16.0.2/24 gw=172.16.0.1"}},
            "drives": [], "machine-config": {{"vcpu_count": 1, "mem_size_mib": 32}},
            "network-interfaces": [{{"iface_id": "eth0", "guest_mac": "06:00:ac:10:00:02", "host_dev_name": "tap0"}}]}}"#,
        image.display()
    );
    std::fs::write(&configuration, json).unwrap();
    let namespace = Namespace::create();
    let mut guest = Command::new("ip")
        .args(["netns", "exec", &namespace.name])
        .arg(&firecracker)
        .args(["--no-api", "--no-seccomp", "--level", "Warning", "--config-file"])
        .arg(&configuration)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("firecracker starts");
    let started = Instant::now();
    let mut body = String::new();
    while started.elapsed() < Duration::from_secs(60) {
        let output = Command::new("ip")
            .args(["netns", "exec", &namespace.name, "curl", "-s", "-m", "2", "http://172.16.0.2/"])
            .output()
            .expect("curl runs inside the namespace");
        body = String::from_utf8_lossy(&output.stdout).into_owned();
        if output.status.success() {
            break;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    let _ = guest.kill();
    let _ = guest.wait();
    drop(namespace);
    let _ = std::fs::remove_dir_all(&folder);
    assert_eq!(body, "Hello from SauceOS\n");
}
