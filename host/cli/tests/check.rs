//! `sauce check`: valid and invalid intents, exit codes and `file:line:column` diagnostics.

mod common;

use common::{assert_exit, intent, repository, sauce, text};

#[test]
fn the_hello_example_is_valid() {
    let output = sauce()
        .arg("check")
        .arg(repository().join("examples/hello"))
        .output()
        .unwrap();
    assert_exit(&output, 0);
    assert_eq!(text(&output).0, "ok: hello\n");
}

#[test]
fn check_defaults_to_the_current_folder() {
    let manifest = intent("check-current", "[app]\nname = \"here\"\n");
    let output = sauce()
        .arg("check")
        .current_dir(manifest.parent().unwrap())
        .output()
        .unwrap();
    assert_exit(&output, 0);
    assert_eq!(text(&output).0, "ok: here\n");
}

#[test]
fn a_bad_name_is_invalid_input_with_its_location() {
    let manifest = intent("check-bad-name", "[app]\nname = \"Hello_World\"\n");
    let output = sauce().arg("check").arg(&manifest).output().unwrap();
    assert_exit(&output, 1);
    let stderr = text(&output).1;
    let location = format!("--> {}:2:8\n", manifest.canonicalize().unwrap().display());
    assert!(stderr.contains(&location), "{stderr}");
    assert!(
        stderr.contains("hint: try `name = \"hello-world\"`"),
        "{stderr}"
    );
}

#[test]
fn an_unknown_table_is_invalid_input_with_a_suggestion() {
    let manifest = intent(
        "check-unknown-table",
        "[app]\nname = \"a\"\n\n[networking]\n",
    );
    let output = sauce().arg("check").arg(&manifest).output().unwrap();
    assert_exit(&output, 1);
    let stderr = text(&output).1;
    assert!(
        stderr.contains("error: unknown table `[networking]`\n --> ")
            && stderr.contains("sauce.toml:4:2\n"),
        "{stderr}"
    );
    assert!(stderr.contains("did you mean `network`?"), "{stderr}");
}

#[test]
fn a_missing_path_is_invalid_input() {
    let output = sauce()
        .args(["check", "/nonexistent/project"])
        .output()
        .unwrap();
    assert_exit(&output, 1);
    assert!(text(&output)
        .1
        .contains("`/nonexistent/project` does not exist"));
}

#[test]
fn usage_errors_are_invalid_input_and_help_succeeds() {
    assert_exit(&sauce().arg("frobnicate").output().unwrap(), 1);
    let help = sauce().arg("--help").output().unwrap();
    assert_exit(&help, 0);
    for verb in ["check", "build", "run"] {
        assert!(text(&help).0.contains(verb));
    }
}
