//! End to end: every HTTP example built by `sauce build` (on the machine its intent names),
//! booted by `sauce run -p` under TCG and, where it works, KVM, and asked over 127.0.0.1 for what its sauce.toml promises:
//! embedded files with types, lengths and ETags (304 on a match), JSON routes, a redirect, a
//! custom 404, the tiny image in its small memory (3 MiB), and q35 from `[target]`.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use common::{accelerators, assert_exit, build_lock, repository, sauce};

/// One guest at a time: on two cores, parallel guests turn timeouts into load measurements.
fn one_guest_at_a_time() -> std::sync::MutexGuard<'static, ()> {
    static TURN: std::sync::Mutex<()> = std::sync::Mutex::new(());
    TURN.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// `sauce run examples/<name> -p PORT:80` until dropped.
struct Guest {
    child: Child,
    port: u16,
}

impl Guest {
    fn start(example: &str, accelerator: &str) -> Guest {
        let project: PathBuf = repository().join("examples").join(example);
        {
            let _lock = build_lock();
            let output = sauce().arg("build").arg(&project).output().unwrap();
            assert_exit(&output, 0);
        }
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut child = sauce()
            .arg("run")
            .arg(&project)
            .args(["--accel", accelerator, "--timeout", "600", "-p"])
            .arg(format!("{port}:80"))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (sender, ready) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if line.trim() == "ready" {
                    let _ = sender.send(());
                }
            }
        });
        ready
            .recv_timeout(Duration::from_secs(180))
            .unwrap_or_else(|_| panic!("{example} under {accelerator}: no ready line"));
        Guest { child, port }
    }

    /// One request on a new connection (retried while the guest is not listening yet); the
    /// status, the head and the body.
    fn request(&self, request: &str) -> (u16, String, Vec<u8>) {
        let give_up = Instant::now() + Duration::from_secs(30);
        loop {
            match self.try_request(request) {
                Ok(answer) => return answer,
                Err(error) if Instant::now() < give_up => {
                    eprintln!("retrying: {error}");
                    std::thread::sleep(Duration::from_millis(200));
                }
                Err(error) => panic!("no answer to {request:?}: {error}"),
            }
        }
    }

    fn try_request(&self, request: &str) -> std::io::Result<(u16, String, Vec<u8>)> {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port))?;
        stream.set_read_timeout(Some(Duration::from_secs(20)))?;
        stream.write_all(request.as_bytes())?;
        let mut bytes = Vec::new();
        stream.read_to_end(&mut bytes)?;
        let split = bytes
            .windows(4)
            .position(|window| window == b"\r\n\r\n")
            .ok_or_else(|| {
                std::io::Error::other(format!("no complete head in {} bytes", bytes.len()))
            })?;
        let head = String::from_utf8_lossy(&bytes[..split]).into_owned();
        let status = head
            .get(9..12)
            .and_then(|code| code.parse().ok())
            .unwrap_or(0);
        Ok((status, head, bytes[split + 4..].to_vec()))
    }

    fn get(&self, path: &str) -> (u16, String, Vec<u8>) {
        self.request(&format!(
            "GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        ))
    }
}

impl Drop for Guest {
    fn drop(&mut self) {
        let _ = std::process::Command::new("kill")
            .arg("-TERM")
            .arg(self.child.id().to_string())
            .status();
        let _ = self.child.wait();
    }
}

fn header<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    head.lines().find_map(|line| {
        let (key, value) = line.split_once(':')?;
        key.eq_ignore_ascii_case(name).then(|| value.trim())
    })
}

#[test]
fn static_site_serves_its_folder_with_types_and_etags() {
    let _turn = one_guest_at_a_time();
    for accelerator in accelerators() {
        static_site_serves(&Guest::start("static-site", accelerator));
    }
}

fn static_site_serves(guest: &Guest) {
    let public = repository().join("examples/static-site/public");
    let (status, head, body) = guest.get("/");
    assert_eq!(status, 200, "{head}");
    assert_eq!(body, std::fs::read(public.join("index.html")).unwrap());
    assert_eq!(
        header(&head, "content-type"),
        Some("text/html; charset=utf-8")
    );
    let (status, head, body) = guest.get("/css/site.css");
    assert_eq!(
        (status, header(&head, "content-type")),
        (200, Some("text/css; charset=utf-8")),
        "{head}"
    );
    assert_eq!(body, std::fs::read(public.join("css/site.css")).unwrap());
    let (status, head, body) = guest.get("/images/sauce.png");
    assert_eq!(
        (status, header(&head, "content-type")),
        (200, Some("image/png")),
        "{head}"
    );
    assert_eq!(
        body,
        std::fs::read(public.join("images/sauce.png")).unwrap()
    );
    let etag = header(&head, "etag").expect("an ETag").to_owned();
    let conditional = format!("GET /images/sauce.png HTTP/1.1\r\nHost: x\r\nIf-None-Match: {etag}\r\nConnection: close\r\n\r\n");
    let (status, head, body) = guest.request(&conditional);
    assert_eq!((status, body.len()), (304, 0), "{head}");
    let (status, _, _) = guest.get("/missing.html");
    assert_eq!(status, 404);
}

#[test]
fn json_api_serves_json_a_redirect_and_its_own_404() {
    let _turn = one_guest_at_a_time();
    for accelerator in accelerators() {
        json_api_serves(&Guest::start("json-api", accelerator));
    }
}

fn json_api_serves(guest: &Guest) {
    let (status, head, body) = guest.get("/api/info");
    assert_eq!(
        (status, header(&head, "content-type")),
        (200, Some("application/json")),
        "{head}"
    );
    assert_eq!(
        String::from_utf8(body).unwrap(),
        r#"{"service":"json-api","version":1,"routes":["/api/info","/api/health"]}"#
    );
    let (status, head, body) = guest.get("/api/health");
    assert_eq!(
        (status, header(&head, "content-length")),
        (200, Some("15")),
        "{head}"
    );
    assert_eq!(body, br#"{"status":"ok"}"#);
    let (status, head, body) = guest.get("/");
    assert_eq!(
        (status, header(&head, "content-type")),
        (200, Some("text/plain; charset=utf-8")),
        "{head}"
    );
    assert_eq!(body, b"json-api: try /api/info\n");
    let (status, head, _) = guest.get("/api/v0/info");
    assert_eq!(
        (status, header(&head, "location")),
        (308, Some("/api/info")),
        "{head}"
    );
    let (status, head, body) = guest.get("/nowhere");
    assert_eq!(
        (status, header(&head, "content-type")),
        (404, Some("application/json")),
        "{head}"
    );
    assert_eq!(body, br#"{"error":"not found"}"#);
}

#[test]
fn tiny_serves_in_its_small_memory() {
    let _turn = one_guest_at_a_time();
    for accelerator in accelerators() {
        let guest = Guest::start("tiny", accelerator);
        let (status, _, body) = guest.get("/");
        assert_eq!(
            (status, body.as_slice()),
            (200, b"tiny\n".as_slice()),
            "under {accelerator}"
        );
    }
}

#[test]
fn the_q35_example_serves_on_q35_from_its_target() {
    let _turn = one_guest_at_a_time();
    for accelerator in accelerators() {
        let guest = Guest::start("q35", accelerator);
        let (status, _, body) = guest.get("/");
        assert_eq!(
            (status, body.as_slice()),
            (200, b"Hello from SauceOS on q35\n".as_slice()),
            "under {accelerator}"
        );
    }
}

#[test]
fn plan_explains_the_q35_choices() {
    let output = sauce()
        .arg("plan")
        .arg(repository().join("examples/q35"))
        .output()
        .unwrap();
    assert_exit(&output, 0);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("virtio-pci") && stdout.contains("q35 attaches virtio devices to PCI"),
        "{stdout}"
    );
    assert!(!stdout.contains("virtio-mmio"), "{stdout}");
}
