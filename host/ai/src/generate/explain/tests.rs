//! Explanations: the rule-based summary of every kind of intent, invalid intents, a model's prose.

use super::*;
use crate::testing::{FakeServer, Scripted, Vendor};

fn project(source: &str) -> tempfile::TempDir {
    let folder = tempfile::tempdir().unwrap();
    std::fs::write(folder.path().join("sauce.toml"), source).unwrap();
    folder
}

#[test]
fn summarises_without_a_model() {
    let folder = project("[app]\nname = \"json-api\"\n[http]\nport = 8080\nmax_connections = 8\n[[http.route]]\npath = \"/api/info\"\njson = { a = 1 }\n[[http.route]]\npath = \"/old\"\nredirect = \"/api/info\"\n[[http.route]]\npath = \"/\"\nbody = \"hi\\n\"\nstatus = 418\n[http.not_found]\njson = { error = \"not found\" }\n[resources]\nmemory = \"16MiB\"\n");
    let explanation = explain(folder.path(), None).unwrap();
    assert_eq!(
        explanation.summary,
        "json-api is an HTTP service on port 8080 with 3 routes:\n  - /api/info answers with the JSON \"{\\\"a\\\":1}\".\n  - /old redirects to /api/info (308, permanent).\n  - / answers with the text \"hi\" with status 418.\nAny other path answers with the JSON \"{\\\"error\\\":\\\"not found\\\"}\" with status 404.\nIt serves at most 8 connections at once; more get 503.\nThe guest uses QEMU's user-networking address 10.0.2.15.\nIt runs on qemu with 16MiB and one virtual CPU, compiled for the smallest image.\n"
    );
    assert_eq!(explanation.prose, None);
}

#[test]
fn summarises_handlers_state_tasks_and_settings() {
    let folder = project("[app]\nname = \"counter\"\ninit = \"init\"\n[app.env]\nGREETING = \"hi\"\n[[app.every]]\nseconds = 1\ntask = \"tick\"\n[[http.route]]\npath = \"/count\"\nmethods = [\"GET\", \"POST\"]\nhandler = \"count\"\n");
    std::fs::write(
        folder.path().join("Cargo.toml"),
        "[package]\nname = \"counter\"\nversion = \"0.1.0\"\n",
    )
    .unwrap();
    let summary = explain(folder.path(), None).unwrap().summary;
    assert!(
        summary.starts_with("counter is an HTTP service on port 80 with 1 route:\n  - /count is answered by the app's function `count` for GET, POST.\nAny other path gets 404 Not Found.\nIts code is the Rust crate in the project folder; `init` builds the app's state once at boot.\nEvery 1 second it runs `tick`.\nIt reads the settings GREETING (defaults in [app.env]; `sauce run --env KEY=VALUE` overrides them).\n"),
        "{summary}"
    );
}

#[test]
fn serial_apps_and_invalid_intents() {
    let folder = project("[app]\nname = \"hello\"\n");
    assert!(explain(folder.path(), None)
        .unwrap()
        .summary
        .starts_with("hello is an app without a network service"));
    let broken = project("[app]\nname = \"Hello\"\n");
    let error = explain(broken.path(), None).unwrap_err();
    assert!(
        error.to_string().starts_with("the intent is invalid"),
        "{error}"
    );
}

#[test]
fn a_model_adds_prose() {
    let server = FakeServer::scripted(
        Vendor::Anthropic,
        Some("sk-ant-explain"),
        vec![Scripted::Reply("It says hello.".to_owned())],
    )
    .unwrap();
    let provider = crate::provider::HttpProvider::new(server.settings("claude-haiku-4-5"));
    let folder = project(
        "[app]\nname = \"hello\"\n[http]\n[[http.route]]\npath = \"/\"\nbody = \"hello\"\n",
    );
    let explanation = explain(folder.path(), Some(&provider)).unwrap();
    assert_eq!(explanation.prose.as_deref(), Some("It says hello."));
    assert!(explanation.cost.is_some());
    let sent = server.requests();
    assert!(sent[0].last_message().unwrap().contains("body = \"hello\""));
    assert!(sent[0]
        .last_message()
        .unwrap()
        .contains("hello is an HTTP service on port 80"));
}
