//! Tests of [`parse`]: the accepted shapes, and diagnostics with their location and hint. The
//! corpus under `tests/invalid` holds one file per rule; these cover the walk itself.

use std::net::Ipv4Addr;
use std::path::Path;

use super::parse;
use crate::keys::{self, Kind, TableKeys};
use crate::{Addressing, Diagnostic, MemorySize, Optimize, QemuMachine, RouteResponse, Vmm};

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
fn reads_the_minimal_intent_with_defaults() {
    let intent = parse(Path::new(PATH), "[app]\nname = \"hello\"\n").unwrap();
    assert_eq!(intent.app.name.as_str(), "hello");
    assert_eq!(intent.resources.memory, None);
    assert_eq!(intent.resources.vcpus, 1);
    assert_eq!(intent.build.optimize, Optimize::Size);
    assert_eq!(
        (intent.target.vmm, intent.target.machine),
        (Vmm::Qemu, None)
    );
    assert_eq!(intent.http, None);
    assert_eq!(intent.network.addressing, None);
    assert_eq!(intent.manifest_path, Path::new(PATH));
    assert_eq!(intent.source, "[app]\nname = \"hello\"\n");
    assert_eq!(intent.line_of("app.name"), Some(2));
}

#[test]
fn reads_every_table() {
    let source = r#"
[app]
name = "site"

[http]
port = 8080
max_connections = 16

[[http.route]]
path = "/"
body = "hi"
status = 201

[[http.route]]
path = "/api/info"
json = { service = "site", version = 1, tags = ["a", "b"] }

[[http.route]]
path = "/old"
redirect = "https://example.com/new"

[http.not_found]
body = "gone"
content_type = "text/html"

[network]
ip = "dhcp"

[resources]
memory = "64MiB"
vcpus = 1

[build]
optimize = "speed"

[target]
vmm = "qemu"
machine = "q35"
"#;
    let intent = parse(Path::new(PATH), source).unwrap();
    assert_eq!(
        intent.resources.memory,
        Some(MemorySize::from_mebibytes(64))
    );
    assert_eq!(intent.build.optimize, Optimize::Speed);
    assert_eq!(intent.target.machine, Some(QemuMachine::Q35));
    assert_eq!(intent.network.addressing, Some(Addressing::Dhcp));
    let http = intent.http.unwrap();
    assert_eq!((http.port, http.max_connections), (8080, Some(16)));
    let responses: Vec<(&str, &RouteResponse, u16)> = http
        .routes
        .iter()
        .map(|route| (route.path.as_str(), &route.response, route.status))
        .collect();
    let json = RouteResponse::Json(r#"{"service":"site","version":1,"tags":["a","b"]}"#.to_owned());
    let redirect = RouteResponse::Redirect("https://example.com/new".to_owned());
    let body = RouteResponse::Body("hi".to_owned());
    assert_eq!(
        responses,
        [
            ("/", &body, 201),
            ("/api/info", &json, 200),
            ("/old", &redirect, 308)
        ]
    );
    let not_found = http.not_found.unwrap();
    assert_eq!(not_found.response, RouteResponse::Body("gone".to_owned()));
    assert_eq!(not_found.content_type.as_deref(), Some("text/html"));
    assert_eq!(
        intent
            .origins
            .get("http.route.1.json")
            .map(|origin| origin.line),
        Some(16)
    );
}

#[test]
fn reads_a_static_address_and_gateway() {
    let source =
        "[app]\nname = \"a\"\n[network]\nip = \"192.168.7.9/16\"\ngateway = \"192.168.0.1\"\n";
    let network = parse(Path::new(PATH), source).unwrap().network;
    let address = Ipv4Addr::new(192, 168, 7, 9);
    assert_eq!(
        network.addressing,
        Some(Addressing::Static {
            address,
            prefix: 16
        })
    );
    assert_eq!(network.gateway, Some(Ipv4Addr::new(192, 168, 0, 1)));
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
fn wrong_types_are_reported() {
    let app = only_problem("app = 3\n");
    assert!(
        app.starts_with("1:1: `app` must be a table, not an integer"),
        "{app}"
    );
    assert!(only_problem("[app]\nname = 7\n").starts_with("2:8: `app.name` must be a string"));
    let vcpus = only_problem("[app]\nname = \"a\"\n[resources]\nvcpus = \"two\"\n");
    assert!(
        vcpus.starts_with("4:9: `resources.vcpus` must be a whole number"),
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
    let far = only_problem("[app]\nname = \"a\"\n[storage]\n");
    assert!(
        far.ends_with("known tables: app, http, tcp, database, network, resources, build, target"),
        "{far}"
    );
    let moved = only_problem("[app]\nname = \"a\"\nmemory = \"2MiB\"\n");
    assert_eq!(
        moved,
        "3:1: unknown key `memory` in `[app]` | `memory` belongs in `[resources]`"
    );
    let top = only_problem("name = \"a\"\n[app]\nname = \"a\"\n");
    assert_eq!(
        top,
        "1:1: unknown top-level key `name` | `name` belongs in `[app]`"
    );
}

#[test]
fn every_problem_is_reported_in_source_order() {
    let lines: Vec<usize> = problems("[zzz]\n[app]\nname = \"1\"\n[aaa]\n[http]\nport = 0\n")
        .iter()
        .map(|problem| problem.line)
        .collect();
    assert_eq!(lines, [1, 3, 4, 5, 6]);
}

/// A document with the key `path` (such as `http.route.status`) set to a placeholder.
fn document_with(path: &str) -> String {
    let segments: Vec<&str> = path.split('.').collect();
    let mut table: &TableKeys = &keys::DOCUMENT;
    let mut header = String::new();
    let mut list = false;
    for (index, segment) in segments.iter().enumerate() {
        let key = table
            .key(segment)
            .unwrap_or_else(|| panic!("{path} is a format key"));
        let is_last = index + 1 == segments.len();
        match key.kind {
            Kind::Table(inner) | Kind::ListOfTables(inner) if !is_last => {
                list = matches!(key.kind, Kind::ListOfTables(_));
                header = if header.is_empty() {
                    segment.to_string()
                } else {
                    format!("{header}.{segment}")
                };
                table = inner;
            }
            _ => {}
        }
    }
    let last = segments.last().copied().unwrap_or_default();
    let app = if header == "app" {
        ""
    } else {
        "[app]\nname = \"a\"\n"
    };
    match (segments.len(), list) {
        (1, _) if last == "app" => "[app]\nname = \"a\"\n".to_owned(),
        (1, _) => format!("{app}[{last}]\n"),
        (_, true) => format!("{app}[[{header}]]\n{last} = 0\n"),
        (_, false) => format!("{app}[{header}]\n{last} = 0\n"),
    }
}

#[test]
fn the_checker_accepts_exactly_the_keys_of_the_format() {
    for path in keys::all_key_paths() {
        let source = document_with(&path);
        let found = parse(Path::new(PATH), &source).err().unwrap_or_default();
        assert!(
            !found
                .iter()
                .any(|problem| problem.message.contains("unknown")),
            "{path}: {found:#?}"
        );
        let sibling = if path.contains('.') {
            "zzz_unknown = 0"
        } else {
            "[zzz_unknown]"
        };
        let with_unknown = format!("{source}{sibling}\n");
        let found = parse(Path::new(PATH), &with_unknown).unwrap_err();
        assert!(
            found
                .iter()
                .any(|problem| problem.message.contains("unknown")),
            "{path} in:\n{with_unknown}"
        );
    }
}

#[test]
fn a_tcp_service_needs_a_port_and_a_service_of_its_own() {
    let echo = parse(
        Path::new("/p/sauce.toml"),
        "[app]\nname = \"echo\"\n[tcp]\nport = 7\nservice = \"echo\"\n",
    )
    .unwrap();
    let tcp = echo.tcp.unwrap();
    assert_eq!(
        (tcp.port, tcp.service, tcp.max_connections),
        (7, crate::TcpService::Echo, None)
    );
    assert_eq!(
        only_problem("[app]\nname = \"a\"\n[tcp]\nport = 7\nservice = \"ecko\"\n"),
        "5:11: `ecko` is not a valid `tcp.service`; it is one of `\"echo\"` | did you mean `\"echo\"`?"
    );
    assert_eq!(
        only_problem("[app]\nname = \"a\"\n[tcp]\nservice = \"echo\"\n"),
        "3:1: `[tcp]` has no `port` | add one, such as `port = 7`"
    );
    let shared = only_problem(
        "[app]\nname = \"a\"\n[http]\nport = 80\n[[http.route]]\npath = \"/\"\nbody = \"x\"\n[tcp]\nport = 80\nservice = \"echo\"\n",
    );
    assert!(
        shared.starts_with("9:8: `tcp.port` 80 is `[http]`'s port too"),
        "{shared}"
    );
}

#[test]
fn handler_routes_need_the_app_crate_and_check_their_keys() {
    let folder = std::env::temp_dir().join(format!("sauce-intent-app-{}", std::process::id()));
    std::fs::create_dir_all(folder.join("src")).unwrap();
    let manifest = folder.join("sauce.toml");
    let source = "[app]\nname = \"todo\"\ninit = \"init\"\n[app.env]\nGREETING = \"hi\"\n[[app.every]]\nseconds = 5\ntask = \"stats::tick\"\n[http]\n[[http.route]]\npath = \"/todos/{id}\"\nmethods = [\"GET\", \"PUT\"]\nhandler = \"todos::item\"\nbody_limit = \"4KiB\"\ncache_control = \"no-store\"\n";
    // No Cargo.toml yet: the handler has no crate.
    let problems = parse(&manifest, source).unwrap_err();
    assert!(
        problems
            .iter()
            .any(|problem| problem.message.contains("has no Cargo.toml")),
        "{problems:?}"
    );
    std::fs::write(folder.join("Cargo.toml"), "[package]\nname = \"todo\"\n").unwrap();
    let intent = parse(&manifest, source).unwrap();
    let code = intent.app.code.clone().unwrap();
    assert_eq!(code.folder, folder.canonicalize().unwrap());
    assert_eq!(code.init.as_deref(), Some("init"));
    assert!(!code.allow_unsafe);
    assert_eq!(intent.app.env[0].key, "GREETING");
    assert_eq!(
        (
            intent.app.every[0].seconds,
            intent.app.every[0].task.as_str()
        ),
        (5, "stats::tick")
    );
    let route = &intent.http.unwrap().routes[0];
    assert_eq!(
        route.response,
        RouteResponse::Handler("todos::item".to_owned())
    );
    assert_eq!(route.methods, ["GET", "PUT"]);
    assert_eq!(
        (route.body_limit, route.cache_control.as_deref()),
        (Some(4096), Some("no-store"))
    );
    let bad = "[app]\nname = \"todo\"\n[app.env]\nlower = \"x\"\n[http]\n[[http.route]]\npath = \"/a{id}\"\nmethods = [\"get\", \"BREW\"]\nhandler = \"todos-item\"\nstatus = 201\n[[http.route]]\npath = \"/s\"\nbody = \"x\"\nmethods = [\"POST\"]\nbody_limit = \"1KiB\"\n";
    let problems: Vec<String> = parse(&manifest, bad)
        .unwrap_err()
        .iter()
        .map(|problem| problem.message.clone())
        .collect();
    for expected in [
        "`lower` is not an environment key",
        "`/a{id}`: `a{id}` mixes text and a `{parameter}`",
        "methods are written in capitals: `GET`, not `get`",
        "`BREW` is not a method SauceOS serves",
        "`todos-item` is not a Rust function path",
        "`status` does not apply to a `handler` route",
        "only a `handler` route answers `POST`",
        "`body_limit` applies to `handler` routes only",
    ] {
        assert!(
            problems.iter().any(|problem| problem.contains(expected)),
            "{expected} in {problems:?}"
        );
    }
    std::fs::remove_dir_all(folder).unwrap();
}
