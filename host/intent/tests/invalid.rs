//! The invalid-intent corpus: every `tests/invalid/NN-name.toml` must be rejected with exactly the
//! diagnostics in `NN-name.expected`, one `LINE:COLUMN: MESSAGE` line each, followed by its hint
//! on lines indented by four spaces. The folder is the project folder of every case, so `file`
//! and `dir` cases use the fixtures under `tests/invalid/fixtures`.
//!
//! `SAUCE_BLESS=1 cargo test -p sauce-intent --test invalid` rewrites the `.expected` files
//! (review the diff before committing).

use std::fs;
use std::path::{Path, PathBuf};

use sauce_intent::render::{render, visible};
use sauce_intent::{load, Diagnostic, LoadError};

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/invalid")
}

fn cases() -> Vec<PathBuf> {
    let mut cases: Vec<PathBuf> = fs::read_dir(corpus())
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| {
            path.extension()
                .is_some_and(|extension| extension == "toml")
        })
        .collect();
    cases.sort();
    cases
}

/// The diagnostics in the corpus's text form.
fn as_text(diagnostics: &[Diagnostic]) -> String {
    let mut text = String::new();
    for diagnostic in diagnostics {
        text.push_str(&format!(
            "{}:{}: {}\n",
            diagnostic.line,
            diagnostic.column,
            visible(&diagnostic.message)
        ));
        if let Some(hint) = &diagnostic.hint {
            for line in hint.lines() {
                text.push_str(&format!("    {}\n", visible(line)));
            }
        }
        // What a terminal is shown holds no control character but line breaks.
        let rendered = render(diagnostic, true).replace(['\n', '\x1b'], "");
        assert!(
            !rendered.contains(char::is_control),
            "a control character reaches the terminal: {rendered:?}"
        );
    }
    text
}

#[test]
fn every_invalid_intent_gets_exactly_its_diagnostics() {
    for link in ["fixtures/escape.txt", "fixtures/leaky/leak.txt"] {
        let link = corpus().join(link);
        let is_link =
            fs::symlink_metadata(&link).is_ok_and(|metadata| metadata.file_type().is_symlink());
        assert!(
            is_link,
            "{} must be a symbolic link leading outside the corpus folder",
            link.display()
        );
    }
    let bless = std::env::var_os("SAUCE_BLESS").is_some();
    let cases = cases();
    assert!(cases.len() >= 30, "the corpus holds {} cases", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let found = match load(case) {
            Err(LoadError::Invalid { diagnostics, .. }) => as_text(&diagnostics),
            Ok(_) => "(accepted)\n".to_owned(),
            Err(other) => format!("(not loaded: {other})\n"),
        };
        let expected_path = case.with_extension("expected");
        if bless {
            fs::write(&expected_path, &found).unwrap();
            continue;
        }
        let expected = fs::read_to_string(&expected_path).unwrap_or_default();
        if found != expected {
            failures.push(format!(
                "{}\n--- expected\n{expected}--- found\n{found}",
                case.display()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases differ:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn every_expectation_has_its_intent() {
    for entry in fs::read_dir(corpus()).unwrap() {
        let path = entry.unwrap().path();
        if path
            .extension()
            .is_some_and(|extension| extension == "expected")
        {
            assert!(
                path.with_extension("toml").is_file(),
                "{} has no .toml",
                path.display()
            );
        }
    }
}
