//! Broken app crates: each problem is reported at its sauce.toml line, naming the Rust item.

use std::path::{Path, PathBuf};

use sauce_intent::Diagnostic;

const SAUCE_TOML: &str = r#"[app]
name = "shop"
code = "."
init = "init"

[[http.route]]
path = "/items"
handler = "items::list"

[[app.every]]
seconds = 5
task = "items::tidy"
"#;

const CARGO_TOML: &str = r#"[package]
name = "shop"
version = "0.1.0"
edition = "2021"

[dependencies]
sauce-app = "0.1"
serde = { version = "1", default-features = false, features = ["alloc", "derive"] }

[workspace]
"#;

const LIB_RS: &str = "#![no_std]
#![forbid(unsafe_code)]

extern crate alloc;

pub mod items;

pub struct App {
    pub count: u32,
}

pub fn init() -> App {
    App { count: 0 }
}
";

const ITEMS_RS: &str = "use sauce_app::{Request, Response, Result};

use crate::App;

pub async fn list(_request: Request, _app: &'static App) -> Result {
    Ok(Response::text(\"none\"))
}

pub async fn tidy(_app: &'static App) {}
";

/// A project in a temporary folder: the files above with `changes` (path, contents) applied.
struct Project {
    folder: tempfile::TempDir,
}

impl Project {
    fn with(changes: &[(&str, &str)]) -> Project {
        let folder = tempfile::tempdir().unwrap();
        let mut files = vec![
            ("sauce.toml", SAUCE_TOML),
            ("Cargo.toml", CARGO_TOML),
            ("src/lib.rs", LIB_RS),
            ("src/items.rs", ITEMS_RS),
        ];
        for (path, contents) in changes {
            files.retain(|(existing, _)| existing != path);
            files.push((path, contents));
        }
        for (path, contents) in files {
            let path = folder.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, contents).unwrap();
        }
        Project { folder }
    }

    fn root(&self) -> PathBuf {
        self.folder.path().canonicalize().unwrap()
    }

    fn diagnostics(&self) -> Vec<Diagnostic> {
        let intent = sauce_intent::load(self.folder.path()).unwrap();
        sauce_app_check::check(&intent)
    }

    /// The one diagnostic, asserted to be at sauce.toml line `line` and to mention `needle`.
    fn one_at(&self, line: usize, needles: &[&str]) -> Diagnostic {
        let diagnostics = self.diagnostics();
        let shown = sauce_intent::render::render_all(&diagnostics, false);
        assert_eq!(diagnostics.len(), 1, "{shown}");
        let diagnostic = diagnostics.into_iter().next().unwrap();
        assert_eq!(diagnostic.path, self.root().join("sauce.toml"), "{shown}");
        assert_eq!(diagnostic.line, line, "{shown}");
        for needle in needles {
            let text = format!(
                "{} {}",
                diagnostic.message,
                diagnostic.hint.clone().unwrap_or_default()
            );
            assert!(text.contains(needle), "`{needle}` is not in:\n{shown}");
        }
        diagnostic
    }
}

fn replaced(text: &str, from: &str, to: &str) -> String {
    assert!(text.contains(from), "{from}");
    text.replacen(from, to, 1)
}

#[test]
fn the_fixture_itself_passes() {
    let project = Project::with(&[]);
    assert!(project.diagnostics().is_empty());
}

#[test]
fn a_misspelt_handler_is_found_and_a_name_suggested() {
    let toml = replaced(SAUCE_TOML, "items::list", "items::lsit");
    let project = Project::with(&[("sauce.toml", &toml)]);
    project.one_at(
        8,
        &[
            "handler `items::lsit`",
            "src/items.rs",
            "no function `lsit`",
            "did you mean `list`?",
        ],
    );
    let toml = replaced(SAUCE_TOML, "items::list", "itmes::list");
    let project = Project::with(&[("sauce.toml", &toml)]);
    project.one_at(
        8,
        &["src/lib.rs", "no module `itmes`", "did you mean `items`?"],
    );
}

#[test]
fn a_wrong_handler_signature_names_the_function_and_its_line() {
    let source = replaced(
        ITEMS_RS,
        "pub async fn list(_request: Request, _app: &'static App) -> Result {",
        "pub fn list(_request: Request, _app: &'static mut App) -> Response {",
    );
    let project = Project::with(&[("src/items.rs", &source)]);
    let diagnostic = project.one_at(
        8,
        &[
            "src/items.rs:5",
            "not `async`",
            "`&'static mut App`",
            "returns `Response`, not `Result`",
            "pub async fn list(request: Request, state: &'static App) -> Result",
        ],
    );
    assert_eq!(diagnostic.column, 11, "{diagnostic}");
}

#[test]
fn state_must_be_what_init_makes() {
    let source = replaced(
        ITEMS_RS,
        "_app: &'static App) -> Result",
        "_app: &'static Other) -> Result",
    );
    let project = Project::with(&[("src/items.rs", &source)]);
    project.one_at(8, &["takes `&'static Other` but `init` makes `App`"]);
    let toml = replaced(SAUCE_TOML, "init = \"init\"\n", "");
    let project = Project::with(&[("sauce.toml", &toml)]);
    let diagnostics = project.diagnostics();
    assert_eq!(
        diagnostics.len(),
        2,
        "{}",
        sauce_intent::render::render_all(&diagnostics, false)
    );
    assert!(diagnostics
        .iter()
        .all(|diagnostic| diagnostic.message.contains("no `[app] init`")));
}

#[test]
fn init_and_tasks_have_their_own_shapes() {
    let source = replaced(
        LIB_RS,
        "pub fn init() -> App {",
        "pub async fn init(count: u32) -> App {",
    );
    let project = Project::with(&[("src/lib.rs", &source)]);
    project.one_at(
        4,
        &[
            "`init` function `init` (src/lib.rs:12)",
            "is `async`",
            "takes 1 parameters",
        ],
    );
    let source = replaced(
        ITEMS_RS,
        "pub async fn tidy(_app: &'static App) {}",
        "pub async fn tidy(_app: &'static App) -> u32 { 0 }",
    );
    let project = Project::with(&[("src/items.rs", &source)]);
    project.one_at(
        12,
        &[
            "periodic task `items::tidy` (src/items.rs:9)",
            "returns `u32`",
        ],
    );
}

#[test]
fn private_functions_and_modules_are_named() {
    let source = replaced(LIB_RS, "pub mod items;", "mod items;");
    let project = Project::with(&[("src/lib.rs", &source)]);
    let diagnostics = project.diagnostics();
    assert_eq!(diagnostics.len(), 2);
    assert!(
        diagnostics[0]
            .message
            .contains("module `items` is not `pub` (src/lib.rs:6)"),
        "{}",
        diagnostics[0]
    );
    let source = replaced(ITEMS_RS, "pub async fn list", "pub(crate) async fn list");
    let project = Project::with(&[("src/items.rs", &source)]);
    project.one_at(8, &["src/items.rs:5", "is not `pub`"]);
}

#[test]
fn something_that_is_not_a_function() {
    let source = format!("{ITEMS_RS}\npub struct Lister;\n");
    let toml = replaced(SAUCE_TOML, "items::list", "items::Lister");
    let project = Project::with(&[("sauce.toml", &toml), ("src/items.rs", &source)]);
    project.one_at(8, &["names a struct (src/items.rs:11)"]);
}

#[test]
fn a_missing_no_std_and_unforbidden_unsafe_point_at_code_and_the_crate_root() {
    let source = replaced(LIB_RS, "#![no_std]\n", "");
    let project = Project::with(&[("src/lib.rs", &source)]);
    project.one_at(3, &["src/lib.rs:1", "no `#![no_std]`"]);
    let source = replaced(LIB_RS, "#![forbid(unsafe_code)]\n", "");
    let project = Project::with(&[("src/lib.rs", &source)]);
    project.one_at(
        3,
        &[
            "src/lib.rs:1",
            "does not forbid `unsafe`",
            "allow_unsafe = true",
        ],
    );
    let toml = replaced(
        SAUCE_TOML,
        "code = \".\"",
        "code = \".\"\nallow_unsafe = true",
    );
    let project = Project::with(&[("src/lib.rs", &source), ("sauce.toml", &toml)]);
    assert!(project.diagnostics().is_empty());
}

#[test]
fn dependencies_that_need_std_are_named_with_their_cargo_toml_line() {
    let manifest = replaced(CARGO_TOML, "[workspace]", "tokio = \"1\"\n\n[workspace]");
    let project = Project::with(&[("Cargo.toml", &manifest)]);
    project.one_at(
        3,
        &[
            "dependency `tokio` (Cargo.toml:10)",
            "cannot run in a SauceOS image",
        ],
    );
    let manifest = replaced(
        CARGO_TOML,
        "serde = { version = \"1\", default-features = false,",
        "serde = { version = \"1\",",
    );
    let project = Project::with(&[("Cargo.toml", &manifest)]);
    project.one_at(
        3,
        &[
            "dependency `serde` (Cargo.toml:8)",
            "default features",
            "default-features = false",
        ],
    );
    let manifest = replaced(
        CARGO_TOML,
        "[workspace]",
        "frobnicate = \"1\"\n\n[workspace]",
    );
    let project = Project::with(&[("Cargo.toml", &manifest)]);
    project.one_at(
        3,
        &["`frobnicate` (Cargo.toml:10)", "no_std = [\"frobnicate\"]"],
    );
    let vouched = replaced(
        &manifest,
        "[dependencies]",
        "[package.metadata.sauce]\nno_std = [\"frobnicate\"]\n\n[dependencies]",
    );
    let project = Project::with(&[("Cargo.toml", &vouched)]);
    assert!(project.diagnostics().is_empty());
    let manifest = replaced(
        CARGO_TOML,
        "sauce-app = \"0.1\"",
        "sauce-app = { version = \"0.1\", features = [\"std\"] }",
    );
    let project = Project::with(&[("Cargo.toml", &manifest)]);
    project.one_at(3, &["`sauce-app` (Cargo.toml:7)", "[dev-dependencies]"]);
}

#[test]
fn reexports_inline_modules_and_module_folders_are_followed() {
    let lib = replaced(LIB_RS, "pub mod items;", "mod items;\npub use items::{list as listing, tidy};\npub mod nested {\n    pub mod deeper;\n}");
    let toml = replaced(SAUCE_TOML, "items::list", "listing");
    let toml = replaced(&toml, "items::tidy", "nested::deeper::tick");
    let deeper = "use crate::App;\npub async fn tick(_app: &App) {}\n";
    let project = Project::with(&[
        ("src/lib.rs", &lib),
        ("sauce.toml", &toml),
        ("src/nested/deeper/mod.rs", deeper),
    ]);
    let diagnostics = project.diagnostics();
    assert!(
        diagnostics.is_empty(),
        "{}",
        sauce_intent::render::render_all(&diagnostics, false)
    );
}

#[test]
fn what_macros_may_define_is_left_to_the_compiler() {
    let source = format!("{ITEMS_RS}\nsome_macro!(make_more);\n");
    let toml = replaced(SAUCE_TOML, "items::list", "items::made_by_the_macro");
    let project = Project::with(&[("src/items.rs", &source), ("sauce.toml", &toml)]);
    assert!(project.diagnostics().is_empty());
}

#[test]
fn a_file_that_does_not_parse_is_reported_in_that_file() {
    let source = replaced(
        ITEMS_RS,
        "pub async fn tidy(_app: &'static App) {}",
        "pub async fn tidy(_app: &'static App) {",
    );
    let project = Project::with(&[("src/items.rs", &source)]);
    let diagnostics = project.diagnostics();
    assert_eq!(
        diagnostics.len(),
        1,
        "{}",
        sauce_intent::render::render_all(&diagnostics, false)
    );
    assert_eq!(diagnostics[0].path, project.root().join("src/items.rs"));
    assert!(diagnostics[0].message.contains("does not parse"));
}

#[test]
fn an_intent_without_code_has_nothing_to_check() {
    let folder = tempfile::tempdir().unwrap();
    std::fs::write(
        folder.path().join("sauce.toml"),
        "[app]\nname = \"plain\"\n",
    )
    .unwrap();
    let intent = sauce_intent::load(folder.path()).unwrap();
    assert!(sauce_app_check::check(&intent).is_empty());
    let _: &Path = folder.path();
}

#[test]
fn cycles_deep_nesting_and_odd_files_end_without_a_false_alarm() {
    let mut lib = String::from(LIB_RS);
    lib.push_str("#[path = \"lib.rs\"]\npub mod again;\n");
    let mut nested = String::new();
    for _ in 0..40 {
        nested.push_str("pub mod inner {\n");
    }
    nested.push_str(&"}\n".repeat(40));
    lib.push_str(&nested);
    lib.push_str("pub mod missing_file;\n");
    let toml = replaced(SAUCE_TOML, "items::list", "again::items::list");
    let project = Project::with(&[("src/lib.rs", &lib), ("sauce.toml", &toml)]);
    let diagnostics = project.diagnostics();
    assert!(
        diagnostics.is_empty(),
        "{}",
        sauce_intent::render::render_all(&diagnostics, false)
    );
    let project = Project::with(&[("src/items.rs", "\u{0}\u{1}binary\u{ff}")]);
    let diagnostics = project.diagnostics();
    assert!(diagnostics
        .iter()
        .all(|diagnostic| diagnostic.message.contains("does not parse")));
}
