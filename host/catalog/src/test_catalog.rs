//! Small catalogs for the selector's tests.

use crate::manifest::{ComponentManifest, Stage};

/// A manifest named `name` providing `provides`, requiring `requires`, at `stage`.
pub fn manifest(
    name: &str,
    provides: &[&str],
    requires: &[&str],
    stage: &str,
) -> ComponentManifest {
    let list = |items: &[&str]| items.iter().map(|item| item.to_string()).collect();
    ComponentManifest {
        name: name.to_owned(),
        crate_package: None,
        summary: format!("test component {name}"),
        provides: list(provides),
        requires: list(requires),
        uses: Vec::new(),
        collects: Vec::new(),
        within: Vec::new(),
        conflicts: Vec::new(),
        stage: stage_named(stage),
        unsafe_reason: None,
        allocation: None,
        estimated_size: None,
        config: Default::default(),
        memory: Default::default(),
        snippet: None,
        folder: format!("/src/components/{name}").into(),
        out_of_tree: false,
    }
}

fn stage_named(stage: &str) -> Stage {
    match stage {
        "early" => Stage::Early,
        "platform" => Stage::Platform,
        "memory" => Stage::Memory,
        "driver" => Stage::Driver,
        "protocol" => Stage::Protocol,
        "net" => Stage::Net,
        _ => Stage::App,
    }
}
