//! End to end: apps with their own code, built from a temporary folder (as `sauce new` makes
//! them, never through a path into the SauceOS tree), booted, and spoken to over 127.0.0.1:
//! - `examples/todo-api`'s whole contract;
//! - a probe app: `[app.env]` overridden by `sauce run --env`, the wall clock the host passed,
//!   a handler that panics (the route and request id on serial, exit 3, and with
//!   `--restart on-failure` the service comes back) and one that never yields (the watchdog
//!   stops it the same way).

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use common::{assert_exit, build_lock, copy_project, repository, sauce, temporary_folder, text};

/// A guest serving a project on a host port; its serial lines are kept.
struct Guest {
    child: Child,
    port: u16,
    lines: Arc<Mutex<Vec<String>>>,
}

impl Guest {
    fn start(project: &Path, extra: &[&str]) -> Guest {
        {
            let _lock = build_lock();
            let output = sauce().arg("build").arg(project).output().unwrap();
            let (stdout, stderr) = text(&output);
            assert!(output.status.success(), "build failed:\n{stdout}\n{stderr}");
        }
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut child = sauce()
            .arg("run")
            .arg(project)
            .args(["--accel", "tcg", "--timeout", "300", "-p"])
            .arg(format!("{port}:80"))
            .args(extra)
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
        guest.wait_for("http: port 80", 1);
        guest
    }

    /// Waits until `count` serial lines contain `text`.
    fn wait_for(&self, text: &str, count: usize) {
        let started = Instant::now();
        while self.count(text) < count {
            assert!(
                started.elapsed() < Duration::from_secs(120),
                "no {count}× {text:?} in:\n{}",
                self.lines.lock().unwrap().join("\n")
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn count(&self, text: &str) -> usize {
        self.lines
            .lock()
            .unwrap()
            .iter()
            .filter(|line| line.contains(text))
            .count()
    }

    /// One request on a new connection: `(status, head, body)`.
    fn request(&self, method: &str, path: &str, body: &str) -> (u16, String, String) {
        self.try_request(method, path, body)
            .unwrap_or_else(|error| panic!("{method} {path}: {error}"))
    }

    fn try_request(
        &self,
        method: &str,
        path: &str,
        body: &str,
    ) -> std::io::Result<(u16, String, String)> {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port))?;
        stream.set_read_timeout(Some(Duration::from_secs(30)))?;
        write!(
            stream,
            "{method} {path} HTTP/1.1\r\nHost: test\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        )?;
        let mut response = String::new();
        stream.read_to_string(&mut response)?;
        let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
        let status = head
            .get(9..12)
            .and_then(|code| code.parse().ok())
            .unwrap_or(0);
        Ok((status, head.to_owned(), body.to_owned()))
    }

    /// Retries until the guest answers (it may be booting again).
    fn request_when_up(&self, method: &str, path: &str) -> (u16, String, String) {
        let started = Instant::now();
        loop {
            match self.try_request(method, path, "") {
                Ok(answer) if answer.0 != 0 => return answer,
                _ if started.elapsed() > Duration::from_secs(120) => panic!("{path}: no answer"),
                _ => std::thread::sleep(Duration::from_millis(100)),
            }
        }
    }

    fn stop(mut self) -> std::process::ExitStatus {
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(self.child.id().to_string())
            .status();
        self.child.wait().unwrap()
    }
}

impl Drop for Guest {
    fn drop(&mut self) {
        common::stop_sauce_run(&mut self.child);
        let _ = self.child.wait();
    }
}

fn todo_project() -> PathBuf {
    let folder = temporary_folder("app-todo").join("todo-api");
    copy_project(&repository().join("examples/todo-api"), &folder);
    folder
}

#[test]
fn todo_api_keeps_its_contract() {
    let guest = Guest::start(&todo_project(), &[]);
    let (status, _, body) = guest.request("GET", "/todos", "");
    assert_eq!((status, body.as_str()), (200, "[]"));
    let (status, head, body) = guest.request("POST", "/todos", r#"{"title":"milk"}"#);
    assert_eq!(
        (status, body.as_str()),
        (201, r#"{"id":1,"title":"milk","done":false}"#)
    );
    assert!(head.contains("Location: /todos/1"), "{head}");
    let (status, _, body) = guest.request("POST", "/todos", r#"{"title":"eggs","done":true}"#);
    assert_eq!(
        (status, body.as_str()),
        (201, r#"{"id":2,"title":"eggs","done":true}"#)
    );
    assert_eq!(
        guest.request("GET", "/todos/1", "").2,
        r#"{"id":1,"title":"milk","done":false}"#
    );
    let (status, _, body) = guest.request("PUT", "/todos/1", r#"{"title":"oat milk"}"#);
    assert_eq!(
        (status, body.as_str()),
        (200, r#"{"id":1,"title":"oat milk","done":false}"#)
    );
    let (status, _, body) = guest.request("PATCH", "/todos/1", r#"{"done":true}"#);
    assert_eq!(
        (status, body.as_str()),
        (200, r#"{"id":1,"title":"oat milk","done":true}"#)
    );
    assert_eq!(guest.request("DELETE", "/todos/1", "").0, 204);
    assert_eq!(guest.request("GET", "/todos/1", "").0, 404);
    assert_eq!(guest.request("GET", "/todos/abc", "").0, 404);
    assert_eq!(
        guest.request("GET", "/todos", "").2,
        r#"[{"id":2,"title":"eggs","done":true}]"#
    );
    let (status, head, body) = guest.request("POST", "/todos", "{not json");
    assert_eq!(status, 400, "{head}{body}");
    assert!(
        head.contains("application/json") && body.starts_with(r#"{"error":"#),
        "{head}{body}"
    );
    assert_eq!(guest.request("POST", "/todos", r#"{"done":true}"#).0, 422);
    assert_eq!(guest.request("POST", "/todos", r#"{"title":7}"#).0, 422);
    let long = format!(r#"{{"title":"{}"}}"#, "x".repeat(201));
    assert_eq!(guest.request("POST", "/todos", &long).0, 422);
    let huge = format!(r#"{{"title":"{}"}}"#, "x".repeat(5000));
    assert_eq!(guest.request("POST", "/todos", &huge).0, 413);
    // Ids only increase: the next one is 3 even after a delete.
    assert_eq!(
        guest.request("POST", "/todos", r#"{"title":"bread"}"#).2,
        r#"{"id":3,"title":"bread","done":false}"#
    );
    // The router's own answers.
    let (status, head, _) = guest.request("OPTIONS", "/todos/3", "");
    assert_eq!(status, 204);
    assert!(
        head.contains("Allow: GET, HEAD, PUT, PATCH, DELETE, OPTIONS"),
        "{head}"
    );
    let (status, head, body) = guest.request("HEAD", "/todos/3", "");
    assert_eq!((status, body.as_str()), (200, ""));
    assert!(head.contains("Content-Length: 37"), "{head}");
    assert_eq!(guest.request("POST", "/todos/3", "").0, 405);
    assert!(
        guest.count("app /todos #") >= 2,
        "handlers log with their route and request id"
    );
}

fn write_probe(folder: &Path) {
    std::fs::create_dir_all(folder.join("src")).unwrap();
    std::fs::write(
        folder.join("Cargo.toml"),
        "[package]\nname = \"probe\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\nsauce-app = \"0.1\"\n\n[workspace]\n",
    )
    .unwrap();
    std::fs::write(
        folder.join("sauce.toml"),
        "[app]\nname = \"probe\"\ninit = \"init\"\nwatchdog = \"500ms\"\n\n[app.env]\nGREETING = \"default greeting\"\nMODE = \"dev\"\n\n[http]\n\n[[http.route]]\npath = \"/env/{key}\"\nhandler = \"env\"\n\n[[http.route]]\npath = \"/now\"\nhandler = \"now\"\n\n[[http.route]]\npath = \"/at-init\"\nhandler = \"at_init\"\n\n[[http.route]]\npath = \"/boom\"\nhandler = \"boom\"\n\n[[http.route]]\npath = \"/spin\"\nhandler = \"spin\"\n\n[[http.route]]\npath = \"/static\"\nbody = \"fixed\\n\"\n",
    )
    .unwrap();
    std::fs::write(
        folder.join("src/lib.rs"),
        r#"//! A probe of the app platform.
#![no_std]
#![forbid(unsafe_code)]

extern crate alloc;

use sauce_app::{Error, Request, Response, Result};

/// What `init` saw of the platform: the app's state.
pub struct State {
    greeting: &'static str,
    token: u64,
    started: u64,
}

/// Runs once at boot: the platform (env, randomness, clock) is already there.
pub fn init() -> State {
    State {
        greeting: sauce_app::env("GREETING").unwrap_or("unset at init"),
        token: sauce_app::random_u64(),
        started: sauce_app::now().unix_millis(),
    }
}

pub async fn at_init(_request: Request, state: &'static State) -> Result {
    Ok(Response::text(alloc::format!(
        "{} {} {}",
        state.greeting, state.token, state.started
    )))
}

pub async fn env(request: Request) -> Result {
    let key = request.param("key").unwrap_or_default();
    sauce_app::env(key).map(Response::text).ok_or_else(|| Error::not_found("unset"))
}

pub async fn now(_request: Request) -> Result {
    Ok(Response::text(alloc::format!("{}", sauce_app::now().unix_millis())))
}

pub async fn boom(_request: Request) -> Result {
    panic!("a handler that panics on purpose")
}

pub async fn spin(_request: Request) -> Result {
    let mut count: u64 = 0;
    loop {
        count = core::hint::black_box(count.wrapping_add(1));
    }
}
"#,
    )
    .unwrap();
}

#[test]
fn the_platform_serves_env_and_time_and_failures_restart_the_guest() {
    let project = temporary_folder("app-probe").join("probe");
    write_probe(&project);
    let guest = Guest::start(
        &project,
        &[
            "--env",
            "GREETING=hello, world & all",
            "--restart",
            "on-failure:3",
        ],
    );
    assert_eq!(
        guest.request("GET", "/env/GREETING", "").2,
        "hello, world & all"
    );
    assert_eq!(guest.request("GET", "/env/MODE", "").2, "dev");
    // `init` ran with the platform installed: env, randomness and the host's clock.
    let at_init = guest.request("GET", "/at-init", "").2;
    let fields: Vec<&str> = at_init.rsplitn(3, ' ').collect();
    assert_eq!(fields.get(2), Some(&"hello, world & all"), "{at_init}");
    assert!(
        fields[0].parse::<u64>().unwrap() > 1_700_000_000_000,
        "{at_init}"
    );
    fields[1].parse::<u64>().unwrap();
    assert_eq!(guest.request("GET", "/env/MISSING", "").0, 404);
    assert_eq!(guest.request("GET", "/static", "").2, "fixed\n");
    let host_now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis() as i128;
    let guest_now: i128 = guest.request("GET", "/now", "").2.parse().unwrap();
    assert!(
        (guest_now - host_now).abs() < 60_000,
        "guest {guest_now}, host {host_now}"
    );
    // A panicking handler: the route and request on serial, the guest fails and boots again.
    let _ = guest.try_request("GET", "/boom", "");
    guest.wait_for("a handler that panics on purpose", 1);
    guest.wait_for("app: while handling /boom (request #", 1);
    guest.wait_for("http: port 80", 2);
    assert_eq!(
        guest.request_when_up("GET", "/env/GREETING").2,
        "hello, world & all"
    );
    // A handler that never yields: the watchdog stops it the same way.
    let _ = guest.try_request("GET", "/spin", "");
    guest.wait_for("watchdog: code ran for more than 500 ms", 1);
    guest.wait_for("app: while handling /spin (request #", 1);
    guest.wait_for("http: port 80", 3);
    assert_eq!(guest.request_when_up("GET", "/static").2, "fixed\n");
    let lines = guest.lines.lock().unwrap().join("\n");
    assert!(
        !lines.contains("hello, world & all"),
        "run-time values are never printed:\n{lines}"
    );
    drop(lines);
    guest.stop();
}

#[test]
fn a_failing_handler_without_restarts_ends_sauce_run_with_status_3() {
    let project = temporary_folder("app-probe-once").join("probe");
    write_probe(&project);
    let guest = Guest::start(&project, &[]);
    let _ = guest.try_request("GET", "/boom", "");
    let mut guest = guest;
    let status = guest.child.wait().unwrap();
    assert_eq!(status.code(), Some(3));
    let _ = assert_exit;
}

#[test]
fn a_compile_error_in_a_handler_is_shown_as_rustc_shows_it_at_the_users_file() {
    let folder = temporary_folder("app-compile-error").join("todo-api");
    copy_project(&repository().join("examples/todo-api"), &folder);
    let handler = folder.join("src/todos.rs");
    let code = std::fs::read_to_string(&handler).unwrap();
    let broken = code.replacen(
        "Error::not_found(\"no such todo\")",
        "Error::not_found(42u8)",
        1,
    );
    assert_ne!(code, broken, "todo-api's not-found line moved");
    std::fs::write(&handler, broken).unwrap();
    let output = {
        let _lock = build_lock();
        sauce().arg("build").arg(&folder).output().unwrap()
    };
    let (stdout, stderr) = text(&output);
    assert!(!output.status.success(), "{stdout}\n{stderr}");
    // rustc's own message, located in the user's file (never in the generated board).
    assert!(stderr.contains("error[E0277]"), "{stderr}");
    let location = format!("{}:", handler.display());
    assert!(stderr.contains(&location), "no {location} in:\n{stderr}");
    assert!(!stderr.contains("src/main.rs"), "{stderr}");
    assert!(!stderr.contains("/.sauce/"), "{stderr}");
}
