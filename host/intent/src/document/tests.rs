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

mod http_tables {
    use super::super::parse;
    use std::path::Path;

    const PATH: &str = "/project/sauce.toml";

    fn errors(source: &str) -> Vec<String> {
        parse(Path::new(PATH), source).unwrap_err().iter().map(|diagnostic| diagnostic.to_string()).collect()
    }

    #[test]
    fn an_http_service_with_one_route() {
        let source = "[app]\nname = \"web\"\n\n[http]\nport = 8080\n\n[[http.route]]\npath = \"/\"\nbody = \"Hi\\n\"\nstatus = 201\n\n[network]\nip = \"10.0.2.15/24\"\ngateway = \"10.0.2.2\"\n";
        let intent = parse(Path::new(PATH), source).unwrap();
        let http = intent.http.unwrap();
        assert_eq!(http.port, 8080);
        assert_eq!(http.routes.len(), 1);
        assert_eq!((http.routes[0].path.as_str(), http.routes[0].body.as_str(), http.routes[0].status), ("/", "Hi\n", 201));
        assert_eq!(http.routes[0].content_type, "text/plain; charset=utf-8");
        assert_eq!(intent.network.ip.as_deref(), Some("10.0.2.15/24"));
    }

    #[test]
    fn bad_http_values_point_at_their_line() {
        let source = "[app]\nname = \"web\"\n[http]\nport = 70000\n[[http.route]]\npath = \"nope\"\nbody = \"x\"\n[[http.route]]\npath = \"/a\"\nfile = \"a.txt\"\n[network]\nip = \"10.0.2.300/24\"\n";
        let errors = errors(source);
        assert!(errors.iter().any(|error| error.contains(":4:") && error.contains("http.port")), "{errors:?}");
        assert!(errors.iter().any(|error| error.contains(":6:") && error.contains("not a path")), "{errors:?}");
        assert!(errors.iter().any(|error| error.contains(":10:") && error.contains("not supported")), "{errors:?}");
        assert!(errors.iter().any(|error| error.contains(":12:") && error.contains("IPv4")), "{errors:?}");
    }

    #[test]
    fn duplicate_routes_and_missing_routes_are_errors() {
        let duplicate = "[app]\nname = \"web\"\n[http]\n[[http.route]]\npath = \"/\"\nbody = \"a\"\n[[http.route]]\npath = \"/\"\nbody = \"b\"\n";
        assert!(errors(duplicate).iter().any(|error| error.contains("declared twice")));
        let empty = "[app]\nname = \"web\"\n[http]\nport = 80\n";
        assert!(errors(empty).iter().any(|error| error.contains("no routes")));
    }
}
