//! The generated `Cargo.toml`: one binary named after the app, path dependencies on the runtime
//! and the selected components only, and the release profile `[build] optimize` asks for.

use std::path::Path;

use minijinja::context;
use serde::Serialize;

use sauce_catalog::ComponentGraph;
use sauce_intent::{Intent, Optimize};

use crate::literal::{comment_safe_path, toml_string};

/// The name of the generated package for an app.
pub fn package_name(intent: &Intent) -> String {
    format!("sauce-app-{}", intent.app.name)
}

/// The `opt-level` for an optimisation goal: `"s"` for size, `3` for speed.
pub fn opt_level(optimize: Optimize) -> &'static str {
    match optimize {
        Optimize::Size => "\"s\"",
        Optimize::Speed => "3",
    }
}

#[derive(Serialize)]
struct Dependency {
    package: String,
    path: String,
}

/// Renders the `Cargo.toml` for `intent` and `graph`, depending on sources under `source_root`.
pub fn render(
    intent: &Intent,
    graph: &ComponentGraph,
    source_root: &Path,
) -> Result<String, minijinja::Error> {
    let runtime = Dependency {
        package: "sauce-runtime".to_owned(),
        path: toml_string(&source_root.join("kernel/runtime").display().to_string()),
    };
    let components = graph.components.iter().map(|component| {
        // Out-of-tree components (SAUCE_COMPONENT_PATH) are where the catalog found them.
        let folder = if component.out_of_tree {
            component.folder.clone()
        } else {
            source_root.join("components").join(&component.name)
        };
        Dependency {
            package: component.package.clone(),
            path: toml_string(&folder.display().to_string()),
        }
    });
    let dependencies: Vec<Dependency> = std::iter::once(runtime).chain(components).collect();
    // The app crate names the clients of its databases by version (`sauce-postgres = "0.1"`):
    // sauce supplies them from the same sources the board uses.
    let clients: Vec<&str> = intent
        .databases
        .iter()
        .map(|database| database.kind.crate_name())
        .collect();
    let patched: Vec<&Dependency> = dependencies
        .iter()
        .filter(|dependency| clients.contains(&dependency.package.as_str()))
        .collect();
    let app = intent.app.code.as_ref().map(|code| {
        let package = crate::app::package_name(&code.folder).unwrap_or_else(|| "app".to_owned());
        context! {
            package => toml_string(&package),
            path => toml_string(&code.folder.display().to_string()),
            api_path => toml_string(&source_root.join("kernel/app").display().to_string()),
            patched,
        }
    });
    crate::templates::render(
        "Cargo.toml.j2",
        context! {
            manifest => comment_safe_path(&intent.manifest_path),
            package => package_name(intent),
            name => intent.app.name.to_string(),
            dependencies,
            app,
            optimize => intent.build.optimize.as_str(),
            opt_level => opt_level(intent.build.optimize),
        },
    )
}
