//! `sauce new NAME --template rust-api`: the to-do list API of examples/todo-api as a project of
//! one's own — renamed, with a `.gitignore` and the `.cargo/config.toml` that supplies
//! `sauce-app` — so `sauce test`, `sauce run` and plain `cargo test` work at once.
//!
//! The example is the template's one copy (templates/rust-api/README.md): its files are
//! included from examples/todo-api when sauce is compiled.

use std::path::Path;

use crate::app_patches::{self, Patch};
use crate::outcome::Failure;

/// The example's name, replaced by the project's in sauce.toml, Cargo.toml and the tests.
const EXAMPLE_NAME: &str = "todo-api";

/// The files of the template: `(path inside the project, contents)`, the sauce.toml first.
pub fn files() -> Vec<(&'static str, &'static [u8])> {
    vec![
        (
            "sauce.toml",
            include_bytes!("../../../examples/todo-api/sauce.toml"),
        ),
        (
            "Cargo.toml",
            include_bytes!("../../../examples/todo-api/Cargo.toml"),
        ),
        (
            "src/lib.rs",
            include_bytes!("../../../examples/todo-api/src/lib.rs"),
        ),
        (
            "src/todos.rs",
            include_bytes!("../../../examples/todo-api/src/todos.rs"),
        ),
        (
            "tests/contract.rs",
            include_bytes!("../../../examples/todo-api/tests/contract.rs"),
        ),
        (
            "tests/model.rs",
            include_bytes!("../../../examples/todo-api/tests/model.rs"),
        ),
        (
            ".gitignore",
            include_bytes!("../templates/rust-api/gitignore"),
        ),
    ]
}

/// Names that would make the crate collide with one it depends on or with Rust's own.
const TAKEN: [&str; 8] = [
    "serde",
    "serde_json",
    "proptest",
    "sauce_app",
    "std",
    "core",
    "alloc",
    "test",
];

/// Why `name` cannot name a project of this template, if it cannot.
pub fn name_problem(name: &str) -> Option<String> {
    let library = name.replace('-', "_");
    TAKEN.contains(&library.as_str()).then(|| {
        format!(
            "`{name}` would name the app's crate like one it uses (`{library}`); try `{name}-app`"
        )
    })
}

/// `contents` of the file at `relative` for the project `name`: the package renamed in
/// Cargo.toml, the crate renamed in the tests; other files as they are. (sauce.toml's
/// `[app] name` is renamed by `sauce new` for every template.)
pub fn renamed(relative: &str, contents: &[u8], name: &str) -> Vec<u8> {
    let text = String::from_utf8_lossy(contents);
    let renamed = if relative == "Cargo.toml" {
        text.replacen(
            &format!("name = \"{EXAMPLE_NAME}\""),
            &format!("name = \"{name}\""),
            1,
        )
    } else if relative.starts_with("tests/") {
        text.replace(&EXAMPLE_NAME.replace('-', "_"), &name.replace('-', "_"))
    } else {
        return contents.to_vec();
    };
    renamed.into_bytes()
}

/// Writes the project's `.cargo/config.toml`, pointing `sauce-app` at sauce's sources.
pub fn finish(folder: &Path) -> Result<(), Failure> {
    let source_root = sauce_builder::locations::source_root()
        .map_err(|error| Failure::environment(error.to_string()))?;
    let patches = [Patch {
        package: "sauce-app",
        path: source_root.join("kernel").join("app"),
    }];
    app_patches::refresh(folder, &patches, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_project_is_renamed_everywhere_the_example_names_itself() {
        for (relative, contents) in files() {
            let renamed = String::from_utf8(renamed(relative, contents, "shop-list")).unwrap();
            if relative == "Cargo.toml" {
                assert!(renamed.contains("name = \"shop-list\""), "{renamed}");
                assert!(renamed.contains("sauce-app = \"0.1\"") && renamed.contains("[workspace]"));
            }
            if relative.starts_with("tests/") {
                assert!(
                    !renamed.contains("todo_api") && renamed.contains("use shop_list::"),
                    "{relative}"
                );
            }
        }
        assert_eq!(files()[0].0, "sauce.toml");
    }

    #[test]
    fn names_of_its_dependencies_are_refused() {
        assert!(name_problem("serde").is_some() && name_problem("serde-json").is_some());
        assert!(name_problem("shop").is_none());
    }
}
