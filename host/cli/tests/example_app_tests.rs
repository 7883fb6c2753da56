//! Every example with app code passes its own host tests through `sauce test` (handlers called
//! directly and through `sauce_app::testing::TestClient`, model and property tests), as a user
//! of the example would run them: from a copy outside the SauceOS tree.

mod common;

use common::{copy_project, repository, sauce, temporary_folder, text};

#[test]
fn every_example_app_passes_its_own_tests() {
    let examples = repository().join("examples");
    let mut apps: Vec<_> = std::fs::read_dir(&examples)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|folder| folder.join("Cargo.toml").is_file())
        .collect();
    apps.sort();
    assert!(apps.len() >= 3, "example apps: {apps:?}");
    let folder = temporary_folder("example-app-tests");
    // One target folder for all: the dependencies they share compile once.
    let target = folder.join("target");
    let mut failures = Vec::new();
    for app in &apps {
        let name = app.file_name().unwrap().to_string_lossy().into_owned();
        let copy = folder.join(&name);
        let _ = std::fs::remove_dir_all(&copy);
        copy_project(app, &copy);
        let output = sauce()
            .arg("test")
            .arg(&copy)
            .env("CARGO_TARGET_DIR", &target)
            .output()
            .unwrap();
        let (stdout, stderr) = text(&output);
        if !output.status.success() {
            failures.push(format!("{name}:\n{stdout}\n{stderr}"));
        } else {
            assert!(
                stdout.contains("test result: ok") || stderr.contains("test result: ok"),
                "{name} ran no tests:\n{stdout}\n{stderr}"
            );
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
