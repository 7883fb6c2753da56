//! Snapshot tests: the exact crate generated for every example under `examples/`, on the machine
//! its intent names. Paths are shown as `$SOURCE` (the SauceOS tree) and `$EXAMPLES`, embedded
//! files' modification times as `$MODIFIED`.
//!
//! After an intended change: `cargo insta review` (or `INSTA_UPDATE=always cargo test -p
//! sauce-codegen --test examples`) and read the diff.

use std::path::{Path, PathBuf};

use sauce_catalog::{intent_needs, select, Catalog};

fn source_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

/// The generated files of `examples/<name>`, each under a `==> path` header.
fn generated(name: &str) -> String {
    let root = source_root();
    let intent = sauce_intent::load(&root.join("examples").join(name)).unwrap();
    let catalog = Catalog::load(&root).unwrap();
    let machine = sauce_intent::Machine::for_intent(&intent, None, None);
    let graph = select(&catalog, &intent_needs::request(&intent, machine)).unwrap();
    let generated = sauce_codegen::generate(&intent, &graph, &root).unwrap();
    assert_eq!(
        sauce_codegen::generate(&intent, &graph, &root).unwrap(),
        generated,
        "deterministic"
    );
    let mut text = String::new();
    for (path, contents) in &generated.files {
        text.push_str(&format!("==> {}\n{contents}", path.display()));
    }
    let examples = root.join("examples").display().to_string();
    let text = text
        .replace(&examples, "$EXAMPLES")
        .replace(&root.display().to_string(), "$SOURCE");
    without_modification_times(&text)
}

/// `text` with each embedded file's `Last-Modified` shown as `$MODIFIED`: it is the file's
/// modification time, which differs between checkouts.
fn without_modification_times(text: &str) -> String {
    const FIELD: &str = "last_modified: Some(\"";
    let mut pieces = text.split(FIELD);
    let mut redacted = pieces.next().unwrap_or_default().to_owned();
    for piece in pieces {
        let after_date = piece.find('"').map_or(piece, |end| &piece[end..]);
        redacted.push_str(FIELD);
        redacted.push_str("$MODIFIED");
        redacted.push_str(after_date);
    }
    redacted
}

#[test]
fn counter() {
    insta::assert_snapshot!(generated("counter"));
}

#[test]
fn todo_api() {
    insta::assert_snapshot!(generated("todo-api"));
}

#[test]
fn url_shortener() {
    insta::assert_snapshot!(generated("url-shortener"));
}

#[test]
fn webhook() {
    insta::assert_snapshot!(generated("webhook"));
}

#[test]
fn rate_limited() {
    insta::assert_snapshot!(generated("rate-limited"));
}

#[test]
fn contact_form() {
    insta::assert_snapshot!(generated("contact-form"));
}

#[test]
fn feature_flags() {
    insta::assert_snapshot!(generated("feature-flags"));
}

#[test]
fn echo() {
    insta::assert_snapshot!(generated("echo"));
}

#[test]
fn hello() {
    insta::assert_snapshot!(generated("hello"));
}

#[test]
fn hello_http() {
    insta::assert_snapshot!(generated("hello-http"));
}

#[test]
fn static_site() {
    insta::assert_snapshot!(generated("static-site"));
}

#[test]
fn json_api() {
    insta::assert_snapshot!(generated("json-api"));
}

#[test]
fn static_bakery() {
    insta::assert_snapshot!(generated("static-bakery"));
}

#[test]
fn redirects() {
    insta::assert_snapshot!(generated("redirects"));
}

#[test]
fn tiny() {
    insta::assert_snapshot!(generated("tiny"));
}

#[test]
fn q35() {
    insta::assert_snapshot!(generated("q35"));
}

#[test]
fn notes_postgres() {
    insta::assert_snapshot!(generated("notes-postgres"));
}

#[test]
fn cache_redis() {
    insta::assert_snapshot!(generated("cache-redis"));
}

#[test]
fn orders_mysql() {
    insta::assert_snapshot!(generated("orders-mysql"));
}

#[test]
fn every_example_has_a_snapshot_test() {
    let mut examples: Vec<String> = std::fs::read_dir(source_root().join("examples"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    examples.sort();
    assert_eq!(
        examples,
        [
            "cache-redis",
            "contact-form",
            "counter",
            "echo",
            "feature-flags",
            "hello",
            "hello-http",
            "json-api",
            "notes-postgres",
            "orders-mysql",
            "q35",
            "rate-limited",
            "redirects",
            "static-bakery",
            "static-site",
            "tiny",
            "todo-api",
            "url-shortener",
            "webhook"
        ]
    );
}
