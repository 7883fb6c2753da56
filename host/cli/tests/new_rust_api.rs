//! `sauce new NAME --template rust-api` makes a project that passes `sauce check` and whose
//! tests pass under `sauce test` (and plain `cargo test`); `sauce test` keeps cargo's status.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{assert_exit, repository, sauce, temporary_folder, text};

/// One cargo target folder for every run of these tests, so only the first compiles serde.
fn app_target() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("rust-api-target")
}

fn sauce_test(project: &Path, extra: &[&str]) -> std::process::Output {
    sauce()
        .arg("test")
        .arg(project)
        .args(extra)
        .env("CARGO_TARGET_DIR", app_target())
        .output()
        .unwrap()
}

#[test]
fn a_new_rust_api_project_checks_and_its_tests_pass() {
    let parent = temporary_folder("new-rust-api");
    let output = sauce()
        .args(["new", "shop-list", "--template", "rust-api"])
        .current_dir(&parent)
        .output()
        .unwrap();
    assert_exit(&output, 0);
    assert!(
        text(&output).0.contains("sauce test shop-list"),
        "{}",
        text(&output).0
    );
    let project = parent.join("shop-list");
    for file in [
        ".gitignore",
        ".cargo/config.toml",
        "src/lib.rs",
        "src/todos.rs",
        "tests/contract.rs",
    ] {
        assert!(project.join(file).is_file(), "{file}");
    }
    let manifest = std::fs::read_to_string(project.join("Cargo.toml")).unwrap();
    assert!(manifest.contains("name = \"shop-list\"") && manifest.contains("sauce-app = \"0.1\""));
    let config = std::fs::read_to_string(project.join(".cargo/config.toml")).unwrap();
    assert!(
        config.starts_with("# Written by sauce") && config.contains("sauce-app.path = "),
        "{config}"
    );

    let check = sauce().arg("check").arg(&project).output().unwrap();
    assert_exit(&check, 0);
    assert_eq!(text(&check).0, "ok: shop-list\n");

    let tests = sauce_test(&project, &[]);
    assert_exit(&tests, 0);
    let (stdout, stderr) = text(&tests);
    assert!(stdout.contains("test result: ok"), "{stdout}\n{stderr}");
    assert!(!stdout.contains("test result: FAILED"), "{stdout}");

    // The .cargo/config.toml alone supplies sauce-app to plain cargo.
    let plain = Command::new("cargo")
        .args(["test", "--test", "contract"])
        .current_dir(&project)
        .env("CARGO_TARGET_DIR", app_target())
        .env_remove("CARGO_MANIFEST_DIR")
        .output()
        .unwrap();
    assert_exit(&plain, 0);

    // A failing test: cargo's own exit status, its output streamed, the user's paths kept.
    std::fs::write(
        project.join("tests/failing.rs"),
        "#[test]\nfn fails() {\n    assert_eq!(1 + 1, 3, \"arithmetic\");\n}\n",
    )
    .unwrap();
    let failing = sauce_test(&project, &["--", "--test", "failing"]);
    assert_exit(&failing, 101);
    let (stdout, stderr) = text(&failing);
    assert!(stdout.contains("test fails ... FAILED"), "{stdout}");
    assert!(
        stdout.contains("panicked at tests/failing.rs:3"),
        "{stdout}"
    );
    assert!(
        stderr.contains("`cargo test` exited with status 101"),
        "{stderr}"
    );
}

#[test]
fn a_project_without_app_code_has_nothing_to_test() {
    let output = sauce_test(&repository().join("examples/hello-http"), &[]);
    assert_exit(&output, 0);
    assert!(
        text(&output).0.starts_with("nothing to test: "),
        "{}",
        text(&output).0
    );
}

#[test]
fn the_template_refuses_names_of_its_own_dependencies() {
    let parent = temporary_folder("new-rust-api-serde");
    let output = sauce()
        .args(["new", "serde", "--template", "rust-api"])
        .current_dir(&parent)
        .output()
        .unwrap();
    assert_exit(&output, 1);
    assert!(
        text(&output).1.contains("try `serde-app`"),
        "{}",
        text(&output).1
    );
    assert!(!parent.join("serde").exists());
}
