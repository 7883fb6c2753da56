//! End to end: `sauce new NAME --describe` driven through the real `sauce` binary against a
//! fake model server on 127.0.0.1 that speaks the OpenAI and Anthropic wire formats (sauce-ai's
//! `testing` feature) — or no model at all. Every stage is real: `sauce check`, the security
//! checks, clippy and the image build, a QEMU boot under TCG and the probes. Standard input is
//! never a terminal here, so no test can wait for an answer.

mod ai;
mod common;

use ai::{both, run_building, sauce_in, sauce_with_model, Guest, ANTHROPIC_KEY, OPENAI_KEY};
use common::{assert_exit, build_lock, temporary_folder, text};
use sauce_ai::testing::scenarios::{self, DESCRIPTION, INTENT, INVALID_INTENT};
use sauce_ai::testing::{FakeServer, Scripted, Vendor};

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
