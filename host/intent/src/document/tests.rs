//! Tests of [`parse`]: each accepted shape, and each diagnostic with its location and hint.

use std::path::Path;

use super::parse;
use crate::{Diagnostic, MemorySize};

const PATH: &str = "/project/sauce.toml";

fn problems(source: &str) -> Vec<Diagnostic> {
    parse(Path::new(PATH), source).expect_err("the source should be invalid")
}

/// The only problem in `source`, as `line:column: message | hint`.
fn only_problem(source: &str) -> String {
    let problems = problems(source);
    assert_eq!(problems.len(), 1, "{problems:#?}");
    let problem = &problems[0];
    let hint = problem.hint.as_deref().unwrap_or("");
    format!(
        "{}:{}: {} | {hint}",
        problem.line, problem.column, problem.message
    )
}

#[test]
fn reads_the_minimal_intent() {
    let intent = parse(Path::new(PATH), "[app]\nname = \"hello\"\n").unwrap();
    assert_eq!(intent.app.name.as_str(), "hello");
    assert_eq!(intent.resources.memory, None);
    assert_eq!(intent.manifest_path, Path::new(PATH));
}

#[test]
fn reads_memory_and_accepts_the_other_tables() {
    let source = r#"
[app]
name = "site"

[http]
port = 8080

[[http.route]]
path = "/"
body = "hi"

[network]
ip = "dhcp"

[resources]
memory = "64MiB"
vcpus = 1

[build]
optimize = "size"

[target]
vmm = "qemu"
"#;
    let intent = parse(Path::new(PATH), source).unwrap();
    assert_eq!(
        intent.resources.memory,
        Some(MemorySize::from_mebibytes(64))
    );
}

#[test]
fn syntax_errors_point_at_the_line() {
    let problem = only_problem("[app]\nname = \"hello\n");
    assert!(problem.starts_with("2:"), "{problem}");
    assert!(problem.contains("invalid TOML"), "{problem}");
}

#[test]
fn a_missing_app_table_is_reported_at_the_start() {
    let problem = only_problem("[resources]\nmemory = \"32MiB\"\n");
    assert!(
        problem.starts_with("1:1: the `[app]` table is missing"),
        "{problem}"
    );
}

#[test]
fn a_missing_name_is_reported() {
    assert!(only_problem("[app]\n").contains("`[app]` has no `name`"));
}

#[test]
fn a_bad_name_points_at_the_value_and_suggests_one() {
    let problem = only_problem("[app]\nname = \"My_App\"\n");
    assert_eq!(
        problem,
        "2:8: the app name must start with a lowercase letter (a-z), not `M` | try `name = \"my-app\"`"
    );
}

#[test]
fn wrong_types_are_reported() {
    let app = only_problem("app = 3\n");
    assert!(
        app.starts_with("1:1: `app` must be a table, not an integer"),
        "{app}"
    );
    assert!(only_problem("[app]\nname = 7\n").starts_with("2:8: `app.name` must be a string"));
    let vcpus = only_problem("[app]\nname = \"a\"\n[resources]\nvcpus = \"two\"\n");
    assert!(
        vcpus.starts_with("4:9: `vcpus` must be a whole number"),
        "{vcpus}"
    );
}

#[test]
fn unknown_tables_and_keys_get_a_suggestion() {
    let table = only_problem("[app]\nname = \"a\"\n[resource]\n");
    assert_eq!(
        table,
        "3:2: unknown table `[resource]` | did you mean `resources`?"
    );
    let key = only_problem("[app]\nnmae = \"a\"\nname = \"a\"\n");
    assert_eq!(
        key,
        "2:1: unknown key `nmae` in `[app]` | did you mean `name`?"
    );
    let far = only_problem("[app]\nname = \"a\"\n[database]\n");
    assert!(
        far.ends_with("known tables: app, http, network, resources, build, target"),
        "{far}"
    );
}

#[test]
fn bad_memory_sizes_show_a_correct_one() {
    let problem = only_problem("[app]\nname = \"a\"\n[resources]\nmemory = \"32MB\"\n");
    assert!(
        problem.starts_with("4:10: `32MB` has no binary unit; write `32MiB`"),
        "{problem}"
    );
}

#[test]
fn every_problem_is_reported_in_source_order() {
    let lines: Vec<usize> = problems("[zzz]\n[app]\nname = \"1\"\n[aaa]\n")
        .iter()
        .map(|problem| problem.line)
        .collect();
    assert_eq!(lines, [1, 3, 4]);
}
