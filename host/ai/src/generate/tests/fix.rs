//! `fix` with and without a model.

use std::fs;
use std::path::Path;

use super::*;

fn broken_project(root: &Path) -> std::path::PathBuf {
    let folder = root.join("project");
    fs::create_dir_all(folder.join("public")).unwrap();
    fs::write(folder.join("sauce.toml"), scenarios::INVALID_INTENT).unwrap();
    fs::write(
        folder.join("public/logo.png"),
        [0x89u8, b'P', b'N', b'G', 0, 1],
    )
    .unwrap();
    fs::write(folder.join("DESCRIPTION.md"), DESCRIPTION).unwrap();
    folder
}

#[test]
fn fix_repairs_and_writes_back_only_changes() {
    let root = tempfile::tempdir().unwrap();
    let folder = broken_project(root.path());
    let server = FakeServer::scripted(
        Vendor::Anthropic,
        Some(KEY),
        vec![Scripted::Reply(scenarios::reply(
            "Changed: bdy is body.",
            &[("toml", "sauce.toml", scenarios::INTENT)],
        ))],
    )
    .unwrap();
    let provider = HttpProvider::new(server.settings("claude-sonnet-4-5"));
    let mut options = options_in(root.path(), "project");
    options.destination = folder.clone();
    let report = fix(
        &folder,
        &options,
        &FakePipeline::new(),
        Some(&provider),
        &mut quiet(),
    )
    .unwrap();
    let Outcome::Succeeded(installed) = &report.outcome else {
        panic!("{report}");
    };
    assert_eq!(
        installed.replaced,
        [crate::project::ProjectPath::parse("sauce.toml").unwrap()]
    );
    assert!(installed.created.is_empty());
    assert_eq!(
        fs::read_to_string(folder.join("sauce.toml")).unwrap(),
        scenarios::INTENT
    );
    assert_eq!(
        fs::read(folder.join("public/logo.png")).unwrap(),
        [0x89u8, b'P', b'N', b'G', 0, 1]
    );
    let sent = &server.requests()[0];
    assert_eq!(sent.message_count(), 3);
    assert!(sent.last_message().unwrap().contains("bdy"));
    let first = sent.json.as_ref().unwrap()["messages"][0]["content"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        first.contains("fails at the check stage") && first.contains(DESCRIPTION),
        "{first}"
    );

    let again = fix(
        &folder,
        &options,
        &FakePipeline::new(),
        Some(&provider),
        &mut quiet(),
    )
    .unwrap();
    assert!(matches!(again.outcome, Outcome::NothingToFix), "{again}");
}

#[test]
fn fix_without_a_model_reports_the_failure() {
    let root = tempfile::tempdir().unwrap();
    let folder = broken_project(root.path());
    let mut options = options_in(root.path(), "project");
    options.destination = folder.clone();
    let report = fix(&folder, &options, &FakePipeline::new(), None, &mut quiet()).unwrap();
    let Outcome::Failed {
        stage, diagnostics, ..
    } = &report.outcome
    else {
        panic!("{report}");
    };
    assert_eq!(*stage, Stage::Check);
    assert!(
        diagnostics.contains(&format!("{}/sauce.toml", folder.display()))
            || diagnostics.contains("sauce.toml"),
        "{diagnostics}"
    );
    assert_eq!(
        fs::read_to_string(folder.join("sauce.toml")).unwrap(),
        scenarios::INVALID_INTENT
    );
}
