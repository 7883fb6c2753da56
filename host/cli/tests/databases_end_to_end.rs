//! End to end: the database examples against real servers of the test's own
//! (tests/database-servers), each built from a temporary copy, booted under TCG with its URL
//! given at run time (`--env KEY=<url at 10.0.2.2>`, the host as QEMU user networking shows it)
//! and spoken to over 127.0.0.1:
//! - `examples/notes-postgres`: todo-api's contract under /notes, then a restart of the guest
//!   (the notes are still there, and ids are not reused);
//! - `examples/cache-redis`: the hit counter, and the limiter's five passes, 429 with
//!   Retry-After, and a pass again once the window ends; then Redis is killed (503 with
//!   Retry-After) and started again (the guest recovers by itself);
//! - `examples/orders-mysql`: an order written with its lines in one transaction, and one whose
//!   second line the table refuses rolled back whole.
//!
//! Each test skips, saying why, only when its server's binary is missing
//! (scripts/install-dependencies.sh installs them). The password never appears on serial.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{build_lock, copy_project, repository, sauce, temporary_folder, text};
use sauce_database_servers::{mariadb, postgres, redis};
use sauce_database_servers::{MariadbServer, PostgresServer, RedisServer};

/// Copies `examples/<name>` (without build output) into a fresh temporary folder.
fn project(name: &str) -> PathBuf {
    let folder = temporary_folder(&format!("databases-{name}")).join(name);
    copy_project(&repository().join("examples").join(name), &folder);
    folder
}

/// A guest serving a project on a host port; its serial lines are kept.
struct Guest {
    child: Child,
    port: u16,
    lines: Arc<Mutex<Vec<String>>>,
}

impl Guest {
    /// Builds (once; later boots find the image unchanged) and boots `project` with `--env
    /// environment`, and waits until the HTTP service and the database's pool are up.
    fn start(project: &Path, environment: &str, database_line: &str) -> Guest {
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

    /// Waits until a serial line contains `text`.
    fn wait_for(&self, text: &str) {
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

    fn serial(&self) -> String {
        self.lines.lock().unwrap().join("\n")
    }

    /// One request on a new connection: `(status, head, body)`.
    fn request(&self, method: &str, path: &str, body: &str) -> (u16, String, String) {
        let exchange = || -> std::io::Result<String> {
            let mut stream = TcpStream::connect(("127.0.0.1", self.port))?;
            stream.set_read_timeout(Some(Duration::from_secs(30)))?;
            write!(
                stream,
                "{method} {path} HTTP/1.1\r\nHost: test\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
                body.len()
            )?;
            let mut response = String::new();
            stream.read_to_string(&mut response)?;
            Ok(response)
        };
        let response = exchange()
            .unwrap_or_else(|error| panic!("{method} {path}: {error}\nserial:\n{}", self.serial()));
        let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
        let status = head
            .get(9..12)
            .and_then(|code| code.parse().ok())
            .unwrap_or(0);
        (status, head.to_owned(), body.to_owned())
    }

    /// `(status, body)` of a request.
    fn call(&self, method: &str, path: &str, body: &str) -> (u16, String) {
        let (status, _, body) = self.request(method, path, body);
        (status, body)
    }

    /// Stops the guest and waits for it: SIGTERM to `sauce run`, which stops QEMU (SIGKILL
    /// would leave QEMU running); SIGKILL only if it has not ended after 10 s.
    fn stop(mut self) {
        self.terminate();
    }

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

/// The value of header `name` in `head`.
fn header<'h>(head: &'h str, name: &str) -> Option<&'h str> {
    head.lines().find_map(|line| {
        let (key, value) = line.split_once(':')?;
        key.eq_ignore_ascii_case(name).then(|| value.trim())
    })
}

#[test]
fn notes_postgres_keeps_todo_apis_contract_and_its_notes_across_a_restart() {
    let server = match PostgresServer::start() {
        Ok(server) => server,
        Err(missing) => return eprintln!("skipped: {missing}"),
    };
    let url = server.url_at(
        "10.0.2.2",
        postgres::SCRAM_USER,
        postgres::SCRAM_PASSWORD,
        postgres::DATABASE,
    );
    let project = project("notes-postgres");
    let environment = format!("DATABASE_URL={url}");
    let masked = "database main: postgres://scram_user:***@10.0.2.2";
    let guest = Guest::start(&project, &environment, masked);
    assert_eq!(guest.call("GET", "/notes", ""), (200, "[]".to_owned()));
    let (status, head, body) = guest.request("POST", "/notes", r#"{"title":"milk"}"#);
    assert_eq!(
        (status, body.as_str()),
        (201, r#"{"id":1,"title":"milk","done":false}"#)
    );
    assert_eq!(header(&head, "location"), Some("/notes/1"));
    assert_eq!(
        guest.call("POST", "/notes", r#"{"title":"eggs","done":true}"#),
        (201, r#"{"id":2,"title":"eggs","done":true}"#.to_owned())
    );
    assert_eq!(
        guest.call("PUT", "/notes/1", r#"{"title":"oat milk"}"#),
        (
            200,
            r#"{"id":1,"title":"oat milk","done":false}"#.to_owned()
        )
    );
    assert_eq!(
        guest.call("PATCH", "/notes/1", r#"{"done":true}"#),
        (200, r#"{"id":1,"title":"oat milk","done":true}"#.to_owned())
    );
    assert_eq!(guest.call("DELETE", "/notes/1", "").0, 204);
    assert_eq!(guest.call("GET", "/notes/1", "").0, 404);
    assert_eq!(guest.call("DELETE", "/notes/1", "").0, 404);
    assert_eq!(guest.call("PATCH", "/notes/7", r#"{"done":true}"#).0, 404);
    assert_eq!(guest.call("POST", "/notes", r#"{"title":null}"#).0, 422);
    assert_eq!(guest.call("POST", "/notes", "{").0, 400);
    // Values are bound, never spliced into SQL.
    let (status, body) = guest.call("POST", "/notes", r#"{"title":"'); DROP TABLE notes; --"}"#);
    assert_eq!(
        (status, body.as_str()),
        (
            201,
            r#"{"id":3,"title":"'); DROP TABLE notes; --","done":false}"#
        )
    );
    let rows = server
        .query(
            postgres::SCRAM_USER,
            postgres::DATABASE,
            "SELECT id, title FROM notes ORDER BY id",
        )
        .unwrap();
    assert!(
        rows.contains("eggs") && !rows.contains("oat milk"),
        "{rows}"
    );
    let serial = guest.serial();
    assert!(serial.contains("notes table ready"), "{serial}");
    assert!(
        !serial.contains("p@ss") && !serial.contains("p%40ss"),
        "{serial}"
    );
    guest.stop();

    // A new boot: the notes are the database's, and ids go on from where they were.
    let guest = Guest::start(&project, &environment, masked);
    let (status, body) = guest.call("GET", "/notes", "");
    assert_eq!(
        (status, body.as_str()),
        (
            200,
            r#"[{"id":2,"title":"eggs","done":true},{"id":3,"title":"'); DROP TABLE notes; --","done":false}]"#
        )
    );
    assert_eq!(
        guest.call("POST", "/notes", r#"{"title":"tea"}"#),
        (201, r#"{"id":4,"title":"tea","done":false}"#.to_owned())
    );
}

#[test]
fn cache_redis_counts_hits_and_limits_each_client_per_window() {
    let mut server = match RedisServer::start() {
        Ok(server) => server,
        Err(missing) => return eprintln!("skipped: {missing}"),
    };
    let url = server.url_at("10.0.2.2", Some(redis::ACL_USER), redis::ACL_PASSWORD, "/3");
    let guest = Guest::start(
        &project("cache-redis"),
        &format!("REDIS_URL={url}"),
        "database cache: redis://alice:***@10.0.2.2",
    );
    assert_eq!(
        guest.call("GET", "/hits", ""),
        (200, r#"{"hits":1}"#.to_owned())
    );
    assert_eq!(
        guest.call("GET", "/hits", ""),
        (200, r#"{"hits":2}"#.to_owned())
    );
    for remaining in (0..5).rev() {
        assert_eq!(
            guest.call("GET", "/limited", ""),
            (
                200,
                format!(r#"{{"allowed":true,"remaining":{remaining}}}"#)
            )
        );
    }
    let (status, head, _) = guest.request("GET", "/limited", "");
    assert_eq!(status, 429, "{head}");
    let retry_after: u64 = header(&head, "retry-after").unwrap().parse().unwrap();
    assert!((1..=10).contains(&retry_after), "{head}");
    // The window ends (Redis expires its counter) and the client passes again.
    std::thread::sleep(Duration::from_secs(retry_after + 1));
    assert_eq!(
        guest.call("GET", "/limited", ""),
        (200, r#"{"allowed":true,"remaining":4}"#.to_owned())
    );
    // Redis goes down: the routes answer 503 with Retry-After (never a pass), and come back
    // by themselves once it is up again (it keeps nothing on disk: the count starts over).
    server.kill();
    for path in ["/hits", "/limited"] {
        let (status, head, _) = guest.request("GET", path, "");
        assert_eq!(status, 503, "{path}: {head}");
        assert!(header(&head, "retry-after").is_some(), "{head}");
    }
    server.resume();
    let started = Instant::now();
    loop {
        let (status, body) = guest.call("GET", "/hits", "");
        if status == 200 {
            assert_eq!(body, r#"{"hits":1}"#);
            break;
        }
        assert_eq!(status, 503, "{body}");
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "no recovery:\n{}",
            guest.serial()
        );
        std::thread::sleep(Duration::from_millis(250));
    }
    eprintln!(
        "cache-redis answered again {} ms after Redis was back",
        started.elapsed().as_millis()
    );
    assert!(!guest.serial().contains("alice:secret"));
}

#[test]
fn orders_mysql_writes_an_order_with_its_lines_or_nothing() {
    let server = match MariadbServer::start() {
        Ok(server) => server,
        Err(missing) => return eprintln!("skipped: {missing}"),
    };
    let url = server.url_at("10.0.2.2", mariadb::NATIVE_USER, mariadb::NATIVE_PASSWORD);
    let guest = Guest::start(
        &project("orders-mysql"),
        &format!("DATABASE_URL={url}"),
        "database main: mysql://native:***@10.0.2.2",
    );
    let order = r#"{"customer":"ada","lines":[{"item":"tea","quantity":2,"price_cents":350},{"item":"scone","quantity":1,"price_cents":100}]}"#;
    let (status, head, body) = guest.request("POST", "/orders", order);
    assert_eq!(
        (status, body.as_str()),
        (
            201,
            r#"{"id":1,"customer":"ada","total_cents":800,"lines":[{"item":"tea","quantity":2,"price_cents":350},{"item":"scone","quantity":1,"price_cents":100}]}"#
        ),
        "{}",
        guest.serial()
    );
    assert_eq!(header(&head, "location"), Some("/orders/1"));
    assert_eq!(guest.call("GET", "/orders/1", "").1, body);
    // The second line breaks the table's check: the order and its first line are rolled back.
    let refused = r#"{"customer":"bob","lines":[{"item":"tea","quantity":1,"price_cents":350},{"item":"cake","quantity":0,"price_cents":400}]}"#;
    assert_eq!(guest.call("POST", "/orders", refused).0, 422);
    assert_eq!(
        guest.call("GET", "/orders", ""),
        (
            200,
            r#"[{"id":1,"customer":"ada","total_cents":800}]"#.to_owned()
        )
    );
    assert_eq!(guest.call("GET", "/orders/2", "").0, 404);
    let (status, body) = guest.call(
        "POST",
        "/orders",
        r#"{"customer":"cy","lines":[{"item":"jam","quantity":3,"price_cents":250}]}"#,
    );
    assert_eq!(status, 201, "{body}");
    assert!(body.contains(r#""total_cents":750"#), "{body}");
    assert!(!guest.serial().contains(mariadb::NATIVE_PASSWORD));
}
