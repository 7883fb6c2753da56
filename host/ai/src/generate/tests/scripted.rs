//! The scripted scenarios on both vendors, and what the attempts report.

use std::fs;

use super::*;

#[test]
fn every_scenario_on_both_vendors() {
    for vendor in [Vendor::OpenAi, Vendor::Anthropic] {
        for scenario in scenarios() {
            let name = format!("{vendor:?}: {}", scenario.name);
            let server = FakeServer::scripted(vendor, Some(KEY), scenario.script.clone()).unwrap();
            let mut settings = server.settings(if vendor == Vendor::OpenAi {
                "gpt-4.1-mini"
            } else {
                "claude-sonnet-4-5"
            });
            settings.read_timeout = scenario.read_timeout;
            if !scenario.right_key {
                let variable = settings.kind.key_variable().to_owned();
                settings.key = Some(ApiKey::new(
                    "sk-wrong-key-000000000000000000",
                    KeySource::Environment(variable),
                ));
            }
            let provider = HttpProvider::new(settings);
            let mut pipeline = FakePipeline::new();
            pipeline.build_rules = scenario.build_rules.clone();
            let root = tempfile::tempdir().unwrap();
            let options = options(root.path());
            let report = generate(
                DESCRIPTION,
                &options,
                &pipeline,
                Some(&provider),
                &mut quiet(),
            )
            .unwrap();
            let expect = &scenario.expect;
            assert_eq!(report.succeeded(), expect.success, "{name}\n{report}");
            assert_eq!(report.attempts.len(), expect.attempts, "{name}\n{report}");
            let requests = server.requests();
            assert_eq!(requests.len(), expect.requests, "{name}");
            assert!(
                requests
                    .iter()
                    .all(|request| request.rejected.is_none() || !scenario.right_key),
                "{name}: {:?}",
                requests
                    .iter()
                    .map(|request| &request.rejected)
                    .collect::<Vec<_>>()
            );
            if let Some(feedback) = expect.feedback {
                let last = requests
                    .last()
                    .and_then(|request| request.last_message())
                    .unwrap_or_default();
                assert!(
                    last.contains(feedback),
                    "{name}: the feedback lacks {feedback:?}:\n{last}"
                );
                assert!(
                    !last.contains(&root.path().display().to_string()),
                    "{name}: scratch paths leak into the feedback:\n{last}"
                );
                assert_eq!(
                    requests.last().map(|request| request.message_count()),
                    Some(3),
                    "{name}"
                );
            }
            match (&report.outcome, expect.error) {
                (Outcome::ProviderFailed(error), Some(text)) => {
                    assert!(error.to_string().contains(text), "{name}: {error}");
                    assert!(!error.to_string().contains(KEY), "{name}");
                }
                (Outcome::Succeeded(installed), None) => {
                    assert_eq!(
                        fs::read_to_string(installed.folder.join("sauce.toml")).unwrap(),
                        expect.intent,
                        "{name}"
                    );
                    assert!(report.usage.output_tokens > 0, "{name}");
                    assert!(report.cost.is_some(), "{name}");
                }
                (outcome, _) => panic!("{name}: unexpected {outcome:?}"),
            }
            if !expect.success {
                assert!(
                    !options.destination.exists(),
                    "{name}: a failed run wrote the destination"
                );
            }
            let leftovers: Vec<_> = fs::read_dir(root.path())
                .unwrap()
                .map(|entry| entry.unwrap().file_name())
                .collect();
            assert!(
                leftovers.len() <= 1,
                "{name}: the scratch folder was left behind: {leftovers:?}"
            );
        }
    }
}

#[test]
fn attempts_say_what_they_fixed() {
    let scenario = scenarios()
        .into_iter()
        .find(|scenario| scenario.name.starts_with("a Rust compile error"))
        .unwrap();
    let server = FakeServer::scripted(Vendor::OpenAi, Some(KEY), scenario.script.clone()).unwrap();
    let provider = HttpProvider::new(server.settings("gpt-4.1-mini"));
    let mut pipeline = FakePipeline::new();
    pipeline.build_rules = scenario.build_rules.clone();
    let root = tempfile::tempdir().unwrap();
    let options = options(root.path());
    let mut seen = Vec::new();
    let report = generate(
        DESCRIPTION,
        &options,
        &pipeline,
        Some(&provider),
        &mut |event| {
            seen.push(match event {
                Event::Understood(_) => "understood".to_owned(),
                Event::Asking { attempt } => format!("asking {attempt}"),
                Event::Provider(_) => "progress".to_owned(),
                Event::Writing { attempt, files } => format!(
                    "writing {attempt}: {}",
                    files
                        .iter()
                        .map(|file| file.as_str())
                        .collect::<Vec<_>>()
                        .join(" ")
                ),
                Event::Stage { attempt, stage } => format!("{stage} {attempt}"),
                Event::Attempt(report) => format!("attempt {} done", report.number),
                Event::Installed(_) => "installed".to_owned(),
            });
        },
    )
    .unwrap();
    seen.dedup();
    assert_eq!(
        seen,
        [
            "understood",
            "asking 1",
            "progress",
            "writing 1: Cargo.toml sauce.toml src/lib.rs",
            "check 1",
            "security 1",
            "build 1",
            "attempt 1 done",
            "asking 2",
            "progress",
            "writing 2: src/lib.rs",
            "check 2",
            "security 2",
            "build 2",
            "smoke test 2",
            "attempt 2 done",
            "installed",
        ]
    );
    let first = &report.attempts[0];
    let (stage, diagnostics) = first.failure.clone().unwrap();
    assert_eq!(stage, Stage::Build);
    assert!(
        diagnostics.contains(&format!(
            " --> {}/src/lib.rs:9:22",
            options.destination.display()
        )),
        "the user sees their own paths:\n{diagnostics}"
    );
    assert_eq!(report.attempts[1].fixed, Some(Stage::Build));
    assert_eq!(
        report.attempts[1].plan,
        "Changed: the count starts at 0, a u64."
    );
    let summary = report.to_string();
    assert!(summary.starts_with("attempt 1 failed at build: error[E0308]: mismatched types (wrote Cargo.toml, sauce.toml, src/lib.rs)\nattempt 2 fixed the build failure and passed every stage (wrote src/lib.rs)\nDone: the project is in "), "{summary}");
    assert!(summary.contains("Tokens: "), "{summary}");
    assert_eq!(
        fs::read_to_string(options.destination.join("src/lib.rs")).unwrap(),
        scenarios::FIXED_LIBRARY
    );
    assert_eq!(
        probe_lines(&report.probes),
        [
            "GET / -> 200 text/plain",
            "GET /healthz -> 200 application/json",
            "GET /greetings -> answered",
            "GET /sauce-probe/missing -> 404",
            "GET /healthz -> 200 application/json",
            "GET / -> 200 text/plain"
        ]
    );
}
