//! The launcher (`sauce_runner::firecracker`) against a real Firecracker: the hello image
//! through both boot paths, PVH (the image as built) and the 64-bit Linux boot protocol (the
//! same image with its PVH note renamed, which is what Firecracker before 1.12 sees), and
//! hello-http through the private network and relay. Runs only when `SAUCE_FIRECRACKER` names
//! a Firecracker binary; says it was skipped otherwise.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use sauce_builder::BuildContext;
use sauce_runner::firecracker::{run, run_until, FirecrackerConfig, Network};
use sauce_runner::{GuestExit, PortForward};
use sauce_trivial_image::TrivialImage;

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

fn example_image(example: &str, folder: &Path) -> PathBuf {
    let manifest =
        Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../../examples/{example}/sauce.toml"));
    let intent = sauce_intent::load(&manifest).expect("the example loads");
    let output = folder.join(format!("{example}.elf"));
    BuildContext::from_environment()
        .expect("source tree and cache")
        .build_app(&intent, &output)
        .expect("the example builds");
    output
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

/// Renames the PVH note (type 18 → 0x5A5A) so Firecracker takes the Linux 64-bit path.
fn without_pvh_note(image: &Path, output: &Path) {
    let mut bytes = std::fs::read(image).expect("image reads");
    let note = [4u8, 0, 0, 0, 8, 0, 0, 0, 18, 0, 0, 0, b'X', b'e', b'n', 0];
    let position = bytes
        .windows(note.len())
        .position(|window| window == note)
        .expect("image has a PVH note");
    bytes[position + 8..position + 12].copy_from_slice(&0x5A5Au32.to_le_bytes());
    std::fs::write(output, bytes).expect("patched image writes");
}

#[test]
fn hello_boots_on_firecracker_through_pvh_and_linux_paths() {
    let Some(firecracker) = firecracker() else {
        return;
    };
    let folder = tempfile::tempdir().unwrap();
    let pvh = example_image("hello", folder.path());
    let linux = folder.path().join("hello-linux-path.elf");
    without_pvh_note(&pvh, &linux);
    for (image, protocol) in [(&pvh, "PVH boot"), (&linux, "Linux 64-bit boot")] {
        let mut config = FirecrackerConfig::new(&firecracker, image);
        config.timeout = Some(Duration::from_secs(120));
        let mut serial = String::new();
        let report = run(&config, |line| {
            serial.push_str(&line.text);
            serial.push('\n');
        })
        .unwrap_or_else(|error| panic!("{protocol}: {error}"));
        let context = format!("{protocol}:\n{serial}\n--- log ---\n{}", report.log);
        assert_eq!(report.exit, GuestExit::Success, "{context}");
        assert_eq!(report.status, Some(0), "{context}");
        for expected in [
            protocol,
            "ready",
            "Hello from SauceOS",
            "sauce: exit success",
        ] {
            assert!(
                serial.contains(expected),
                "missing {expected:?} in {context}"
            );
        }
        let boot = report
            .boot_time
            .unwrap_or_else(|| panic!("no Guest-boot-time report in {context}"));
        assert!(
            boot.wall > Duration::ZERO && boot.wall < report.finished - report.launched,
            "{boot:?}"
        );
    }
}

/// Under PVM (nested KVM without hardware virtualisation) a triple fault ends Firecracker with
/// a KVM internal error instead of the shutdown exit native KVM gives.
fn kvm_is_pvm() -> bool {
    Path::new("/sys/module/kvm_pvm").exists()
}

#[test]
fn a_triple_fault_is_a_reset_unless_the_guest_said_success() {
    let Some(firecracker) = firecracker() else {
        return;
    };
    let folder = tempfile::tempdir().unwrap();
    for (kind, expected) in [
        (TrivialImage::TripleFault, GuestExit::Reset),
        (TrivialImage::SuccessLineThenTripleFault, GuestExit::Success),
    ] {
        let image = folder.path().join(format!("{kind:?}.elf"));
        kind.write_to(&image).unwrap();
        let mut config = FirecrackerConfig::new(&firecracker, &image);
        config.timeout = Some(Duration::from_secs(60));
        let mut serial = String::new();
        let result = run(&config, |line| {
            serial.push_str(&line.text);
            serial.push('\n');
        });
        assert_eq!(serial, kind.serial_text());
        match result {
            Ok(report) => {
                // Native KVM: status 1 after the shutdown exit; PVM has also been seen to end
                // with 0 (record 0013 §4), which the same verdict rules cover.
                assert_eq!(
                    report.exit, expected,
                    "{kind:?} (status {:?}): log:\n{}",
                    report.status, report.log
                );
            }
            Err(error) if kvm_is_pvm() => {
                let message = error.to_string();
                assert!(
                    message.contains("KVM_EXIT_INTERNAL_ERROR") && message.contains("hint:"),
                    "{message}"
                );
            }
            Err(error) => panic!("{kind:?}: {error}"),
        }
    }
}

#[test]
fn without_the_boot_timer_the_guest_is_not_told() {
    let Some(firecracker) = firecracker() else {
        return;
    };
    let folder = tempfile::tempdir().unwrap();
    let mut config = FirecrackerConfig::new(&firecracker, example_image("hello", folder.path()));
    config.boot_timer = false;
    config.timeout = Some(Duration::from_secs(120));
    let report = run(&config, |_| {}).unwrap();
    assert_eq!(report.exit, GuestExit::Success);
    assert_eq!(report.boot_time, None, "{}", report.log);
    assert!(
        !report.log.contains("0xc0000000"),
        "nothing was written at the boot timer's address:\n{}",
        report.log
    );
}

#[test]
fn hello_http_serves_through_the_private_network() {
    let Some(firecracker) = firecracker() else {
        return;
    };
    if !network_allowed() {
        return;
    }
    let folder = tempfile::tempdir().unwrap();
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut config =
        FirecrackerConfig::new(&firecracker, example_image("hello-http", folder.path()));
    config.network = Network::Private {
        port_forwards: vec![PortForward {
            host: port,
            guest: 80,
        }],
    };
    config.timeout = Some(Duration::from_secs(180));
    let stop = AtomicBool::new(false);
    let (report, body) = std::thread::scope(|scope| {
        let client = scope.spawn(|| {
            let body = get(port, Instant::now() + Duration::from_secs(120));
            stop.store(true, Ordering::SeqCst);
            body
        });
        let report = run_until(&config, &stop, |_| {}).unwrap();
        (report, client.join().unwrap())
    });
    assert_eq!(
        body.as_deref(),
        Some("Hello from SauceOS\n"),
        "{}",
        report.log
    );
    assert_eq!(report.exit, GuestExit::Interrupted);
    let namespace = report.namespace.expect("a private network was made");
    assert!(
        !Path::new("/run/netns").join(&namespace).exists(),
        "namespace {namespace} was removed"
    );
}

/// The body of `GET /` on 127.0.0.1:`port`, retried until `give_up`.
fn get(port: u16, give_up: Instant) -> Option<String> {
    while Instant::now() < give_up {
        if let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) {
            let _ = stream.set_read_timeout(Some(Duration::from_secs(30)));
            let mut response = String::new();
            if stream
                .write_all(b"GET / HTTP/1.1\r\nConnection: close\r\n\r\n")
                .is_ok()
                && stream.read_to_string(&mut response).is_ok()
            {
                if let Some((head, body)) = response.split_once("\r\n\r\n") {
                    if head.starts_with("HTTP/1.1 200") {
                        return Some(body.to_owned());
                    }
                }
            }
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    None
}
