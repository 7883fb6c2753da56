//! End to end: the ten demo applications of `examples/` (each folder with a `DESCRIPTION.md`),
//! each copied to a temporary folder (as `sauce new` would leave it), built, booted once under
//! TCG and spoken to over 127.0.0.1: first the evaluation's own `probes` file through
//! sauce-ai's probe runner (on a fresh guest, as `ai_eval` runs them), then the parts of the
//! demo's contract the probes do not reach. One guest at a time (they share two cores).
//! `examples/todo-api` and `examples/json-api` have their whole contracts checked in
//! `app_end_to_end.rs` and `examples_end_to_end.rs`; here they answer their probes.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::{Child, Stdio};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use common::{build_lock, copy_project, repository, sauce, temporary_folder, text};
use sauce_ai::evaluation::load_cases;
use sauce_ai::probe::{run_probes, ProbeResponse};
use serde_json::{json, Value};

/// One guest at a time in this binary: the demos' timing checks need the cores.
static ONE_GUEST: Mutex<()> = Mutex::new(());

/// A booted demo on a host port; its serial lines are kept.
struct Guest {
    child: Child,
    address: SocketAddr,
    lines: Arc<Mutex<Vec<String>>>,
    _one_guest: MutexGuard<'static, ()>,
}

impl Guest {
    /// Builds `examples/<name>` from a temporary copy, boots it under TCG with `extra`
    /// arguments, answers its probes, and returns it for the rest of its contract.
    fn boot(name: &str, extra: &[&str]) -> Guest {
        let one_guest = ONE_GUEST
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let example = repository().join("examples").join(name);
        let project = temporary_folder(&format!("demo-{name}")).join(name);
        copy_project(&example, &project);
        {
            let _lock = build_lock();
            let output = sauce().arg("build").arg(&project).output().unwrap();
            let (stdout, stderr) = text(&output);
            assert!(
                output.status.success(),
                "{name}: build failed:\n{stdout}\n{stderr}"
            );
        }
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut child = sauce()
            .arg("run")
            .arg(&project)
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
        let guest = Guest {
            child,
            address: SocketAddr::from(([127, 0, 0, 1], port)),
            lines,
            _one_guest: one_guest,
        };
        guest.wait_for("http: port 80");
        let case = load_cases(&example).unwrap().remove(0);
        assert!(!case.probes.is_empty(), "{name}: no probes");
        let failures = run_probes(guest.address, &case.probes, Duration::from_secs(30));
        assert!(
            failures.is_empty(),
            "{name}: probes failed: {failures:#?}\nserial:\n{}",
            guest.serial()
        );
        guest
    }

    fn serial(&self) -> String {
        self.lines.lock().unwrap().join("\n")
    }

    /// Waits until a serial line contains `text`.
    fn wait_for(&self, text: &str) {
        let started = Instant::now();
        while !self
            .lines
            .lock()
            .unwrap()
            .iter()
            .any(|line| line.contains(text))
        {
            assert!(
                started.elapsed() < Duration::from_secs(120),
                "no {text:?} in:\n{}",
                self.serial()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// One request on a new connection, with extra headers; the body's type from its shape.
    fn send(&self, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> Answer {
        let mut stream = TcpStream::connect(self.address).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .unwrap();
        let mut request =
            format!("{method} {path} HTTP/1.1\r\nHost: demo\r\nConnection: close\r\n");
        for (name, value) in headers {
            request.push_str(&format!("{name}: {value}\r\n"));
        }
        if !body.is_empty() || ["POST", "PUT", "PATCH"].contains(&method) {
            request.push_str(&format!("Content-Length: {}\r\n", body.len()));
        }
        request.push_str("\r\n");
        request.push_str(body);
        stream.write_all(request.as_bytes()).unwrap();
        let mut bytes = Vec::new();
        stream.read_to_end(&mut bytes).unwrap();
        let response = ProbeResponse::parse(&bytes, method == "HEAD")
            .unwrap_or_else(|error| panic!("{method} {path}: {error}"));
        Answer(response)
    }

    fn get(&self, path: &str) -> Answer {
        self.send("GET", path, &[], "")
    }

    fn post_json(&self, path: &str, body: &str) -> Answer {
        self.send("POST", path, &[("Content-Type", "application/json")], body)
    }
}

impl Drop for Guest {
    fn drop(&mut self) {
        common::stop_sauce_run(&mut self.child);
        let _ = self.child.wait();
    }
}

/// An answer, with the checks the tests make.
struct Answer(ProbeResponse);

impl Answer {
    fn status(&self) -> u16 {
        self.0.status
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.0.header(name)
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.body).into_owned()
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.0.body)
            .unwrap_or_else(|error| panic!("{error}: {}", self.text()))
    }

    /// Asserts a JSON error answer with `status`.
    fn assert_error(&self, status: u16) {
        assert_eq!(self.status(), status, "{}", self.text());
        assert_eq!(self.header("content-type"), Some("application/json"));
        assert!(self.json()["error"].is_string(), "{}", self.text());
    }
}

#[test]
fn url_shortener_makes_follows_and_counts_links() {
    let guest = Guest::boot("url-shortener", &[]);
    let created = guest.post_json("/links", r#"{"url":"https://example.com/a?b=c"}"#);
    assert_eq!(created.status(), 201, "{}", created.text());
    let code = created.json()["code"].as_str().unwrap().to_owned();
    assert_eq!(
        created.header("location"),
        Some(format!("/{code}").as_str())
    );
    for _ in 0..2 {
        let visit = guest.get(&format!("/{code}"));
        assert_eq!(visit.status(), 308);
        assert_eq!(visit.header("location"), Some("https://example.com/a?b=c"));
        assert_eq!(visit.header("cache-control"), Some("no-store"));
    }
    assert_eq!(
        guest.get(&format!("/links/{code}/stats")).json(),
        json!({"code": code, "url": "https://example.com/a?b=c", "visits": 2})
    );
    let long = format!(r#"{{"url":"https://example.com/{}"}}"#, "a".repeat(2048));
    guest.post_json("/links", &long).assert_error(422);
    guest
        .post_json("/links", r#"{"url":"javascript:alert(1)"}"#)
        .assert_error(422);
    guest.post_json("/links", "{oops").assert_error(400);
    let huge = format!(r#"{{"url":"https://example.com/{}"}}"#, "a".repeat(5000));
    assert_eq!(guest.post_json("/links", &huge).status(), 413);
    assert!(guest.get("/").text().starts_with("url-shortener:"));
}

/// The webhook's run-time secret and a delivery, with HMAC-SHA256 signatures computed outside
/// this repository (Python's `hmac.new(key, body, hashlib.sha256).hexdigest()`).
const WEBHOOK_SECRET: &str = "s3cret given at run time";
const WEBHOOK_BODY: &str = r#"{"event":"push","commits":2}"#;
const WEBHOOK_SIGNATURE: &str = "1fd2448747a4124d3f5b09f5c2d1948fcda47bea85b514e251ff9baa22e6cefa";
/// `{}` under the same secret, and the delivery under `another secret`.
const WEBHOOK_SIGNATURE_OF_EMPTY_OBJECT: &str =
    "94599dffe3e495ec5896bca7252b581921e5dc1c0a3a6c43f7237c19eca1765e";
const WEBHOOK_SIGNATURE_UNDER_ANOTHER_SECRET: &str =
    "671df7c891f049f042d447d27ae989beea874d51b41fd82fd9f2de804e483d27";

#[test]
fn webhook_accepts_only_deliveries_signed_with_the_run_time_secret() {
    let guest = Guest::boot(
        "webhook",
        &["--env", &format!("WEBHOOK_SECRET={WEBHOOK_SECRET}")],
    );
    let deliver = |signature: &str| {
        guest.send(
            "POST",
            "/webhook",
            &[
                ("X-Signature", signature),
                ("Content-Type", "application/json"),
            ],
            WEBHOOK_BODY,
        )
    };
    let accepted = deliver(WEBHOOK_SIGNATURE);
    assert_eq!(accepted.status(), 204, "{}", accepted.text());
    deliver(WEBHOOK_SIGNATURE_UNDER_ANOTHER_SECRET).assert_error(401);
    deliver(WEBHOOK_SIGNATURE_OF_EMPTY_OBJECT).assert_error(401);
    deliver("not hex").assert_error(401);
    assert_eq!(
        deliver(&format!("sha256={WEBHOOK_SIGNATURE}")).status(),
        204
    );
    assert_eq!(guest.get("/webhook/count").json(), json!({"accepted": 2}));
    assert!(
        !guest.serial().contains(WEBHOOK_SECRET),
        "the secret is never printed:\n{}",
        guest.serial()
    );
}

#[test]
fn rate_limited_answers_at_most_five_a_second_per_client() {
    let guest = Guest::boot("rate-limited", &[]);
    // Past the probe's request, then twelve at once: every host client arrives from QEMU's
    // gateway address, one client to the guest.
    std::thread::sleep(Duration::from_millis(1100));
    let started = Instant::now();
    let answers: Vec<Answer> = std::thread::scope(|scope| {
        let requests: Vec<_> = (0..12)
            .map(|_| scope.spawn(|| guest.get("/quote")))
            .collect();
        requests
            .into_iter()
            .map(|request| request.join().unwrap())
            .collect()
    });
    let seconds = started.elapsed().as_secs_f64();
    let accepted = answers
        .iter()
        .filter(|answer| answer.status() == 200)
        .count();
    assert!(
        accepted >= 1 && accepted <= 5 * seconds.ceil() as usize,
        "{accepted} accepted in {seconds:.2} s"
    );
    for answer in answers.iter().filter(|answer| answer.status() != 200) {
        answer.assert_error(429);
        assert_eq!(answer.header("retry-after"), Some("1"));
    }
    assert!(accepted < 12, "none refused in {seconds:.2} s");
    for answer in answers.iter().filter(|answer| answer.status() == 200) {
        assert!(answer.json()["quote"].is_string());
    }
    std::thread::sleep(Duration::from_millis(1100));
    assert_eq!(guest.get("/quote").status(), 200);
}

#[test]
fn contact_form_keeps_messages_and_sends_the_browser_to_thanks() {
    let guest = Guest::boot("contact-form", &[]);
    let page = guest.get("/");
    assert!(page
        .text()
        .contains(r#"<form method="post" action="/contact">"#));
    let form = [("Content-Type", "application/x-www-form-urlencoded")];
    let posted = guest.send(
        "POST",
        "/contact",
        &form,
        "name=Grace+Hopper&message=It%27s+easier+to+ask+forgiveness%21",
    );
    assert_eq!(posted.status(), 303);
    assert_eq!(posted.header("location"), Some("/thanks"));
    guest
        .send("POST", "/contact", &form, "name=+&message=hi")
        .assert_error(422);
    assert!(guest.get("/thanks").text().contains("Thank you"));
    let messages = guest.get("/messages").json();
    // The probe's message first, then this one; both with the host's date.
    assert_eq!(messages.as_array().unwrap().len(), 2, "{messages}");
    assert_eq!(messages[0]["name"], "Ada");
    assert_eq!(messages[1]["name"], "Grace Hopper");
    assert_eq!(messages[1]["message"], "It's easier to ask forgiveness!");
    assert!(!messages[1]["received"]
        .as_str()
        .unwrap()
        .starts_with("1970"));
}

#[test]
fn feature_flags_start_from_the_run_time_setting() {
    let guest = Guest::boot("feature-flags", &["--env", "FLAGS=dark-mode,new.checkout"]);
    // The probes set `beta`; the setting enabled the other two.
    assert_eq!(
        guest.get("/flags").json(),
        json!({"beta": true, "dark-mode": true, "new.checkout": true})
    );
    let set = guest.send(
        "PUT",
        "/flags/dark-mode",
        &[("Content-Type", "application/json")],
        r#"{"enabled":false}"#,
    );
    assert_eq!(set.json(), json!({"name": "dark-mode", "enabled": false}));
    assert_eq!(
        guest.get("/flags/dark-mode").json(),
        json!({"name": "dark-mode", "enabled": false})
    );
    guest
        .send("PUT", "/flags/not%20a%20name", &[], r#"{"enabled":true}"#)
        .assert_error(422);
}

#[test]
fn counter_moves_its_window_every_second() {
    let guest = Guest::boot("counter", &[]);
    for _ in 0..3 {
        assert_eq!(guest.get("/").text(), "hello\n");
    }
    // The probe's request and these three enter the window at the next tick.
    let started = Instant::now();
    loop {
        let stats = guest.get("/stats").json();
        if stats["last_minute"] == 4 {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the background task never counted the requests: {stats}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn static_bakery_serves_its_pages_and_stylesheet() {
    let guest = Guest::boot("static-bakery", &[]);
    let home = guest.get("/");
    assert!(home.text().contains("Opening hours"));
    let menu = guest.get("/menu.html");
    assert_eq!(menu.status(), 200);
    assert!(menu.text().contains("Sourdough"));
    let style = guest.get("/style.css");
    assert_eq!(
        style.header("content-type"),
        Some("text/css; charset=utf-8")
    );
    assert_eq!(guest.get("/nothing.html").status(), 404);
}

#[test]
fn redirects_point_where_the_description_says() {
    let guest = Guest::boot("redirects", &[]);
    for (path, status, location) in [
        ("/gh", 308, "https://github.com/"),
        ("/docs", 307, "https://docs.example.com/"),
        ("/old", 308, "/new"),
    ] {
        let answer = guest.get(path);
        assert_eq!(answer.status(), status, "{path}");
        assert_eq!(answer.header("location"), Some(location), "{path}");
    }
    assert_eq!(guest.get("/new").text(), "moved here\n");
}

#[test]
fn json_api_answers_its_probes() {
    Guest::boot("json-api", &[]);
}

#[test]
fn todo_api_answers_its_probes() {
    let guest = Guest::boot("todo-api", &[]);
    // The probes created, changed and deleted to-do 1: ids only increase.
    let created = guest.post_json("/todos", r#"{"title":"bread"}"#);
    assert_eq!(created.json()["id"], 2);
}

/// Every example with a DESCRIPTION.md has a test above (ten demos).
#[test]
fn every_demo_is_booted_here() {
    let mut demos: Vec<String> = load_cases(&repository().join("examples"))
        .unwrap()
        .into_iter()
        .map(|case| case.name)
        .collect();
    demos.sort();
    assert_eq!(
        demos,
        [
            "contact-form",
            "counter",
            "feature-flags",
            "json-api",
            "rate-limited",
            "redirects",
            "static-bakery",
            "todo-api",
            "url-shortener",
            "webhook"
        ]
    );
}
