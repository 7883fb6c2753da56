//! End to end: `sauce ai fix` and `sauce ai explain` through the real `sauce` binary, with the
//! fake model server on 127.0.0.1 (sauce-ai's `testing` feature) or no model; `fix` runs the
//! real stages. Standard input is never a terminal here.

mod ai;
mod common;

use ai::{both, run_building, sauce_in, sauce_with_model, ANTHROPIC_KEY, OPENAI_KEY};
use common::{assert_exit, temporary_folder, text};
use sauce_ai::testing::scenarios::{self, INTENT, INVALID_INTENT};
use sauce_ai::testing::{FakeServer, Scripted, Vendor};

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
