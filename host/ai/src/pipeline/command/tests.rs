//! The `sauce` binary as the pipeline: the guest port, a missing binary, and the real stages
//! when `SAUCE_BINARY` names a `sauce`.

use super::*;

#[test]
fn reads_the_guest_port() {
    let folder = tempfile::tempdir().unwrap();
    std::fs::write(
        folder.path().join("sauce.toml"),
        "[app]\nname = \"a\"\n[http]\nport = 8080\n",
    )
    .unwrap();
    assert_eq!(guest_port(folder.path()), Some(8080));
    std::fs::write(
        folder.path().join("sauce.toml"),
        "[app]\nname = \"a\"\n[[http.route]]\npath = \"/\"\nbody = \"x\"\n",
    )
    .unwrap();
    assert_eq!(guest_port(folder.path()), Some(80));
    std::fs::write(folder.path().join("sauce.toml"), "[app]\nname = \"a\"\n").unwrap();
    assert_eq!(guest_port(folder.path()), None);
}

/// The real stages, when `SAUCE_BINARY` names a `sauce` binary (QEMU needed): a rule-built
/// hello service passes, and a probe expecting the wrong status fails the smoke test.
#[test]
fn the_real_stages_when_a_sauce_binary_is_given() {
    let Some(binary) = std::env::var_os("SAUCE_BINARY") else {
        println!(
            "skipped: set SAUCE_BINARY to a sauce binary to run the real check, build and boot"
        );
        return;
    };
    let command = SauceCommand::new(Path::new(&binary));
    let root = tempfile::tempdir().unwrap();
    let mut options = crate::generate::GenerateOptions::new("hello", &root.path().join("hello"));
    options.scratch_parent = Some(root.path().to_owned());
    let report = crate::generate::generate(
        "a hello service on port 8080",
        &options,
        &command,
        None,
        &mut |_| {},
    )
    .unwrap();
    assert!(report.succeeded(), "{report}");
    let mut wrong = options.clone();
    wrong.destination = root.path().join("wrong");
    wrong.required_probes =
        crate::probe::parse_probes("GET / -> 404", crate::probe::ProbeOrigin::Expected).0;
    let report = crate::generate::generate(
        "a hello service on port 8080",
        &wrong,
        &command,
        None,
        &mut |_| {},
    )
    .unwrap();
    assert!(
        matches!(&report.outcome, crate::generate::Outcome::Failed { stage: crate::pipeline::Stage::SmokeTest, diagnostics, .. } if diagnostics.contains("GET / -> 404: expected status 404, got 200")),
        "{report}"
    );
    assert!(!wrong.destination.exists());

    // The model path: an invalid intent repaired after the real `sauce check` diagnostic.
    use crate::testing::{scenarios, FakeServer, Scripted, Vendor};
    let invalid = scenarios::reply(
        "Plan.",
        &[("toml", "sauce.toml", scenarios::INVALID_INTENT)],
    );
    let server = FakeServer::scripted(
        Vendor::OpenAi,
        Some("sk-real-stages"),
        vec![
            Scripted::Reply(invalid),
            Scripted::Reply(scenarios::correct_reply()),
        ],
    )
    .unwrap();
    let provider = crate::provider::HttpProvider::new(server.settings("gpt-4.1-mini"));
    let mut repaired = options.clone();
    repaired.destination = root.path().join("repaired");
    let report = crate::generate::generate(
        scenarios::DESCRIPTION,
        &repaired,
        &command,
        Some(&provider),
        &mut |_| {},
    )
    .unwrap();
    assert!(report.succeeded(), "{report}");
    let feedback = server.requests()[1].last_message().unwrap();
    assert!(
        feedback.contains("bdy") && feedback.contains("sauce.toml:"),
        "{feedback}"
    );
}

#[test]
fn a_missing_binary_is_a_stage_failure() {
    let command = SauceCommand::new(Path::new("/nonexistent/sauce"));
    let failure = command.check(Path::new("/tmp")).unwrap_err();
    assert!(
        failure
            .diagnostics
            .starts_with("could not run /nonexistent/sauce"),
        "{}",
        failure.diagnostics
    );
}
