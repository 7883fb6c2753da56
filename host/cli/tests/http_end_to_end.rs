//! End to end: `examples/hello-http` built by `sauce build`, booted by `sauce run -p`, and
//! spoken to over real sockets on 127.0.0.1 (QEMU user networking), on microvm (virtio-mmio)
//! and q35 (virtio-pci), under TCG and, where it works, KVM. Each bad input is followed by a
//! good request that must succeed.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use common::{accelerators, assert_exit, build_lock, repository, sauce, temporary_folder};

const BODY: &str = "Hello from SauceOS\n";

/// The guests of these tests run one at a time: on a two-core machine, three busy guests at
/// once turn every timing into a measure of the host's load.
fn one_guest_at_a_time() -> std::sync::MutexGuard<'static, ()> {
    static TURN: std::sync::Mutex<()> = std::sync::Mutex::new(());
    TURN.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// hello-http built for `machine`: the selector gives each machine its own transport.
fn image_for(machine: &str) -> &'static PathBuf {
    static MICROVM: OnceLock<PathBuf> = OnceLock::new();
    static Q35: OnceLock<PathBuf> = OnceLock::new();
    let cell = if machine == "q35" { &Q35 } else { &MICROVM };
    cell.get_or_init(|| {
        let image = temporary_folder(&format!("http-e2e-{machine}")).join("hello-http.elf");
        let _lock = build_lock();
        let output = sauce()
            .arg("build")
            .arg(repository().join("examples/hello-http"))
            .args(["--machine", machine, "-o"])
            .arg(&image)
            .output()
            .unwrap();
        assert_exit(&output, 0);
        image
    })
}

fn image() -> &'static PathBuf {
    image_for("microvm")
}

/// A guest serving on a host port; stopped (SIGTERM to `sauce run`) when dropped.
struct Guest {
    child: Child,
    port: u16,
    label: String,
}

impl Guest {
    fn start(image: &Path, machine: &str, accelerator: &str) -> Guest {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut child = sauce()
            .arg("run")
            .arg(image)
            .args([
                "--machine",
                machine,
                "--accel",
                accelerator,
                "--timeout",
                "900",
                "-p",
            ])
            .arg(format!("{port}:80"))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let label = format!("{machine} under {accelerator}");
        let stdout = child.stdout.take().unwrap();
        let (sender, network_line) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if line.contains("network: ") {
                    let _ = sender.send(line);
                }
            }
        });
        // Printed just after `ready`: the address, and whether the device's interrupt is
        // routed (virtio-mmio through the I/O APIC, virtio-pci through MSI-X) or polled.
        let line = network_line
            .recv_timeout(Duration::from_secs(120))
            .unwrap_or_else(|_| panic!("{label}: no network line"));
        assert!(line.contains("interrupt-driven"), "{label}: {line}");
        Guest { child, port, label }
    }

    fn connect(&self) -> TcpStream {
        let stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .unwrap();
        stream
    }

    /// One GET / on a new connection; retried while the guest refuses or resets.
    fn good_request(&self, within: Duration) {
        let started = Instant::now();
        loop {
            match self.try_get() {
                Ok(response) if response == ok_response() => return,
                Ok(response) if started.elapsed() > within => {
                    panic!("{}: good request answered {response:?}", self.label)
                }
                Err(error) if started.elapsed() > within => {
                    panic!("{}: good request failed: {error}", self.label)
                }
                _ => std::thread::sleep(Duration::from_millis(100)),
            }
        }
    }

    fn try_get(&self) -> std::io::Result<String> {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port))?;
        stream.set_read_timeout(Some(Duration::from_secs(10)))?;
        stream.write_all(b"GET / HTTP/1.1\r\nHost: sauce\r\nConnection: close\r\n\r\n")?;
        let mut response = String::new();
        stream.read_to_string(&mut response)?;
        Ok(without_date(&response))
    }
}

/// `response` without its `Date` line (the host passes the wall clock at launch, so every
/// response has one; its value changes each second).
fn without_date(response: &str) -> String {
    let date = response
        .split("\r\n")
        .position(|line| line.starts_with("Date: ") && line.ends_with(" GMT"));
    assert!(
        date.is_some() || response.is_empty(),
        "no Date header in {response:?}"
    );
    response
        .split("\r\n")
        .enumerate()
        .filter(|(index, _)| Some(*index) != date)
        .map(|(_, line)| line)
        .collect::<Vec<_>>()
        .join("\r\n")
}

impl Drop for Guest {
    fn drop(&mut self) {
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

fn ok_response() -> String {
    format!("HTTP/1.1 200 OK\r\nServer: SauceOS\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 19\r\nConnection: close\r\n\r\n{BODY}")
}

/// Reads one response with a Content-Length body (or none for HEAD / bodiless statuses).
fn read_response(reader: &mut BufReader<TcpStream>, head_request: bool) -> (u16, String) {
    let mut status_line = String::new();
    reader.read_line(&mut status_line).unwrap();
    let status: u16 = status_line
        .split(' ')
        .nth(1)
        .unwrap_or_else(|| panic!("bad status line {status_line:?}"))
        .parse()
        .unwrap();
    let mut length = 0;
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        if line == "\r\n" {
            break;
        }
        if let Some(value) = line.to_ascii_lowercase().strip_prefix("content-length:") {
            length = value.trim().parse().unwrap();
        }
    }
    let mut body = vec![0; if head_request { 0 } else { length }];
    reader.read_exact(&mut body).unwrap();
    (status, String::from_utf8(body).unwrap())
}

/// Sends `request` on a fresh connection and returns the status of the first response (0 if
/// the guest closed without answering).
fn status_for(guest: &Guest, request: &[u8]) -> u16 {
    let mut stream = guest.connect();
    let _ = stream.write_all(request);
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    let text = String::from_utf8_lossy(&response);
    text.split(' ')
        .nth(1)
        .and_then(|status| status.parse().ok())
        .unwrap_or(0)
}

fn serves_everything(guest: &Guest, thorough: bool) {
    let label = &guest.label;
    guest.good_request(Duration::from_secs(30));

    // GET and HEAD, exact bytes.
    let mut reader = BufReader::new(guest.connect());
    reader
        .get_mut()
        .write_all(b"GET / HTTP/1.1\r\nHost: sauce\r\n\r\nHEAD / HTTP/1.1\r\nHost: sauce\r\n\r\n")
        .unwrap();
    assert_eq!(
        read_response(&mut reader, false),
        (200, BODY.to_owned()),
        "{label}: GET /"
    );
    assert_eq!(
        read_response(&mut reader, true),
        (200, String::new()),
        "{label}: HEAD /"
    );
    if !thorough {
        return;
    }

    // 1,000 keep-alive requests on one connection.
    for index in 0..1000 {
        reader
            .get_mut()
            .write_all(b"GET / HTTP/1.1\r\nHost: sauce\r\n\r\n")
            .unwrap();
        assert_eq!(
            read_response(&mut reader, false),
            (200, BODY.to_owned()),
            "{label}: keep-alive request {index}"
        );
    }

    // Pipelined requests, answered in order.
    reader.get_mut().write_all(b"GET / HTTP/1.1\r\n\r\nGET /nope HTTP/1.1\r\n\r\nHEAD / HTTP/1.1\r\n\r\nGET / HTTP/1.1\r\n\r\n").unwrap();
    let statuses: Vec<u16> = [false, false, true, false]
        .iter()
        .map(|head| read_response(&mut reader, *head).0)
        .collect();
    assert_eq!(statuses, [200, 404, 200, 200], "{label}: pipelined");
    drop(reader);
}

/// 64 connections at once: see `sixty_four_concurrent_connections`.
fn serves_concurrently(guest: &Guest) {
    let label = &guest.label;

    // 64 connections at once, from 16 threads of 4 each: every connection sends its request
    // as soon as it is open, and is read once its thread has opened all four. (QEMU's user
    // networking accepts forwarded connections with a listen backlog of 1, so 64 simultaneous
    // connects would lose SYNs on the host and wait out one-second retransmissions.)
    let port = guest.port;
    let clients: Vec<_> = (0..16)
        .map(|_| {
            std::thread::spawn(move || -> std::io::Result<Vec<String>> {
                let mut streams = Vec::new();
                for _ in 0..4 {
                    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
                    stream.set_read_timeout(Some(Duration::from_secs(60)))?;
                    stream.write_all(b"GET / HTTP/1.1\r\nConnection: close\r\n\r\n")?;
                    streams.push(stream);
                }
                streams
                    .into_iter()
                    .map(|mut stream| {
                        let mut response = Vec::new();
                        match stream.read_to_end(&mut response) {
                            Ok(_) => Ok(String::from_utf8_lossy(&response).into_owned()),
                            Err(error) => Err(std::io::Error::new(
                                error.kind(),
                                format!(
                                    "{error} after {} bytes: {:?}",
                                    response.len(),
                                    String::from_utf8_lossy(&response)
                                ),
                            )),
                        }
                    })
                    .collect()
            })
        })
        .collect();
    for (index, client) in clients.into_iter().enumerate() {
        match client.join().unwrap() {
            Ok(responses) => {
                for response in responses {
                    assert_eq!(
                        without_date(&response),
                        ok_response(),
                        "{label}: concurrent client thread {index}"
                    );
                }
            }
            Err(error) => panic!("{label}: concurrent client thread {index}: {error}"),
        }
    }
}

fn survives_bad_input(guest: &Guest) {
    let label = &guest.label;
    let mut noise = Vec::with_capacity(4096);
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    for _ in 0..4096 {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        noise.push(state as u8);
    }
    let status = status_for(guest, &noise);
    assert!(
        status == 0 || (400..500).contains(&status),
        "{label}: random bytes answered {status}"
    );
    guest.good_request(Duration::from_secs(30));

    assert_eq!(
        status_for(guest, b"GET /\r\n\r\n"),
        400,
        "{label}: request line without a version"
    );
    guest.good_request(Duration::from_secs(30));

    let mut huge = b"GET / HTTP/1.1\r\n".to_vec();
    for index in 0..512 {
        huge.extend_from_slice(format!("X-Filler-{index:04}: {}\r\n", "a".repeat(16)).as_bytes());
    }
    huge.extend_from_slice(b"\r\n");
    assert!(huge.len() > 16 * 1024);
    assert_eq!(status_for(guest, &huge), 431, "{label}: 16 KiB of headers");
    guest.good_request(Duration::from_secs(30));

    let unknown = status_for(guest, b"BREW / HTTP/1.1\r\nHost: pot\r\n\r\n");
    assert!(
        unknown == 405 || unknown == 501,
        "{label}: unknown method answered {unknown}"
    );
    guest.good_request(Duration::from_secs(30));

    // Half a request, then silence: 408 after the request timeout; others are served meanwhile.
    let mut silent = guest.connect();
    silent.write_all(b"GET / HTTP/1.1\r\nHost: sau").unwrap();
    guest.good_request(Duration::from_secs(30));
    let mut response = String::new();
    let _ = silent.read_to_string(&mut response);
    assert!(
        response.starts_with("HTTP/1.1 408"),
        "{label}: half request answered {response:?}"
    );
    guest.good_request(Duration::from_secs(30));
}

/// 500 connections that never send; a good request is still served (the service resets
/// connections that stay silent while every socket is taken). The connections are opened by
/// 16 threads: QEMU's user networking accepts forwarded connections slowly (listen backlog 1),
/// about 12 per second here.
fn survives_a_flood_of_silent_connections(guest: &Guest) {
    let port = guest.port;
    let openers: Vec<_> = (0..16)
        .map(|_| {
            std::thread::spawn(move || {
                (0..32)
                    .filter_map(|_| TcpStream::connect(("127.0.0.1", port)).ok())
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let idle: Vec<TcpStream> = openers
        .into_iter()
        .flat_map(|opener| opener.join().unwrap())
        .collect();
    assert!(
        idle.len() >= 500,
        "{}: only {} connections opened",
        guest.label,
        idle.len()
    );
    guest.good_request(Duration::from_secs(10));
    drop(idle);
    guest.good_request(Duration::from_secs(10));
}

#[test]
fn hello_http_serves_on_microvm_and_q35() {
    let _turn = one_guest_at_a_time();
    for accelerator in accelerators() {
        for machine in ["microvm", "q35"] {
            let started = Instant::now();
            let guest = Guest::start(image_for(machine), machine, accelerator);
            // q35 under this host's PVM "KVM" runs SeaBIOS and every guest instruction
            // emulated: GET and HEAD there; the whole list everywhere else.
            serves_everything(&guest, !(machine == "q35" && accelerator == "kvm"));
            eprintln!(
                "{}: served everything in {:.1} s",
                guest.label,
                started.elapsed().as_secs_f64()
            );
        }
    }
}

#[test]
fn hello_http_survives_bad_input() {
    let image = image();
    let _turn = one_guest_at_a_time();
    for accelerator in accelerators() {
        let started = Instant::now();
        let guest = Guest::start(image, "microvm", accelerator);
        survives_bad_input(&guest);
        eprintln!(
            "{}: survived bad input in {:.1} s",
            guest.label,
            started.elapsed().as_secs_f64()
        );
    }
}

/// Under TCG only: under this host's PVM "KVM" the guest is emulated and 500 handshakes take
/// minutes; the eviction logic is the same code under both (and host-tested in http-service).
#[test]
fn hello_http_survives_a_flood_of_silent_connections() {
    let image = image();
    let _turn = one_guest_at_a_time();
    let guest = Guest::start(image, "microvm", "tcg");
    let started = Instant::now();
    survives_a_flood_of_silent_connections(&guest);
    eprintln!(
        "{}: survived 500 silent connections in {:.1} s",
        guest.label,
        started.elapsed().as_secs_f64()
    );
}

/// 64 connections open and answered at once, through QEMU user networking. Ignored in the
/// default run: one or two connections in 64 sometimes get no byte back (1 run in 3 here). A
/// packet capture of the guest's network (`-object filter-dump`) shows that no SYN for those
/// connections ever reached the guest: the host accepted them, and QEMU's slirp never forwarded
/// them (its forwarded listener uses a backlog of 1). The guest is not involved. The check runs
/// by default over a TAP device, where slirp is out of the path, in tests/tap_network.rs
/// (microvm and q35, 64 connections all open before the first request). Run this one with
/// `cargo test -p sauce-cli --test http_end_to_end -- --ignored`.
#[test]
#[ignore = "QEMU user networking sometimes never forwards a connection; see the doc comment"]
fn sixty_four_concurrent_connections() {
    let image = image();
    let _turn = one_guest_at_a_time();
    let guest = Guest::start(image, "microvm", "tcg");
    guest.good_request(Duration::from_secs(30));
    serves_concurrently(&guest);
}
