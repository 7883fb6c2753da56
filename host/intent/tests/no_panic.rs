//! Property tests: no text makes `parse` panic, whether arbitrary or a valid intent mutated, and
//! what comes back is well formed (diagnostics sorted, inside the text, renderable; valid
//! intents keep the model's invariants).

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use sauce_intent::{diagnostics_to_json, parse, Intent, RouteResponse};

/// Fragments that steer mutations towards the checker's corners.
const FRAGMENTS: &[&str] = &[
    "[",
    "]",
    "[[http.route]]",
    "[http.not_found]",
    "[network]",
    "[target]",
    "\"",
    "'",
    "=",
    "\n",
    "\r\n",
    "\t",
    ".",
    "{",
    "}",
    ",",
    "path = \"/*\"",
    "dir = \"public\"",
    "file = \"../x\"",
    "json = ",
    "redirect = \"//\"",
    "%",
    "%zz",
    "%2A",
    "..",
    "nan",
    "-inf",
    "1e400",
    "-1",
    "99999999999999999999",
    "0x7f",
    "é",
    "\u{0}",
    "dhcp",
    "/0",
    "/33",
    "status = 204",
    "vmm = \"firecracker\"",
    "machine = \"q35\"",
    "memory = \"0KiB\"",
    "2025-01-31T10:00:00Z",
];

fn manifests() -> Vec<(PathBuf, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let mut manifests = Vec::new();
    for folder in ["valid/static-site", "valid/json-api", "valid/firecracker"] {
        let path = root.join(folder).join("sauce.toml");
        let source = std::fs::read_to_string(&path).unwrap();
        manifests.push((path, source));
    }
    manifests
}

#[derive(Clone, Debug)]
enum Mutation {
    Delete { at: usize, length: usize },
    Insert { at: usize, fragment: usize },
    Duplicate { at: usize, length: usize },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), 1usize..20).prop_map(|(at, length)| Mutation::Delete { at, length }),
        (any::<usize>(), 0..FRAGMENTS.len())
            .prop_map(|(at, fragment)| Mutation::Insert { at, fragment }),
        (any::<usize>(), 1usize..80).prop_map(|(at, length)| Mutation::Duplicate { at, length }),
    ]
}

/// `source` with `mutation` applied at a character boundary.
fn mutated(source: &str, mutation: &Mutation) -> String {
    let boundary = |at: usize| {
        let mut at = at % (source.len() + 1);
        while !source.is_char_boundary(at) {
            at -= 1;
        }
        at
    };
    match *mutation {
        Mutation::Delete { at, length } => {
            let start = boundary(at);
            let end = boundary(start.saturating_add(length).min(source.len()));
            format!("{}{}", &source[..start], &source[end.max(start)..])
        }
        Mutation::Insert { at, fragment } => {
            let at = boundary(at);
            format!("{}{}{}", &source[..at], FRAGMENTS[fragment], &source[at..])
        }
        Mutation::Duplicate { at, length } => {
            let start = boundary(at);
            let end = boundary(start.saturating_add(length).min(source.len())).max(start);
            format!("{}{}", &source[..end], &source[start..])
        }
    }
}

/// Parses `source` as the sauce.toml at `path` and checks the shape of the answer.
fn check(path: &Path, source: &str) {
    match parse(path, source) {
        Ok(intent) => check_intent(&intent),
        Err(diagnostics) => {
            assert!(!diagnostics.is_empty());
            let lines = source.split('\n').count();
            let positions: Vec<(usize, usize)> = diagnostics
                .iter()
                .map(|found| (found.line, found.column))
                .collect();
            assert!(
                positions.windows(2).all(|pair| pair[0] <= pair[1]),
                "sorted: {positions:?}"
            );
            for diagnostic in &diagnostics {
                assert!((1..=lines).contains(&diagnostic.line), "{diagnostic:?}");
                assert!(diagnostic.column >= 1 && !diagnostic.message.is_empty());
                // Shown with its control characters escaped (render::visible).
                let shown = sauce_intent::render::visible(&diagnostic.message);
                assert!(diagnostic.to_string().contains(&*shown));
            }
            let json: serde_json::Value =
                serde_json::from_str(&diagnostics_to_json(&diagnostics)).unwrap();
            assert_eq!(json.as_array().map(Vec::len), Some(diagnostics.len()));
        }
    }
}

fn check_intent(intent: &Intent) {
    if let Some(http) = &intent.http {
        assert!(!http.routes.is_empty());
        assert!(http.port >= 1);
        for route in &http.routes {
            assert!(route.path.starts_with('/'));
            match &route.response {
                RouteResponse::File(path) => assert!(path.is_absolute() && path.is_file()),
                RouteResponse::Dir(path) => assert!(path.is_dir() && route.prefix().is_some()),
                RouteResponse::Json(text) => {
                    serde_json::from_str::<serde_json::Value>(text).unwrap();
                }
                RouteResponse::Redirect(_) => {
                    assert!([301, 302, 303, 307, 308].contains(&route.status))
                }
                RouteResponse::Body(_) => assert!((200..=599).contains(&route.status)),
                RouteResponse::Handler(function) => {
                    assert!(sauce_intent::app_code::is_rust_path(function));
                    assert!(intent.app.code.is_some());
                }
            }
        }
    }
    assert_eq!(intent.resources.vcpus, 1);
    assert!(intent.line_of("app.name").is_some());
}

proptest! {
    // 512 cases each unless PROPTEST_CASES says otherwise.
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|cases| cases.parse().ok()).unwrap_or(512)
    ))]

    #[test]
    fn arbitrary_text_never_panics(source in any::<String>()) {
        check(Path::new("/nonexistent/sauce.toml"), &source);
    }

    #[test]
    fn toml_like_text_never_panics(source in "[\\[\\]a-z_.=\"'{}, \n0-9/*%-]{0,300}") {
        check(Path::new("/nonexistent/sauce.toml"), &source);
    }

    #[test]
    fn mutated_valid_intents_never_panic(which in 0usize..3, mutations in prop::collection::vec(mutation(), 1..6)) {
        let (path, mut source) = manifests().swap_remove(which);
        for mutation in &mutations {
            source = mutated(&source, mutation);
        }
        check(&path, &source);
    }
}
