//! `sauce check` on projects with app code: the examples pass; a broken handler name, a wrong
//! signature, a missing `#![no_std]` and a dependency that needs `std` each fail with exit code
//! 1 and a diagnostic at the sauce.toml line that names the Rust item.

mod common;

use std::path::{Path, PathBuf};

use common::{assert_exit, repository, sauce, temporary_folder, text};

#[test]
fn the_app_examples_pass() {
    for example in ["todo-api", "counter"] {
        let output = sauce()
            .arg("check")
            .arg(repository().join("examples").join(example))
            .output()
            .unwrap();
        assert_exit(&output, 0);
        assert_eq!(text(&output).0, format!("ok: {example}\n"));
    }
}

/// A copy of examples/counter (its sauce.toml, Cargo.toml and src/) with `edit` applied to the
/// file `changed`; returns the copy's folder.
fn broken_counter(test: &str, changed: &str, from: &str, to: &str) -> PathBuf {
    let folder = temporary_folder(test);
    let example = repository().join("examples/counter");
    for file in ["sauce.toml", "Cargo.toml", "src/lib.rs"] {
        let target = folder.join(file);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        let mut contents = std::fs::read_to_string(example.join(file)).unwrap();
        if file == changed {
            assert!(contents.contains(from), "{from}");
            contents = contents.replacen(from, to, 1);
        }
        std::fs::write(target, contents).unwrap();
    }
    folder.canonicalize().unwrap()
}

/// Runs `sauce check` on `folder`, expects exit code 1 and one problem at sauce.toml `line`
/// whose text holds each of `needles`.
fn fails_at(folder: &Path, line: usize, needles: &[&str]) {
    let output = sauce().arg("check").arg(folder).output().unwrap();
    assert_exit(&output, 1);
    let stderr = text(&output).1;
    assert!(stderr.starts_with("error: 1 problem:\n"), "{stderr}");
    let location = format!("--> {}:{line}:", folder.join("sauce.toml").display());
    assert!(
        stderr.contains(&location),
        "{location} is not in:\n{stderr}"
    );
    for needle in needles {
        assert!(stderr.contains(needle), "`{needle}` is not in:\n{stderr}");
    }
}

#[test]
fn a_misspelt_handler_is_shown_at_its_line_with_the_name_it_meant() {
    let folder = broken_counter(
        "app-check-name",
        "sauce.toml",
        "handler = \"stats\"",
        "handler = \"stat\"",
    );
    fails_at(
        &folder,
        19,
        &[
            "handler `stat`",
            "(src/lib.rs) has no function `stat`",
            "did you mean `stats`?",
        ],
    );
}

#[test]
fn a_wrong_signature_names_the_function_and_its_line() {
    let folder = broken_counter(
        "app-check-signature",
        "src/lib.rs",
        "pub async fn stats(_request: Request, app: &'static App) -> Result {",
        "pub fn stats(_request: Request, app: &'static App) -> Result {",
    );
    fails_at(
        &folder,
        19,
        &[
            "handler `stats` (src/lib.rs:83)",
            "it is not `async`",
            "pub async fn stats(request: Request, state: &'static App) -> Result",
        ],
    );
}

#[test]
fn a_crate_without_no_std_is_shown_at_code() {
    let folder = broken_counter("app-check-no-std", "src/lib.rs", "#![no_std]\n", "");
    fails_at(&folder, 4, &["(src/lib.rs:1) has no `#![no_std]`"]);
}

#[test]
fn a_dependency_that_needs_std_names_its_cargo_toml_line() {
    let folder = broken_counter(
        "app-check-std-dependency",
        "Cargo.toml",
        "[dev-dependencies]",
        "reqwest = \"0.12\"\n\n[dev-dependencies]",
    );
    fails_at(
        &folder,
        4,
        &["dependency `reqwest` (Cargo.toml:13) cannot run in a SauceOS image"],
    );
}

#[test]
fn the_diagnostics_are_data_with_json() {
    let folder = broken_counter(
        "app-check-json",
        "sauce.toml",
        "task = \"tick\"",
        "task = \"tock\"",
    );
    let output = sauce()
        .args(["check", "--format", "json"])
        .arg(&folder)
        .output()
        .unwrap();
    assert_exit(&output, 1);
    let diagnostics: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(diagnostics[0]["line"], 9, "{diagnostics}");
    assert_eq!(
        diagnostics[0]["hint"], "did you mean `tick`?",
        "{diagnostics}"
    );
}
