//! The fake pipeline against the real intent checker.

use super::answer::pattern_matches;
use super::*;
use crate::probe::{probes_for_intent, ProbeOrigin};

#[test]
fn checks_builds_and_serves_like_the_image() {
    let folder = tempfile::tempdir().unwrap();
    let root = folder.path().canonicalize().unwrap();
    fs::write(root.join("sauce.toml"), "[app]\nname = \"a\"\n[http]\n[[http.route]]\npath = \"/\"\nbody = \"hi\"\n[[http.route]]\npath = \"/old\"\nredirect = \"/\"\n[http.not_found]\njson = { error = \"not found\" }\n").unwrap();
    let pipeline = FakePipeline::new().failing_build_when(
        "src/lib.rs",
        "oops",
        "error[E0308]: mismatched types\n --> {folder}/src/lib.rs:1:1",
    );
    pipeline.check(&root).unwrap();
    let build = pipeline.build(&root).unwrap();
    let intent = sauce_intent::load(&root).unwrap();
    let mut probes = probes_for_intent(&intent);
    pipeline.smoke_test(&root, &build, &probes).unwrap();
    probes.push(
        Probe::parse_line("POST / -> 200", ProbeOrigin::Proposed)
            .unwrap()
            .unwrap(),
    );
    let failure = pipeline.smoke_test(&root, &build, &probes).unwrap_err();
    assert_eq!(
        failure.diagnostics,
        "1 of 4 probes failed:\nPOST / -> 200: expected status 200, got 405"
    );
    fs::create_dir(root.join("src")).unwrap();
    fs::write(root.join("src/lib.rs"), "oops").unwrap();
    let failure = pipeline.build(&root).unwrap_err();
    assert_eq!(
        failure.diagnostics,
        format!(
            "error[E0308]: mismatched types\n --> {}/src/lib.rs:1:1",
            root.display()
        )
    );
    assert_eq!(
        pipeline.calls(),
        [
            Stage::Check,
            Stage::Build,
            Stage::SmokeTest,
            Stage::SmokeTest,
            Stage::Build
        ]
    );
}

#[test]
fn check_failures_are_the_real_diagnostics() {
    let folder = tempfile::tempdir().unwrap();
    fs::write(
        folder.path().join("sauce.toml"),
        "[app]\nname = \"a\"\n[http]\n[[http.route]]\npath = \"/\"\nbdy = \"hi\"\n",
    )
    .unwrap();
    let failure = FakePipeline::new().check(folder.path()).unwrap_err();
    assert!(
        failure.diagnostics.contains("error: "),
        "{}",
        failure.diagnostics
    );
    assert!(
        failure.diagnostics.contains("bdy"),
        "{}",
        failure.diagnostics
    );
    assert!(
        failure.diagnostics.contains("sauce.toml:6:1"),
        "{}",
        failure.diagnostics
    );
}

#[test]
fn handler_routes_answer_for_their_methods_and_patterns() {
    let folder = tempfile::tempdir().unwrap();
    let root = folder.path().canonicalize().unwrap();
    fs::write(
        root.join("Cargo.toml"),
        "[package]\nname = \"a\"\nversion = \"0.1.0\"\n",
    )
    .unwrap();
    fs::write(root.join("sauce.toml"), "[app]\nname = \"a\"\n[http]\n[[http.route]]\npath = \"/todos/{id}\"\nmethods = [\"GET\", \"DELETE\"]\nhandler = \"todos::item\"\n").unwrap();
    let intent = sauce_intent::load(&root).unwrap();
    let status = |line: &str| {
        let probe = Probe::parse_line(line, ProbeOrigin::Proposed)
            .unwrap()
            .unwrap();
        answer(&intent, &probe).status
    };
    assert_eq!(status("GET /todos/7 -> 200"), 200);
    assert_eq!(status("HEAD /todos/7 -> 200"), 200);
    assert_eq!(status("DELETE /todos/7 -> 200"), 200);
    assert_eq!(status("POST /todos/7 -> 200"), 405);
    assert_eq!(status("GET /todos -> 200"), 404);
    assert_eq!(status("GET /todos/7/more -> 200"), 404);
    assert!(pattern_matches("/todos/{id}", "/todos/7"));
    assert!(!pattern_matches("/todos/{id}", "/todos/"));
    assert!(pattern_matches("/", "/"));
    assert!(pattern_matches("/files/{*rest}", "/files/a/b/c"));
    assert!(!pattern_matches("/a", "/b"));
}
