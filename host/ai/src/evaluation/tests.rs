//! The harness on the shipped cases, with and without a (fake) model.

use std::path::PathBuf;

use super::*;
use crate::probe::ProbeOrigin;
use crate::provider::HttpProvider;
use crate::testing::scenarios;
use crate::testing::{FakePipeline, FakeServer, Scripted, Vendor};

fn cases(set: &str) -> Vec<Case> {
    load_cases(
        &PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("evaluation")
            .join(set),
    )
    .unwrap()
}

/// The ten demos: the examples that carry a DESCRIPTION.md (the folder holds the result the
/// loop is expected to reach).
fn demos() -> Vec<Case> {
    load_cases(&PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples")).unwrap()
}

fn template() -> GenerateOptions {
    GenerateOptions::new("case", std::path::Path::new("unused"))
}

#[test]
fn loads_cases_with_their_probes() {
    let rules = cases("rules");
    assert_eq!(rules.len(), 12);
    let json = rules.iter().find(|case| case.name == "json-info").unwrap();
    assert!(
        json.description
            .starts_with("JSON routes: /api/info returns"),
        "{}",
        json.description
    );
    assert_eq!(json.probes.len(), 3);
    assert_eq!(json.probes[0].origin, ProbeOrigin::Expected);
    let demos = demos();
    assert_eq!(demos.len(), 10);
    assert!(demos
        .iter()
        .all(|case| !case.description.starts_with('#') && !case.probes.is_empty()));
}

/// What each demo's folder holds is what the loop must reach, so what goes into its image passes
/// the checks the loop makes on a generated project: `unsafe`, the dependency allowlist (hmac
/// and sha2 for the webhook), build-time code, includes, addresses. The host tests are left
/// out, `tests/` and `[dev-dependencies]` (proptest for the model tests): they never reach the
/// image, and their sample URLs (`https://example.com/…`) never leave the host.
#[test]
fn every_demo_passes_the_security_checks() {
    use crate::project::{load::load_project, ProjectFiles};
    use crate::security::{check_sources, render_findings, SecurityPolicy};

    let mut with_code = Vec::new();
    for case in demos() {
        let loaded = load_project(&case.folder).unwrap();
        let mut files = ProjectFiles::new();
        for (path, contents) in loaded.files.iter() {
            if path.as_str() == "Cargo.toml" {
                let mut manifest: toml::Table =
                    toml::from_str(std::str::from_utf8(contents).unwrap()).unwrap();
                manifest.remove("dev-dependencies");
                files.insert(path.clone(), toml::to_string(&manifest).unwrap());
            } else if !path.as_str().starts_with("tests/") {
                files.insert(path.clone(), contents.to_vec());
            }
        }
        let findings = check_sources(&files, &SecurityPolicy::default());
        assert!(
            findings.is_empty(),
            "{}:\n{}",
            case.name,
            render_findings(&findings)
        );
        if files.get("src/lib.rs").is_some() {
            with_code.push(case.name);
        }
    }
    assert_eq!(
        with_code,
        [
            "contact-form",
            "counter",
            "feature-flags",
            "rate-limited",
            "todo-api",
            "url-shortener",
            "webhook"
        ]
    );
}

#[test]
fn bad_case_folders_are_errors() {
    let folder = tempfile::tempdir().unwrap();
    assert!(matches!(
        load_cases(folder.path()),
        Err(EvaluationError::Empty(_))
    ));
    std::fs::create_dir(folder.path().join("a")).unwrap();
    std::fs::write(folder.path().join("a/DESCRIPTION.md"), "a hello service").unwrap();
    std::fs::write(folder.path().join("a/probes"), "GET / -> 200\nnonsense\n").unwrap();
    let error = load_cases(folder.path()).unwrap_err();
    assert!(error.to_string().contains("line 2"), "{error}");
    std::fs::write(folder.path().join("a/probes"), "GET / -> 200\n").unwrap();
    assert_eq!(load_cases(&folder.path().join("a")).unwrap().len(), 1);
}

/// The rule-based path on the cases it covers: every one must build, boot (simulated) and
/// answer its probes. The figure SPECIFICATION.md reports.
#[test]
fn the_rules_pass_every_case_they_cover() {
    let report = evaluate(
        &cases("rules"),
        &template(),
        &FakePipeline::new(),
        None,
        &mut |_, _| {},
    );
    println!("{}", report.table());
    let failed: Vec<&CaseResult> = report.cases.iter().filter(|case| !case.success).collect();
    assert!(failed.is_empty(), "{}", report.table());
    assert_eq!(report.success_rate(), 1.0);
}

/// The ten demos without a model: the rules build the three that need no code and say
/// "needs a model" for the rest, never a broken project.
#[test]
fn the_rules_on_the_demos() {
    let report = evaluate(
        &demos(),
        &template(),
        &FakePipeline::new(),
        None,
        &mut |_, _| {},
    );
    println!("{}", report.table());
    let passed: Vec<&str> = report
        .cases
        .iter()
        .filter(|case| case.success)
        .map(|case| case.name.as_str())
        .collect();
    assert_eq!(
        passed,
        ["json-api", "redirects", "static-bakery"],
        "{}",
        report.table()
    );
    assert!(
        report
            .cases
            .iter()
            .filter(|case| !case.success)
            .all(|case| case.outcome == "needs a model"),
        "{}",
        report.table()
    );
}

#[test]
fn a_model_case_counts_tokens_and_attempts() {
    let server = FakeServer::scripted(
        Vendor::OpenAi,
        Some("sk-eval"),
        vec![Scripted::Reply(scenarios::correct_reply())],
    )
    .unwrap();
    let provider = HttpProvider::new(server.settings("gpt-4.1-mini"));
    let folder = tempfile::tempdir().unwrap();
    std::fs::write(
        folder.path().join("DESCRIPTION.md"),
        format!("# hello\n\n{}\n", scenarios::DESCRIPTION),
    )
    .unwrap();
    std::fs::write(
        folder.path().join("probes"),
        "GET /healthz -> 200 application/json\n",
    )
    .unwrap();
    let cases = load_cases(folder.path()).unwrap();
    let mut events = 0;
    let report = evaluate(
        &cases,
        &template(),
        &FakePipeline::new(),
        Some(&provider),
        &mut |_, _| events += 1,
    );
    assert_eq!(report.successes(), 1, "{}", report.table());
    assert_eq!(report.cases[0].attempts, 1);
    assert!(report.usage().total() > 0);
    assert!(report.cases[0].cost.is_some());
    assert!(events > 3);
    let table = report.table();
    assert!(table.starts_with("case "), "{table}");
    assert!(
        table
            .lines()
            .last()
            .unwrap()
            .contains("1/1 succeeded (100 %)"),
        "{table}"
    );
}

#[test]
fn project_names_follow_the_app_name_rules() {
    assert_eq!(project_name("03-todo-crud"), "case-03-todo-crud");
    assert_eq!(project_name("Hello World!"), "hello-world");
    assert_eq!(project_name(&"x".repeat(100)).len(), 63);
    for name in ["03-todo-crud", "Hello World!", "--", "ü"] {
        assert!(
            sauce_intent::AppName::new(&project_name(name)).is_ok(),
            "{name}"
        );
    }
}
