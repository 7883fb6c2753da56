//! Every example app of the repository passes the checks, in well under 100 ms each.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples")
}

/// The example folders whose sauce.toml names app code.
fn app_examples() -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(examples())
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|folder| folder.join("sauce.toml").is_file() && folder.join("Cargo.toml").is_file())
        .collect();
    found.sort();
    found
}

#[test]
fn every_example_app_passes() {
    let folders = app_examples();
    for required in ["todo-api", "counter"] {
        assert!(
            folders.iter().any(|folder| folder.ends_with(required)),
            "examples/{required} is missing"
        );
    }
    for folder in folders {
        let intent = sauce_intent::load(&folder).unwrap();
        assert!(intent.app.code.is_some(), "{}", folder.display());
        let diagnostics = sauce_app_check::check(&intent);
        assert!(
            diagnostics.is_empty(),
            "{}:\n{}",
            folder.display(),
            sauce_intent::render::render_all(&diagnostics, false)
        );
    }
}

/// The median time of `runs` checks of `folder`'s app (the intent loaded once).
fn median_check_time(folder: &Path, runs: usize) -> Duration {
    let intent = sauce_intent::load(folder).unwrap();
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            let diagnostics = sauce_app_check::check(&intent);
            let elapsed = start.elapsed();
            assert!(diagnostics.is_empty());
            elapsed
        })
        .collect();
    times.sort();
    times[runs / 2]
}

/// The figure of SPECIFICATION's check row: `cargo test --release -p sauce-app-check --test
/// examples -- --nocapture` prints it. The bound holds in debug builds too.
#[test]
fn checking_todo_api_takes_well_under_100_ms() {
    let time = median_check_time(&examples().join("todo-api"), 21);
    println!("sauce-app-check on examples/todo-api: median {time:?} over 21 runs");
    assert!(time < Duration::from_millis(50), "{time:?}");
}
