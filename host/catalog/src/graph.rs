//! The selector's result: the components of one image in initialisation order, each with the
//! reason it is there, printable as a table or JSON for `sauce plan`.

use std::fmt::Write;
use std::path::PathBuf;

use serde::Serialize;

use crate::manifest::{ComponentManifest, Stage};
use crate::request::{Platform, Reason};

/// One selected component.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SelectedComponent {
    /// Its name.
    pub name: String,
    /// Its crate's package name.
    pub package: String,
    /// Its crate's library name.
    pub library: String,
    /// Its crate's folder.
    pub folder: PathBuf,
    /// Whether it comes from `SAUCE_COMPONENT_PATH`, not the source tree.
    pub out_of_tree: bool,
    /// One line saying what it is.
    pub summary: String,
    /// Its init stage.
    pub stage: Stage,
    /// Contracts it provides.
    pub provides: Vec<String>,
    /// The selected components it requires.
    pub requires: Vec<String>,
    /// The contracts it requires (its snippet receives their variables).
    pub required_contracts: Vec<String>,
    /// The contracts it may use that a selected component provides (`Some` in its snippet).
    pub used_contracts: Vec<String>,
    /// The contracts it may use that nothing selected provides (`None` in its snippet).
    pub unused_contracts: Vec<String>,
    /// For each contract it collects, the selected components providing it, in order.
    pub collected: Vec<(String, Vec<String>)>,
    /// Its `[config.*]` entries.
    pub config: std::collections::BTreeMap<String, crate::manifest::ConfigEntry>,
    /// What it holds on the heap.
    pub memory: crate::manifest::MemoryFigures,
    /// Its wiring snippet (`board.rs.j2`), when it has one.
    #[serde(skip)]
    pub snippet: Option<String>,
    /// Why it is in the image.
    pub reason: Reason,
    /// Bytes it adds to the image, as its manifest estimates.
    pub estimated_bytes: Option<u64>,
    /// Why it needs unsafe, when it does.
    pub unsafe_reason: Option<String>,
}

impl SelectedComponent {
    pub(crate) fn new(
        manifest: &ComponentManifest,
        reason: Reason,
        requires: Vec<String>,
        used_contracts: Vec<String>,
        collected: Vec<(String, Vec<String>)>,
    ) -> Self {
        let unused_contracts = manifest
            .uses
            .iter()
            .filter(|contract| !used_contracts.contains(contract))
            .cloned()
            .collect();
        SelectedComponent {
            required_contracts: manifest.requires.clone(),
            used_contracts,
            unused_contracts,
            collected,
            config: manifest.config.clone(),
            memory: manifest.memory.clone(),
            out_of_tree: manifest.out_of_tree,
            snippet: manifest.snippet.clone(),
            name: manifest.name.clone(),
            package: manifest.package(),
            library: manifest.library(),
            folder: manifest.folder.clone(),
            summary: manifest.summary.clone(),
            stage: manifest.stage,
            provides: manifest.provides.clone(),
            requires,
            reason,
            estimated_bytes: manifest.estimated_bytes(),
            unsafe_reason: manifest.unsafe_reason.clone(),
        }
    }
}

/// The components of one image, dependencies before dependents, earlier stages first.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ComponentGraph {
    /// Where the image runs.
    pub platform: Platform,
    /// The components, in initialisation order.
    pub components: Vec<SelectedComponent>,
}

impl ComponentGraph {
    /// Whether the component `name` is selected.
    pub fn contains(&self, name: &str) -> bool {
        self.components
            .iter()
            .any(|component| component.name == name)
    }

    /// The selected component named `name`.
    pub fn get(&self, name: &str) -> Option<&SelectedComponent> {
        self.components
            .iter()
            .find(|component| component.name == name)
    }

    /// The sum of the selected components' size estimates.
    pub fn estimated_bytes(&self) -> u64 {
        self.components
            .iter()
            .filter_map(|component| component.estimated_bytes)
            .sum()
    }

    /// The plan as a table: stage, component, size, reason; then the requires edges.
    pub fn render_table(&self) -> String {
        let mut text = String::new();
        let name_width = self
            .components
            .iter()
            .map(|c| c.name.len())
            .max()
            .unwrap_or(9)
            .max(9);
        let _ = writeln!(
            text,
            "{:<8}  {:<name_width$}  {:>9}  why",
            "stage", "component", "size"
        );
        for component in &self.components {
            let size = component.estimated_bytes.map_or_else(
                || "?".to_owned(),
                |bytes| format!("{:.1} KiB", bytes as f64 / 1024.0),
            );
            let _ = writeln!(
                text,
                "{:<8}  {:<name_width$}  {:>9}  {}",
                component.stage.as_str(),
                component.name,
                size,
                component.reason.describe()
            );
        }
        let _ = writeln!(
            text,
            "{} components for {}, about {:.1} KiB above the kernel",
            self.components.len(),
            self.platform.machine.as_str(),
            self.estimated_bytes() as f64 / 1024.0
        );
        for component in self.components.iter().filter(|c| !c.requires.is_empty()) {
            let _ = writeln!(
                text,
                "  {} → {}",
                component.name,
                component.requires.join(", ")
            );
        }
        text
    }
}
