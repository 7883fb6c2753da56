//! The rules against the sentences people write.

use std::fs;

use proptest::prelude::*;
use sauce_intent::{Intent, MemorySize, Optimize, RouteResponse};
use serde_json::json;

use super::*;

/// The intent the rules' project for `description` checks to, with its files on disk.
fn checked(description: &str) -> (Understanding, Intent) {
    let understanding = understand(description);
    assert_eq!(
        understanding.verdict,
        Verdict::Supported,
        "{description}\n{understanding}"
    );
    let files = understanding.project("demo", description).unwrap();
    let folder = tempfile::tempdir().unwrap();
    crate::project::write_files(folder.path(), &files).unwrap();
    let manifest = folder.path().canonicalize().unwrap().join("sauce.toml");
    let text = fs::read_to_string(&manifest).unwrap();
    match sauce_intent::parse(&manifest, &text) {
        Ok(intent) => (understanding, intent),
        Err(diagnostics) => panic!(
            "{text}\n{}",
            sauce_intent::render::render_all(&diagnostics, false)
        ),
    }
}

#[test]
fn a_hello_service_on_a_port() {
    let (understanding, intent) = checked("a hello service on port 8080");
    let http = intent.http.unwrap();
    assert_eq!(http.port, 8080);
    assert_eq!(http.routes[0].path, "/");
    assert_eq!(
        http.routes[0].response,
        RouteResponse::Body("Hello from SauceOS\n".to_owned())
    );
    assert!(
        understanding.unused.is_empty(),
        "{:?}",
        understanding.unused
    );
    assert!(
        understanding
            .to_string()
            .contains("\"port 8080\": port 8080"),
        "{understanding}"
    );
}

#[test]
fn a_static_site_with_hints() {
    let (understanding, intent) =
        checked("a small static site from the folder public, with 16 MiB");
    let http = intent.http.unwrap();
    assert_eq!(http.routes.len(), 1);
    assert_eq!(http.routes[0].path, "/*");
    assert!(
        matches!(&http.routes[0].response, RouteResponse::Dir(folder) if folder.ends_with("public"))
    );
    assert_eq!(
        intent.resources.memory,
        Some(MemorySize::from_mebibytes(16))
    );
    assert_eq!(intent.build.optimize, Optimize::Size);
    assert!(
        understanding.unused.is_empty(),
        "{:?}",
        understanding.unused
    );
}

#[test]
fn a_folder_outside_public_is_served_from_public_and_said_so() {
    let (understanding, intent) = checked("serve the files in the folder site at /docs");
    let http = intent.http.unwrap();
    assert_eq!(http.routes[0].path, "/docs/*");
    assert!(
        understanding
            .unusable
            .iter()
            .any(|note| note.contains("keeps its files in public/")),
        "{understanding}"
    );
    let outside = understand("serve the files from ../secrets");
    assert!(
        outside
            .unusable
            .iter()
            .any(|note| note.contains("inside the project folder")),
        "{outside}"
    );
    assert_eq!(outside.verdict, Verdict::Unclear);
}

#[test]
fn json_routes_with_literal_bodies_and_a_json_404() {
    let (_, intent) = checked("JSON routes: /api/info returns {\"service\": \"shop\", \"version\": 1} and /api/health returns {\"status\": \"ok\"}, with a JSON 404");
    let http = intent.http.unwrap();
    assert_eq!(http.routes.len(), 2);
    let info: serde_json::Value = match &http.routes[0].response {
        RouteResponse::Json(text) => serde_json::from_str(text).unwrap(),
        other => panic!("{other:?}"),
    };
    assert_eq!(info, json!({"service": "shop", "version": 1}));
    let not_found = http.not_found.unwrap();
    assert_eq!(not_found.response.key(), "json");
}

#[test]
fn redirects() {
    let (_, intent) = checked("redirect /old to /new, and /docs redirects temporarily to https://docs.example.com/guide. /new says \"moved here\"");
    let http = intent.http.unwrap();
    let by_path = |path: &str| http.routes.iter().find(|route| route.path == path).unwrap();
    assert_eq!(
        by_path("/old").response,
        RouteResponse::Redirect("/new".to_owned())
    );
    assert_eq!(by_path("/old").status, 308);
    assert_eq!(
        by_path("/docs").response,
        RouteResponse::Redirect("https://docs.example.com/guide".to_owned())
    );
    assert_eq!(by_path("/docs").status, 307);
}

#[test]
fn quoted_bodies() {
    let (_, intent) = checked("/ping answers \"pong\" and a 404 page that says \"nothing here\"");
    let http = intent.http.unwrap();
    assert_eq!(
        http.routes[0].response,
        RouteResponse::Body("pong".to_owned())
    );
    assert_eq!(
        http.not_found.unwrap().response,
        RouteResponse::Body("nothing here".to_owned())
    );
    let (_, greeting) = checked("a service that says 'hi there' on port 3000");
    assert_eq!(
        greeting.http.unwrap().routes[0].response,
        RouteResponse::Body("hi there".to_owned())
    );
}

#[test]
fn settings_hints() {
    let (_, intent) = checked("a fast hello world with 100 concurrent connections on qemu q35 using dhcp and 1.5 GB of RAM");
    assert_eq!(intent.build.optimize, Optimize::Speed);
    assert_eq!(intent.http.as_ref().unwrap().max_connections, Some(100));
    assert_eq!(
        intent.resources.memory,
        Some(MemorySize::from_mebibytes(1536))
    );
    assert_eq!(
        intent.http.unwrap().routes[0].response,
        RouteResponse::Body("Hello, world!\n".to_owned())
    );
    let tiny = understand("a hello service with 1 MB of memory");
    assert!(
        tiny.unusable
            .iter()
            .any(|note| note.contains("smaller than")),
        "{tiny}"
    );
    let both = understand("a small and fast hello service");
    assert_eq!(both.draft.optimize, None);
    assert_eq!(both.unusable.len(), 2, "{both}");
}

#[test]
fn a_serial_app() {
    let (_, intent) = checked("a hello world that prints to the serial console");
    assert!(intent.http.is_none());
}

#[test]
fn unused_words_are_reported() {
    let understanding =
        understand("a hello service on port 8080 with a blue background, and purple buttons");
    assert_eq!(understanding.verdict, Verdict::Supported);
    assert_eq!(understanding.unused, ["blue background", "purple buttons"]);
    assert!(understanding
        .to_string()
        .contains("Did not understand: \"blue background\", \"purple buttons\""));
}

#[test]
fn logic_needs_a_model() {
    let understanding = understand("a JSON API for a shop: list products, get one by id, create orders with validation, and a health check on /healthz");
    let Verdict::NeedsCode(phrases) = &understanding.verdict else {
        panic!("{understanding}");
    };
    assert!(phrases.iter().any(|phrase| phrase == "list"), "{phrases:?}");
    assert!(
        phrases.iter().any(|phrase| phrase == "orders"),
        "{phrases:?}"
    );
    assert!(
        understanding.draft.route("/healthz").is_some(),
        "defaults still come from the rules"
    );
    assert!(understanding.to_string().contains("Needs handler code"));
}

#[test]
fn unclear_and_unsupported() {
    assert_eq!(
        understand("a web server on port 8080").verdict,
        Verdict::Unclear
    );
    assert!(understand("a health check").unusable[0].contains("needs a path"));
    let python = understand("a Python app that says hello");
    assert!(matches!(python.verdict, Verdict::Unsupported(_)));
    assert!(
        python
            .to_string()
            .starts_with("Not supported:\n  - \"Python\": SauceOS compiles Rust"),
        "{python}"
    );
    assert!(matches!(understand("").verdict, Verdict::Unsupported(_)));
}

#[test]
fn bad_json_is_reported_not_invented() {
    let understanding = understand("/api returns {broken json");
    assert!(
        understanding.unusable[0].contains("does not parse"),
        "{understanding}"
    );
    assert_eq!(understanding.verdict, Verdict::Unclear);
}

/// Sentences assembled from the phrases the rules know.
fn sentence() -> impl Strategy<Value = String> {
    let phrases = prop::sample::select(vec![
        "a hello service",
        "on port 8080",
        "on port 99999",
        "with 32 MiB",
        "small",
        "fast",
        "a static site from the folder public",
        "/info returns {\"a\": [1, 2.5, \"x\"]}",
        "/n returns {\"a\": null}",
        "redirect /old to /",
        "/ping answers \"pong\"",
        "a JSON 404",
        "using dhcp",
        "with 64 connections",
        "a health check on /healthz",
        "with purple buttons",
    ]);
    prop::collection::vec(phrases, 1..6).prop_map(|parts| parts.join(", "))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn never_panics(description in "\\PC{0,300}") {
        let _ = understand(&description).to_string();
    }

    #[test]
    fn supported_sentences_always_check(description in sentence()) {
        let understanding = understand(&description);
        if understanding.verdict == Verdict::Supported {
            if let Ok(files) = understanding.project("demo", &description) {
                let folder = tempfile::tempdir().unwrap();
                crate::project::write_files(folder.path(), &files).unwrap();
                let manifest = folder.path().canonicalize().unwrap().join("sauce.toml");
                let text = fs::read_to_string(&manifest).unwrap();
                let result = sauce_intent::parse(&manifest, &text);
                prop_assert!(result.is_ok(), "{}\n{}", description, text);
            }
        }
    }
}

#[test]
fn longer_verbs_are_read_whole() {
    let (_, intent) = checked(
        "a static site from the folder public plus /api/version returning {\"version\": \"1.0\"}",
    );
    let http = intent.http.unwrap();
    assert_eq!(http.routes.len(), 2);
    assert_eq!(http.routes[1].response.key(), "json");
}
