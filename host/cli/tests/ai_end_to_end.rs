//! End to end: `sauce new NAME --describe`, `sauce ai fix` and `sauce ai explain` driven through
//! the real `sauce` binary against a fake model server on 127.0.0.1 that speaks the OpenAI and
//! Anthropic wire formats (sauce-ai's `testing` feature) — or no model at all. Every stage is
//! real: `sauce check`, clippy and the image build, a QEMU boot under TCG and the probes.
//! Standard input is never a terminal here, so no test can wait for an answer.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::{assert_exit, build_lock, sauce, temporary_folder, text};
use sauce_ai::testing::scenarios::{self, CODE_INTENT, DESCRIPTION, INTENT, INVALID_INTENT};
use sauce_ai::testing::{FakeServer, Scripted, Vendor};

const OPENAI_KEY: &str = "sk-e2e-openai-0123456789";
const ANTHROPIC_KEY: &str = "sk-ant-e2e-0123456789";

/// `sauce` in `folder` with no model configured: no vendor key, no AI variable, no config file
/// (its folder is empty), guests under TCG, standard input closed.
fn sauce_in(folder: &Path) -> Command {
    let mut command = sauce();
    for name in [
        "OPENAI_API_KEY",
        "ANTHROPIC_API_KEY",
        "SAUCE_AI_API_KEY",
        "SAUCE_AI_PROVIDER",
        "SAUCE_AI_MODEL",
        "SAUCE_AI_BASE_URL",
        "SAUCE_AI_TIMEOUT",
    ] {
        command.env_remove(name);
    }
    let configuration = folder.join("configuration");
    std::fs::create_dir_all(&configuration).unwrap();
    command
        .env("XDG_CONFIG_HOME", &configuration)
        .env("SAUCE_ACCEL", "tcg")
        .current_dir(folder)
        .stdin(Stdio::null());
    command
}

/// `sauce` in `folder` pointed at `server` as `vendor`, sending `key`.
fn sauce_with_model(folder: &Path, server: &FakeServer, vendor: Vendor, key: &str) -> Command {
    let mut command = sauce_in(folder);
    command.env("SAUCE_AI_BASE_URL", server.base_url());
    match vendor {
        Vendor::OpenAi => command
            .env("SAUCE_AI_PROVIDER", "openai")
            .env("SAUCE_AI_MODEL", "gpt-4.1-mini")
            .env("OPENAI_API_KEY", key),
        Vendor::Anthropic => command
            .env("SAUCE_AI_PROVIDER", "anthropic")
            .env("SAUCE_AI_MODEL", "claude-sonnet-4-5")
            .env("ANTHROPIC_API_KEY", key),
    };
    command
}

/// Runs `command` holding the build lock (it builds images into the shared cache).
fn run_building(command: &mut Command) -> Output {
    let _lock = build_lock();
    command.output().unwrap()
}

fn both(output: &Output) -> String {
    let (stdout, stderr) = text(output);
    format!("{stdout}\n{stderr}")
}

/// A guest of `sauce run PROJECT -p HOST:GUEST`, stopped (SIGTERM to `sauce run`) when dropped.
struct Guest {
    child: Child,
    port: u16,
}

impl Guest {
    fn start(project: &Path, guest_port: u16) -> Guest {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut child = sauce_in(project.parent().unwrap())
            .arg("run")
            .arg(project)
            .args(["--accel", "tcg", "--timeout", "600", "-p"])
            .arg(format!("{port}:{guest_port}"))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (sender, network_line) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if line.contains("network: ") {
                    let _ = sender.send(());
                }
            }
        });
        let guest = Guest { child, port };
        network_line
            .recv_timeout(Duration::from_secs(300))
            .expect("the guest printed no network line");
        guest
    }

    /// The response to `GET path`, retried while user networking is not handing connections
    /// over yet.
    fn get(&self, path: &str) -> String {
        let started = Instant::now();
        loop {
            let attempt = (|| -> std::io::Result<String> {
                let mut stream = TcpStream::connect(("127.0.0.1", self.port))?;
                stream.set_read_timeout(Some(Duration::from_secs(20)))?;
                write!(
                    stream,
                    "GET {path} HTTP/1.1\r\nHost: sauce\r\nConnection: close\r\n\r\n"
                )?;
                let mut response = String::new();
                stream.read_to_string(&mut response)?;
                Ok(response)
            })();
            match attempt {
                Ok(response) if response.starts_with("HTTP/1.1") => return response,
                _ if started.elapsed() > Duration::from_secs(60) => {
                    panic!("GET {path}: no answer: {attempt:?}")
                }
                _ => std::thread::sleep(Duration::from_millis(200)),
            }
        }
    }
}

impl Drop for Guest {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let _ = self.child.wait();
    }
}

#[test]
fn a_correct_answer_first_time_builds_and_boots_a_project_that_serves() {
    let folder = temporary_folder("ai-correct");
    let server = FakeServer::scripted(
        Vendor::OpenAi,
        Some(OPENAI_KEY),
        vec![Scripted::Reply(scenarios::correct_reply())],
    )
    .unwrap();
    let output = run_building(
        sauce_with_model(&folder, &server, Vendor::OpenAi, OPENAI_KEY).args([
            "new",
            "hello",
            "--describe",
            DESCRIPTION,
        ]),
    );
    assert_exit(&output, 0);
    let (stdout, stderr) = text(&output);
    assert!(
        stderr.contains("model: OpenAI gpt-4.1-mini at http://127.0.0.1:"),
        "{stderr}"
    );
    for line in [
        "attempt 1: asking the model",
        "attempt 1: writes sauce.toml",
        "attempt 1: check",
        "attempt 1: build",
        "attempt 1: smoke test",
    ] {
        assert!(stderr.contains(line), "{line:?} missing:\n{stderr}");
    }
    assert!(
        stdout.starts_with("attempt 1 passed every stage (wrote sauce.toml)\nDone: the project is in hello.\nTokens: "),
        "{stdout}"
    );
    assert!(stdout.contains("(about $"), "{stdout}");
    assert!(stdout.contains("sauce run hello -p 8080:8080"), "{stdout}");
    assert!(!both(&output).contains(OPENAI_KEY));
    let project = folder.join("hello");
    assert_eq!(
        std::fs::read_to_string(project.join("sauce.toml")).unwrap(),
        INTENT
    );
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].path, "/v1/chat/completions");
    assert_eq!(
        requests[0].header("authorization"),
        Some(format!("Bearer {OPENAI_KEY}").as_str())
    );
    assert_eq!(requests[0].rejected, None);
    assert!(requests[0]
        .last_message()
        .unwrap()
        .contains("a hello service on port 8080"));

    let guest = {
        let _lock = build_lock();
        Guest::start(&project, 8080)
    };
    let root = guest.get("/");
    assert!(root.starts_with("HTTP/1.1 200"), "{root}");
    assert!(root.ends_with("Hello from SauceOS\n"), "{root}");
    let health = guest.get("/healthz");
    assert!(health.contains("application/json"), "{health}");
    assert!(health.ends_with("{\"status\":\"ok\"}"), "{health}");
}

#[test]
fn an_invalid_intent_is_repaired_after_the_diagnostic_is_fed_back() {
    let folder = temporary_folder("ai-invalid-intent");
    let server = FakeServer::scripted(
        Vendor::Anthropic,
        Some(ANTHROPIC_KEY),
        vec![
            Scripted::Reply(scenarios::reply(
                "Plan: two routes.",
                &[("toml", "sauce.toml", INVALID_INTENT)],
            )),
            Scripted::Reply(scenarios::reply(
                "Changed: `bdy` is `body`.",
                &[("toml", "sauce.toml", INTENT)],
            )),
        ],
    )
    .unwrap();
    let output = run_building(
        sauce_with_model(&folder, &server, Vendor::Anthropic, ANTHROPIC_KEY).args([
            "new",
            "hello",
            "--describe",
            DESCRIPTION,
        ]),
    );
    assert_exit(&output, 0);
    let (stdout, _) = text(&output);
    assert!(
        stdout.starts_with("attempt 1 failed at check: error: "),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "attempt 2 fixed the check failure and passed every stage (wrote sauce.toml)"
        ),
        "{stdout}"
    );
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[1].path, "/v1/messages");
    assert_eq!(requests[1].header("x-api-key"), Some(ANTHROPIC_KEY));
    assert!(requests[1].header("anthropic-version").is_some());
    let feedback = requests[1].last_message().unwrap();
    assert!(
        feedback.contains("`sauce check` rejected the project"),
        "{feedback}"
    );
    assert!(feedback.contains("bdy"), "{feedback}");
    assert!(feedback.contains("--> sauce.toml:"), "{feedback}");
    assert!(
        !feedback.contains("/tmp/"),
        "scratch paths leak into the feedback:\n{feedback}"
    );
    assert_eq!(
        std::fs::read_to_string(folder.join("hello/sauce.toml")).unwrap(),
        INTENT
    );
}

#[test]
fn a_rust_compile_error_is_repaired_after_rustc_speaks_and_the_handler_serves() {
    let folder = temporary_folder("ai-compile-error");
    let code = |plan: &str, library: &str| {
        scenarios::reply(
            plan,
            &[
                ("toml", "sauce.toml", CODE_INTENT),
                ("toml", "Cargo.toml", scenarios::MANIFEST),
                ("rust", "src/lib.rs", library),
            ],
        )
    };
    let server = FakeServer::scripted(
        Vendor::OpenAi,
        Some(OPENAI_KEY),
        vec![
            Scripted::Reply(code("Plan: a greeting counter.", scenarios::BROKEN_LIBRARY)),
            Scripted::Reply(code(
                "Changed: the count starts at 0.",
                scenarios::FIXED_LIBRARY,
            )),
        ],
    )
    .unwrap();
    let output = run_building(
        sauce_with_model(&folder, &server, Vendor::OpenAi, OPENAI_KEY).args([
            "new",
            "hello",
            "--describe",
            DESCRIPTION,
        ]),
    );
    assert_exit(&output, 0);
    let (stdout, _) = text(&output);
    assert!(
        stdout.starts_with("attempt 1 failed at build: error[E0308]: mismatched types"),
        "{stdout}"
    );
    assert!(
        stdout.contains("attempt 2 fixed the build failure and passed every stage"),
        "{stdout}"
    );
    let feedback = server.requests()[1].last_message().unwrap();
    assert!(feedback.contains("The build failed"), "{feedback}");
    assert!(feedback.contains("--> src/lib.rs:9:22"), "{feedback}");
    assert!(
        feedback.contains("expected `u64`, found `&str`"),
        "{feedback}"
    );
    let project = folder.join("hello");
    assert_eq!(
        std::fs::read_to_string(project.join("src/lib.rs")).unwrap(),
        scenarios::FIXED_LIBRARY
    );
    // The handler runs in the image: GET /greetings answers the count as JSON.
    let guest = {
        let _lock = build_lock();
        Guest::start(&project, 8080)
    };
    let greetings = guest.get("/greetings");
    assert!(greetings.starts_with("HTTP/1.1 200"), "{greetings}");
    assert!(greetings.ends_with("\r\n\r\n0"), "{greetings}");
}

#[test]
fn a_401_gives_a_clear_message_and_writes_nothing() {
    for vendor in [Vendor::OpenAi, Vendor::Anthropic] {
        let folder = temporary_folder(&format!("ai-401-{vendor:?}"));
        let server =
            FakeServer::scripted(vendor, Some("the-right-key-0123456789"), vec![]).unwrap();
        let wrong = "sk-wrong-key-9876543210";
        let output = sauce_with_model(&folder, &server, vendor, wrong)
            .args(["new", "hello", "--describe", DESCRIPTION])
            .output()
            .unwrap();
        assert_exit(&output, 2);
        let all = both(&output);
        assert!(
            all.contains("refused the API key (HTTP 401)"),
            "{vendor:?}: {all}"
        );
        assert!(
            !all.contains(wrong),
            "{vendor:?}: the key was printed:\n{all}"
        );
        assert!(!all.contains("9876543210"), "{vendor:?}: {all}");
        assert!(
            !folder.join("hello").exists(),
            "{vendor:?}: a failed run wrote the project"
        );
        assert_eq!(server.requests().len(), 1, "{vendor:?}: retried a 401");
    }
}

#[test]
fn without_a_provider_the_rules_build_what_they_understand_and_refuse_the_rest() {
    let folder = temporary_folder("ai-rules");
    let output = run_building(sauce_in(&folder).args([
        "new",
        "hello",
        "--describe",
        "a hello service on port 8080 with a health check on /healthz",
    ]));
    assert_exit(&output, 0);
    let (stdout, stderr) = text(&output);
    assert!(stderr.contains("no model configured"), "{stderr}");
    assert!(stderr.contains("Understood:"), "{stderr}");
    assert!(
        stdout.starts_with(
            "attempt 1 passed every stage (wrote sauce.toml)\nDone: the project is in hello.\n"
        ),
        "{stdout}"
    );
    assert!(
        !stdout.contains("Tokens:"),
        "no model, no tokens:\n{stdout}"
    );
    let check = sauce_in(&folder).args(["check", "hello"]).output().unwrap();
    assert_exit(&check, 0);

    let output = sauce_in(&folder)
        .args([
            "new",
            "shop",
            "--describe",
            "a JSON API for a shop that lists products and creates orders with validation",
        ])
        .output()
        .unwrap();
    assert_exit(&output, 1);
    assert!(
        text(&output)
            .0
            .contains("which needs a model: set OPENAI_API_KEY"),
        "{}",
        both(&output)
    );
    assert!(!folder.join("shop").exists());

    let output = sauce_in(&folder)
        .args([
            "new",
            "gpu",
            "--describe",
            "train a neural network on the GPU",
        ])
        .output()
        .unwrap();
    assert_exit(&output, 1);
    assert!(
        text(&output)
            .0
            .starts_with("Not supported; nothing was written:"),
        "{}",
        both(&output)
    );
    assert!(!folder.join("gpu").exists());
}

#[test]
fn nothing_is_written_to_the_folder_on_failure() {
    let folder = temporary_folder("ai-failure");
    let invalid = || {
        Scripted::Reply(scenarios::reply(
            "Plan: two routes.",
            &[("toml", "sauce.toml", INVALID_INTENT)],
        ))
    };
    let server =
        FakeServer::scripted(Vendor::OpenAi, Some(OPENAI_KEY), vec![invalid(), invalid()]).unwrap();
    let output = sauce_with_model(&folder, &server, Vendor::OpenAi, OPENAI_KEY)
        .args(["new", "hello", "--describe", DESCRIPTION, "--attempts", "2"])
        .output()
        .unwrap();
    assert_exit(&output, 1);
    let (stdout, _) = text(&output);
    assert!(
        stdout.contains("Failed at the check stage after 2 attempts; nothing was written."),
        "{stdout}"
    );
    assert!(
        stdout.contains("The last attempt's check diagnostics:"),
        "{stdout}"
    );
    assert!(stdout.contains("bdy"), "{stdout}");
    assert!(!folder.join("hello").exists());
    assert_eq!(server.requests().len(), 2);

    // An occupied folder is refused before any request, since nobody can be asked.
    std::fs::create_dir_all(folder.join("taken")).unwrap();
    std::fs::write(folder.join("taken/notes.txt"), "mine\n").unwrap();
    let output = sauce_with_model(&folder, &server, Vendor::OpenAi, OPENAI_KEY)
        .args(["new", "taken", "--describe", DESCRIPTION])
        .output()
        .unwrap();
    assert_exit(&output, 1);
    assert!(text(&output).1.contains("pass --yes"), "{}", both(&output));
    assert_eq!(server.requests().len(), 2, "a request was sent");
    assert_eq!(std::fs::read_dir(folder.join("taken")).unwrap().count(), 1);

    // --keep-failed writes the last attempt anyway.
    let server = FakeServer::scripted(Vendor::OpenAi, Some(OPENAI_KEY), vec![invalid()]).unwrap();
    let output = sauce_with_model(&folder, &server, Vendor::OpenAi, OPENAI_KEY)
        .args([
            "new",
            "kept",
            "--describe",
            DESCRIPTION,
            "--attempts",
            "1",
            "--keep-failed",
        ])
        .output()
        .unwrap();
    assert_exit(&output, 1);
    assert!(
        text(&output).0.contains("(keep-failed)"),
        "{}",
        both(&output)
    );
    assert_eq!(
        std::fs::read_to_string(folder.join("kept/sauce.toml")).unwrap(),
        INVALID_INTENT
    );
}

#[test]
fn explain_says_what_an_intent_does_with_and_without_a_model() {
    let folder = temporary_folder("ai-explain");
    let project = folder.join("hello");
    std::fs::create_dir_all(&project).unwrap();
    std::fs::write(project.join("sauce.toml"), INTENT).unwrap();
    let output = sauce_in(&folder)
        .args(["ai", "explain", "hello"])
        .output()
        .unwrap();
    assert_exit(&output, 0);
    let (stdout, _) = text(&output);
    assert!(
        stdout.starts_with("hello is an HTTP service on port 8080 with 2 routes:\n  - / answers with the text \"Hello from SauceOS\".\n  - /healthz answers with the JSON"),
        "{stdout}"
    );

    let server = FakeServer::scripted(
        Vendor::Anthropic,
        Some(ANTHROPIC_KEY),
        vec![Scripted::Reply("It greets whoever asks.".to_owned())],
    )
    .unwrap();
    let output = sauce_with_model(&folder, &server, Vendor::Anthropic, ANTHROPIC_KEY)
        .args(["ai", "explain", "hello/sauce.toml"])
        .output()
        .unwrap();
    assert_exit(&output, 0);
    let (stdout, stderr) = text(&output);
    assert!(stdout.ends_with("\nIt greets whoever asks.\n"), "{stdout}");
    assert!(stderr.contains("Tokens: "), "{stderr}");
    assert!(server.requests()[0]
        .last_message()
        .unwrap()
        .contains("path = \"/healthz\""));

    std::fs::write(project.join("sauce.toml"), INVALID_INTENT).unwrap();
    let output = sauce_in(&folder)
        .args(["ai", "explain", "hello"])
        .output()
        .unwrap();
    assert_exit(&output, 1);
    assert!(text(&output).1.contains("bdy"), "{}", both(&output));
}

#[test]
fn fix_repairs_a_project_and_asks_for_yes_without_a_terminal() {
    let folder = temporary_folder("ai-fix");
    let project = folder.join("hello");
    std::fs::create_dir_all(&project).unwrap();
    std::fs::write(project.join("sauce.toml"), INVALID_INTENT).unwrap();
    std::fs::write(project.join("README.md"), "# hello\n").unwrap();
    let server = FakeServer::scripted(
        Vendor::OpenAi,
        Some(OPENAI_KEY),
        vec![Scripted::Reply(scenarios::reply(
            "Changed: `bdy` is `body`.",
            &[("toml", "sauce.toml", INTENT)],
        ))],
    )
    .unwrap();
    let refused = sauce_with_model(&folder, &server, Vendor::OpenAi, OPENAI_KEY)
        .args(["ai", "fix", "hello"])
        .output()
        .unwrap();
    assert_exit(&refused, 1);
    assert!(
        text(&refused).1.contains("pass --yes"),
        "{}",
        both(&refused)
    );
    assert!(server.requests().is_empty());

    let output = run_building(
        sauce_with_model(&folder, &server, Vendor::OpenAi, OPENAI_KEY)
            .args(["ai", "fix", "hello", "--yes"]),
    );
    assert_exit(&output, 0);
    assert!(
        text(&output)
            .0
            .contains("fixed the check failure and passed every stage"),
        "{}",
        both(&output)
    );
    let feedback = server.requests()[0].last_message().unwrap();
    assert!(feedback.contains("bdy"), "{feedback}");
    assert_eq!(
        std::fs::read_to_string(project.join("sauce.toml")).unwrap(),
        INTENT
    );
    assert_eq!(
        std::fs::read_to_string(project.join("README.md")).unwrap(),
        "# hello\n"
    );

    // Nothing left to fix: the stages pass and no model is asked.
    let output = run_building(sauce_in(&folder).args(["ai", "fix", "hello"]));
    assert_exit(&output, 0);
    assert!(
        text(&output).0.contains("nothing to fix"),
        "{}",
        both(&output)
    );
}
