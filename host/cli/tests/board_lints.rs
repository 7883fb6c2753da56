//! The generated boards pass clippy with warnings denied, for the image target: every example's
//! `src/main.rs`, and with it the kernel and component crates compiled as an image compiles
//! them (`target_os = "none"` code the host workspace's clippy never sees).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{assert_exit, build_lock, repository, sauce, text};

/// The cache the test binaries share (see `common::sauce`).
fn cache() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .unwrap()
        .join("sauce-cache")
}

/// The generated crate of the project at `project` (app `app`) on `machine`: the newest of the
/// cache's folders for that app whose board names this project's sauce.toml (other tests
/// build projects of the same app name from other folders at the same time).
fn generated_crate(app: &str, machine: &str, project: &Path) -> PathBuf {
    let manifest = project.join("sauce.toml").display().to_string();
    let mut folders: Vec<PathBuf> = std::fs::read_dir(cache().join("apps"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| {
            path.file_name()
                .and_then(|name| name.to_str())
                .is_some_and(|name| name.starts_with(&format!("{app}-{machine}-")))
        })
        .filter(|path| {
            std::fs::read_to_string(path.join("src/main.rs"))
                .is_ok_and(|board| board.contains(&manifest))
        })
        .collect();
    folders.sort_by_key(|folder| {
        std::fs::metadata(folder.join("src/main.rs"))
            .and_then(|metadata| metadata.modified())
            .ok()
    });
    folders.pop().expect("the example was built")
}

#[test]
fn every_examples_board_passes_clippy_for_the_image_target() {
    for (example, app, machine) in [
        ("hello", "hello", "microvm"),
        ("hello-http", "hello-http", "microvm"),
        ("static-site", "static-site", "microvm"),
        ("q35", "hello-q35", "q35"),
        ("echo", "echo", "microvm"),
    ] {
        let _lock = build_lock();
        let project = repository().join("examples").join(example);
        let output = sauce().arg("build").arg(&project).output().unwrap();
        assert_exit(&output, 0);
        let board = generated_crate(app, machine, &project);
        let mut clippy = Command::new("cargo");
        sauce_builder::child_environment::clean(&mut clippy);
        let output = clippy
            .current_dir(repository())
            .env("CARGO_TARGET_DIR", cache().join("target"))
            .arg("clippy")
            .arg("--manifest-path")
            .arg(board.join("Cargo.toml"))
            .args([
                "--release",
                "--target",
                "x86_64-unknown-none",
                "--",
                "-D",
                "warnings",
            ])
            .output()
            .unwrap();
        let (_, stderr) = text(&output);
        assert!(
            output.status.success(),
            "{example}: clippy on {}:\n{stderr}",
            board.display()
        );
    }
}
