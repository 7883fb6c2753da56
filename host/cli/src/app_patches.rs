//! Where sauce supplies an app crate's SauceOS dependencies from: `sauce-app` and the clients
//! of the intent's databases, patched to sauce's own sources (record 0016, decision 1) on
//! cargo's command line and in the project's `.cargo/config.toml`.

use std::path::{Path, PathBuf};

use sauce_intent::Intent;

use crate::outcome::Failure;

/// The first line of a `.cargo/config.toml` sauce wrote (and so may rewrite).
pub const MARKER: &str =
    "# Written by sauce: it points cargo at the SauceOS sources this sauce uses.";

/// One crate sauce supplies.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Patch {
    /// Its package name (`sauce-app`).
    pub package: &'static str,
    /// Its folder in the SauceOS sources.
    pub path: PathBuf,
}

/// The crates sauce supplies to the app of `intent`, from the sources at `source_root`.
pub fn for_intent(intent: &Intent, source_root: &Path) -> Vec<Patch> {
    let mut patches = vec![Patch {
        package: "sauce-app",
        path: source_root.join("kernel").join("app"),
    }];
    for database in &intent.databases {
        let patch = Patch {
            package: database.kind.crate_name(),
            path: source_root
                .join("components")
                .join(database.kind.component()),
        };
        if !patches.contains(&patch) {
            patches.push(patch);
        }
    }
    patches
}

/// `--config 'patch.crates-io.NAME.path = "…"'` for each patch.
pub fn config_arguments(patches: &[Patch]) -> Vec<String> {
    patches
        .iter()
        .flat_map(|patch| ["--config".to_owned(), patch_line(patch)])
        .collect()
}

/// The text of the project's `.cargo/config.toml`.
pub fn cargo_config(patches: &[Patch]) -> String {
    let mut text = format!(
        "{MARKER}\n# `sauce new` and `sauce test` rewrite it; plain `cargo test` and rust-analyzer read it.\n# Your own cargo settings belong in a file without this first line.\n[patch.crates-io]\n"
    );
    for patch in patches {
        text.push_str(&format!(
            "{}.path = {}\n",
            patch.package,
            quoted(&patch.path)
        ));
    }
    text
}

/// Writes `cargo_config(patches)` into `folder/.cargo/config.toml` when that file is missing
/// while `create` holds, or was written by sauce and says something else (sauce moved); a file
/// of the user's own is never touched.
pub fn refresh(folder: &Path, patches: &[Patch], create: bool) -> Result<(), Failure> {
    let path = folder.join(".cargo").join("config.toml");
    let wanted = cargo_config(patches);
    match std::fs::read_to_string(&path) {
        Ok(text) if !text.starts_with(MARKER) || text == wanted => return Ok(()),
        Ok(_) => {}
        Err(_) if !create => return Ok(()),
        Err(_) => {}
    }
    let fail = |error: std::io::Error| {
        Failure::environment(format!(
            "cannot write `{}`: {error}; check the folder's permissions",
            path.display()
        ))
    };
    std::fs::create_dir_all(folder.join(".cargo")).map_err(fail)?;
    std::fs::write(&path, wanted).map_err(fail)
}

fn patch_line(patch: &Patch) -> String {
    format!(
        "patch.crates-io.{}.path = {}",
        patch.package,
        quoted(&patch.path)
    )
}

/// `path` as a TOML basic string (JSON's string escapes are a subset of TOML's).
fn quoted(path: &Path) -> String {
    serde_json::Value::String(path.display().to_string()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn patches() -> Vec<Patch> {
        vec![Patch {
            package: "sauce-app",
            path: PathBuf::from("/opt/sauce \"src\"/kernel/app"),
        }]
    }

    #[test]
    fn patches_are_quoted_for_toml() {
        assert_eq!(
            config_arguments(&patches()),
            [
                "--config",
                "patch.crates-io.sauce-app.path = \"/opt/sauce \\\"src\\\"/kernel/app\""
            ]
        );
        let text = cargo_config(&patches());
        assert!(text.starts_with(MARKER));
        assert!(text.ends_with(
            "[patch.crates-io]\nsauce-app.path = \"/opt/sauce \\\"src\\\"/kernel/app\"\n"
        ));
    }

    #[test]
    fn only_sauces_own_config_is_rewritten() {
        let folder = std::env::temp_dir().join(format!("sauce-patches-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&folder);
        std::fs::create_dir_all(&folder).unwrap();
        let path = folder.join(".cargo/config.toml");
        refresh(&folder, &patches(), false).unwrap();
        assert!(!path.exists());
        refresh(&folder, &patches(), true).unwrap();
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            cargo_config(&patches())
        );
        let moved = vec![Patch {
            package: "sauce-app",
            path: PathBuf::from("/elsewhere/kernel/app"),
        }];
        refresh(&folder, &moved, false).unwrap();
        assert!(std::fs::read_to_string(&path)
            .unwrap()
            .contains("/elsewhere/"));
        std::fs::write(&path, "[build]\njobs = 1\n").unwrap();
        refresh(&folder, &patches(), true).unwrap();
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "[build]\njobs = 1\n"
        );
        std::fs::remove_dir_all(&folder).unwrap();
    }
}
