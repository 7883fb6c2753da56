//! A database example booted under `sauce run` for a fault test: built from a copy outside the
//! tree, its database URL given with `--env`, reached over 127.0.0.1, its serial kept.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::common::{build_lock, copy_project, repository, sauce, temporary_folder, text};

/// Copies `examples/<name>` (without build output) into a fresh temporary folder named after
/// `test`.
pub fn project(test: &str, name: &str) -> PathBuf {
    let folder = temporary_folder(test).join(name);
    copy_project(&repository().join("examples").join(name), &folder);
    folder
}

/// A port of 127.0.0.1 nothing listens on right now.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// One HTTP answer.
#[derive(Clone, Debug)]
pub struct Answer {
    /// Its status code.
    pub status: u16,
    /// Its head (status line and headers).
    pub head: String,
    /// Its body.
    pub body: String,
}

impl Answer {
    /// The value of header `name`.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.eq_ignore_ascii_case(name).then(|| value.trim())
        })
    }

    /// `Retry-After` in whole seconds, when present and a number.
    pub fn retry_after(&self) -> Option<u64> {
        self.header("retry-after")?.parse().ok()
    }
}

/// A kept-alive connection to a guest, as a load generator (wrk) holds one: requests go one
/// after another on it; when the server closed it (or it failed) the next request opens a new
/// one. A GET that finds its reused connection closed before any byte of the answer is sent
/// again once on a new connection, as HTTP clients do with idempotent requests.
pub struct KeptAlive<'g> {
    guest: &'g Guest,
    stream: Option<BufReader<TcpStream>>,
    limit: Duration,
}

impl<'g> KeptAlive<'g> {
    /// A client of `guest` whose requests are answered within `limit` (else an error).
    pub fn new(guest: &'g Guest, limit: Duration) -> KeptAlive<'g> {
        KeptAlive {
            guest,
            stream: None,
            limit,
        }
    }

    /// `GET path`, answered within the limit.
    pub fn get(&mut self, path: &str) -> std::io::Result<Answer> {
        let reused = self.stream.is_some();
        match self.exchange(path) {
            Err(Unanswered::BeforeAnyByte(_)) if reused => {
                self.exchange(path).map_err(Unanswered::into_error)
            }
            outcome => outcome.map_err(Unanswered::into_error),
        }
    }

    fn exchange(&mut self, path: &str) -> Result<Answer, Unanswered> {
        let outcome = self.exchange_on_stream(path);
        if !matches!(&outcome, Ok((_, true))) {
            self.stream = None;
        }
        outcome.map(|(answer, _)| answer)
    }

    /// The answer, and whether the connection stays open.
    fn exchange_on_stream(&mut self, path: &str) -> Result<(Answer, bool), Unanswered> {
        if self.stream.is_none() {
            let stream = TcpStream::connect(("127.0.0.1", self.guest.port))
                .map_err(Unanswered::BeforeAnyByte)?;
            stream
                .set_read_timeout(Some(self.limit))
                .map_err(Unanswered::BeforeAnyByte)?;
            stream
                .set_write_timeout(Some(self.limit))
                .map_err(Unanswered::BeforeAnyByte)?;
            self.stream = Some(BufReader::new(stream));
        }
        let reader = self.stream.as_mut().expect("opened above");
        reader
            .get_mut()
            .write_all(format!("GET {path} HTTP/1.1\r\nHost: test\r\n\r\n").as_bytes())
            .map_err(Unanswered::BeforeAnyByte)?;
        let mut head = String::new();
        let mut line = String::new();
        loop {
            line.clear();
            let count = reader.read_line(&mut line).map_err(|error| {
                if head.is_empty() {
                    Unanswered::BeforeAnyByte(error)
                } else {
                    Unanswered::During(error)
                }
            })?;
            if count == 0 {
                let closed = std::io::Error::new(
                    std::io::ErrorKind::UnexpectedEof,
                    "the guest closed the connection",
                );
                return Err(if head.is_empty() {
                    Unanswered::BeforeAnyByte(closed)
                } else {
                    Unanswered::During(closed)
                });
            }
            if line == "\r\n" {
                break;
            }
            head.push_str(&line);
        }
        let head = head.trim_end().to_owned();
        let header = |name: &str| {
            head.lines().skip(1).find_map(|line| {
                let (key, value) = line.split_once(':')?;
                key.eq_ignore_ascii_case(name)
                    .then(|| value.trim().to_owned())
            })
        };
        let length: usize = header("content-length")
            .and_then(|value| value.parse().ok())
            .unwrap_or(0);
        let keep = !header("connection").is_some_and(|value| value.eq_ignore_ascii_case("close"));
        let mut body = vec![0u8; length];
        reader.read_exact(&mut body).map_err(Unanswered::During)?;
        let status = head
            .get(9..12)
            .and_then(|code| code.parse().ok())
            .unwrap_or(0);
        let answer = Answer {
            status,
            head,
            body: String::from_utf8_lossy(&body).into_owned(),
        };
        Ok((answer, keep))
    }
}

/// Why a request got no answer.
enum Unanswered {
    /// Before any byte of an answer: the request may not have reached the guest.
    BeforeAnyByte(std::io::Error),
    /// In the middle of the answer.
    During(std::io::Error),
}

impl Unanswered {
    fn into_error(self) -> std::io::Error {
        match self {
            Unanswered::BeforeAnyByte(error) | Unanswered::During(error) => error,
        }
    }
}

/// A guest serving a project on a port of 127.0.0.1; stopped when dropped.
pub struct Guest {
    child: Child,
    port: u16,
    lines: Arc<Mutex<Vec<String>>>,
}

impl Guest {
    /// Builds `project` (once: later boots find the image unchanged), boots it under TCG with
    /// `--env environment`, and waits until `database_line` and the HTTP service's line appear.
    pub fn start(project: &Path, environment: &str, database_line: &str) -> Guest {
        {
            let _lock = build_lock();
            let output = sauce().arg("build").arg(project).output().unwrap();
            let (stdout, stderr) = text(&output);
            assert!(output.status.success(), "build failed:\n{stdout}\n{stderr}");
        }
        let port = free_port();
        let mut child = sauce()
            .arg("run")
            .arg(project)
            .args(["--accel", "tcg", "--timeout", "300", "-p"])
            .arg(format!("{port}:80"))
            .args(["--env", environment])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let lines = Arc::new(Mutex::new(Vec::new()));
        for stream in [
            Box::new(child.stdout.take().unwrap()) as Box<dyn Read + Send>,
            Box::new(child.stderr.take().unwrap()),
        ] {
            let lines = lines.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    lines.lock().unwrap().push(line);
                }
            });
        }
        let guest = Guest { child, port, lines };
        guest.wait_for(database_line);
        guest.wait_for("http: port 80");
        guest
    }

    /// Waits (up to 120 s) until a serial line contains `text`.
    pub fn wait_for(&self, text: &str) {
        let started = Instant::now();
        while !self.serial().contains(text) {
            assert!(
                started.elapsed() < Duration::from_secs(120),
                "no {text:?} in:\n{}",
                self.serial()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Everything the guest and `sauce run` printed so far.
    pub fn serial(&self) -> String {
        self.lines.lock().unwrap().join("\n")
    }

    /// Whether `sauce run` (and so the guest) is still running.
    pub fn running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// One request on a new connection, answered within `limit` (else the I/O error).
    pub fn try_request(
        &self,
        method: &str,
        path: &str,
        body: &str,
        limit: Duration,
    ) -> std::io::Result<Answer> {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port))?;
        stream.set_read_timeout(Some(limit))?;
        stream.set_write_timeout(Some(limit))?;
        // One write, as HTTP clients send a request: QEMU 7.2's user networking (libslirp)
        // sometimes loses the first piece of a request written in several pieces right after
        // `connect` (a capture of the guest's network showed the guest's first segment start
        // at the request's fourth byte, ` /notes/1 …`, at the connection's first sequence
        // number: the bytes never reached the guest).
        let request = format!(
            "{method} {path} HTTP/1.1\r\nHost: test\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        );
        stream.write_all(request.as_bytes())?;
        let mut response = String::new();
        stream.read_to_string(&mut response)?;
        let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
        let status = head
            .get(9..12)
            .and_then(|code| code.parse().ok())
            .unwrap_or(0);
        Ok(Answer {
            status,
            head: head.to_owned(),
            body: body.to_owned(),
        })
    }

    /// One request that must be answered within 30 s.
    pub fn request(&self, method: &str, path: &str, body: &str) -> Answer {
        self.try_request(method, path, body, Duration::from_secs(30))
            .unwrap_or_else(|error| panic!("{method} {path}: {error}\nserial:\n{}", self.serial()))
    }

    /// SIGTERM to `sauce run`, which stops QEMU (SIGKILL would leave QEMU running); SIGKILL
    /// only if it has not ended after 10 s.
    fn terminate(&mut self) {
        if let Ok(Some(_)) = self.child.try_wait() {
            return;
        }
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(self.child.id().to_string())
            .status();
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(10) {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Guest {
    fn drop(&mut self) {
        self.terminate();
    }
}
