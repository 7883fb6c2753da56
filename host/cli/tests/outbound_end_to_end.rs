//! End to end: an image reaches servers outside it. A test-only component
//! (`tests/outbound-probe`, found through `SAUCE_COMPONENT_PATH`) connects at boot through
//! `outbound-tcp` to a TCP server this test runs on the host — 10.0.2.2 under QEMU user
//! networking — by address, then by a name that a tiny DNS server of this test (UDP port 53
//! of 127.0.0.1, which the guest reaches as 10.0.2.2; `dns=10.0.2.2` on the kernel command
//! line) resolves, and prints what the server answered. The image also carries `entropy`,
//! which says at boot which sources seeded it.
//!
//! Port 53 needs root (or a lowered `net.ipv4.ip_unprivileged_port_start`): without it the
//! name part is skipped, saying why, and the address part still runs.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, UdpSocket};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use common::{assert_exit, build_lock, repository, sauce, temporary_folder};

/// The name the DNS server knows.
const NAME: &str = "database.sauce.test";

/// Answers each connection: reads the guest's line, answers with it, closes.
fn serve_tcp(listener: TcpListener, connections: usize) {
    for _ in 0..connections {
        let Ok((mut stream, _)) = listener.accept() else {
            return;
        };
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .unwrap();
        let mut line = Vec::new();
        let mut byte = [0u8; 1];
        while line.last() != Some(&b'\n') && stream.read(&mut byte).unwrap_or(0) == 1 {
            line.push(byte[0]);
        }
        let reply = format!("host heard: {}", String::from_utf8_lossy(&line));
        let _ = stream.write_all(reply.as_bytes());
        // Dropping the stream closes it: the guest reads to the end.
    }
}

/// The DNS answer to `query`: one A record (10.0.2.2) for `NAME`, NXDOMAIN otherwise.
fn dns_answer(query: &[u8]) -> Option<Vec<u8>> {
    let mut labels = Vec::new();
    let mut at = 12;
    loop {
        let length = usize::from(*query.get(at)?);
        at += 1;
        if length == 0 {
            break;
        }
        labels.push(String::from_utf8_lossy(query.get(at..at + length)?).into_owned());
        at += length;
    }
    let known = labels.join(".").eq_ignore_ascii_case(NAME);
    let mut answer = query.get(0..2)?.to_vec();
    answer.extend_from_slice(if known { &[0x81, 0x80] } else { &[0x81, 0x83] });
    answer.extend_from_slice(&[0, 1, 0, u8::from(known), 0, 0, 0, 0]);
    answer.extend_from_slice(query.get(12..at + 4)?);
    if known {
        answer.extend_from_slice(&[0xC0, 0x0C, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 10, 0, 2, 2]);
    }
    Some(answer)
}

/// Answers DNS queries on `socket` until `stop`; counts them.
fn serve_dns(socket: UdpSocket, stop: Arc<AtomicBool>) -> usize {
    socket
        .set_read_timeout(Some(Duration::from_millis(200)))
        .unwrap();
    let mut queries = 0;
    let mut buffer = [0u8; 512];
    while !stop.load(Ordering::SeqCst) {
        let Ok((length, peer)) = socket.recv_from(&mut buffer) else {
            continue;
        };
        queries += 1;
        if let Some(answer) = dns_answer(&buffer[..length]) {
            let _ = socket.send_to(&answer, peer);
        }
    }
    queries
}

/// Builds the probe's image in a new folder named after `name`, with `more_components` (each
/// `, "name"`) in its list and `extra` appended to its sauce.toml.
fn build_probe(name: &str, more_components: &str, extra: &str) -> PathBuf {
    let folder = temporary_folder(name);
    let project = folder.join("project");
    std::fs::create_dir_all(&project).unwrap();
    std::fs::write(
        project.join("sauce.toml"),
        format!("[app]\nname = \"outbound-probe\"\n\n[build]\ncomponents = [\"outbound-tcp\", \"outbound-probe\", \"entropy\"{more_components}]\n{extra}"),
    )
    .unwrap();
    let image = folder.join("outbound-probe.elf");
    let _lock = build_lock();
    // The probe's crate depends on the repository's kernel and components by path: the
    // image is built from the repository too, not from sources bundled into `sauce`.
    let output = sauce()
        .env("SAUCE_HOME", repository())
        .env("SAUCE_COMPONENT_PATH", repository().join("tests"))
        .arg("build")
        .arg(&project)
        .arg("-o")
        .arg(&image)
        .output()
        .unwrap();
    assert_exit(&output, 0);
    image
}

/// Boots `image` under QEMU user networking with `append` on the kernel command line; the
/// serial lines that contain one of `prefixes`, until the probe is done.
fn boot_probe(image: &Path, append: &str, prefixes: &[&str]) -> Vec<String> {
    boot_probe_on(image, "microvm", append, prefixes)
}

/// [`boot_probe`] on QEMU's `machine`.
fn boot_probe_on(image: &Path, machine: &str, append: &str, prefixes: &[&str]) -> Vec<String> {
    // A forwarded port gives the guest its network device; nothing listens behind it.
    let unused = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut child = sauce()
        .arg("run")
        .arg(image)
        .args([
            "--accel",
            "tcg",
            "--timeout",
            "120",
            "--machine",
            machine,
            "-p",
        ])
        .arg(format!("{unused}:9"))
        .arg("--append")
        .arg(append)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = Vec::new();
    for line in BufReader::new(child.stdout.take().unwrap())
        .lines()
        .map_while(Result::ok)
    {
        if line.contains("probe: done") {
            break;
        }
        if prefixes.iter().any(|prefix| line.contains(prefix)) {
            lines.push(line);
        }
    }
    common::stop_sauce_run(&mut child);
    let _ = child.wait();
    lines
}

#[test]
fn an_image_reaches_a_host_server_by_address_and_by_name() {
    let image = build_probe("outbound-e2e", "", "");

    let dns = match UdpSocket::bind("127.0.0.1:53") {
        Ok(socket) => Some(socket),
        Err(error) => {
            eprintln!("skipped the name part: cannot bind UDP 127.0.0.1:53 ({error})");
            None
        }
    };
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let connections = if dns.is_some() { 2 } else { 1 };
    let server = std::thread::spawn(move || serve_tcp(listener, connections));
    let stop = Arc::new(AtomicBool::new(false));
    let resolver = dns.map(|socket| {
        let stop = stop.clone();
        std::thread::spawn(move || serve_dns(socket, stop))
    });

    let mut append = format!("sauce probe.host=10.0.2.2 probe.port={port}");
    if resolver.is_some() {
        append.push_str(&format!(" probe.name={NAME} dns=10.0.2.2"));
    }
    let probe_lines = boot_probe(&image, &append, &["probe:", "outbound:", "entropy:"]);
    stop.store(true, Ordering::SeqCst);
    let queries = resolver.map(|thread| thread.join().unwrap());
    let report = probe_lines.join("\n");
    eprintln!("{report}");
    let expected = "received \"host heard: hello from the guest\\n\"";
    assert!(
        report.contains(&format!("probe: address 10.0.2.2 {expected}")),
        "{report}"
    );
    // The generator is seeded from the host's seed (`sauce run` passes one at every boot).
    assert!(
        report.contains("entropy: ") && report.contains("host seed + TSC"),
        "{report}"
    );
    if let Some(queries) = queries {
        assert!(
            report.contains(&format!("probe: name {NAME} {expected}")),
            "{report}"
        );
        assert!(queries >= 1, "the DNS server saw no query");
    }
    server.join().unwrap();
}

/// With `[network] ip = "dhcp"` the address and the DNS servers come from QEMU's DHCP server:
/// the outbound service says it resolves with the lease's 10.0.2.3 (no name is looked up:
/// nothing leaves for the outside), and a connection by address still reaches the host.
#[test]
fn a_leased_image_takes_its_dns_servers_from_the_lease() {
    // No [http], [tcp] or [[database]]: the DHCP client comes because a listed component
    // (outbound-tcp) brings the network stack in.
    let image = build_probe("outbound-dhcp-e2e", "", "\n[network]\nip = \"dhcp\"\n");
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = std::thread::spawn(move || serve_tcp(listener, 1));
    let append = format!("sauce probe.host=10.0.2.2 probe.port={port}");
    let lines = boot_probe(&image, &append, &["probe:", "outbound:", "network:"]);
    let report = lines.join("\n");
    eprintln!("{report}");
    assert!(report.contains("network: leased 10.0.2.15/24"), "{report}");
    assert!(
        report.contains("outbound: DNS 10.0.2.3 (from the DHCP lease)"),
        "{report}"
    );
    assert!(
        report.contains("probe: address 10.0.2.2 received \"host heard: hello from the guest\\n\""),
        "{report}"
    );
    server.join().unwrap();
}

/// The same outbound path on q35 (virtio-pci instead of virtio-mmio): the guest reaches a
/// server on the host through user networking.
#[test]
fn a_q35_image_reaches_a_host_server() {
    let image = build_probe(
        "outbound-q35-e2e",
        "",
        "\n[target]\nvmm = \"qemu\"\nmachine = \"q35\"\n",
    );
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = std::thread::spawn(move || serve_tcp(listener, 1));
    let append = format!("sauce probe.host=10.0.2.2 probe.port={port}");
    let lines = boot_probe_on(&image, "q35", &append, &["probe:"]);
    let report = lines.join("\n");
    eprintln!("{report}");
    assert!(
        report.contains("probe: address 10.0.2.2 received \"host heard: hello from the guest\\n\""),
        "{report}"
    );
    server.join().unwrap();
}
