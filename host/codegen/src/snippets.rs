//! Each selected component's snippet (`components/<name>/board.rs.j2`), rendered once per
//! section with what its manifest declares (record 0014):
//!
//! - `provides.<contract>`: the variable it binds for each contract it provides (`net_device`;
//!   for a contract some component collects, the variable is named after the provider,
//!   `http_service`; with a leading `_` when no selected snippet takes it);
//! - `requires.<contract>`: the variable of each contract it requires;
//! - `uses.<contract>`: `Some(variable)` or `None` for each contract it may use;
//! - `collects.<contract>`: the variables of every provider of a contract it collects;
//! - `peers.<contract>`: how many selected components provide a contract it provides;
//! - `constant`: its configuration constant (`HTTP_SERVER`), when it has `[config.*]`;
//! - `board`: the app's name, the intent's `[http]` routes and files, its app code, and its
//!   `[[database]]`s.
//!
//! Undefined names are errors, so a snippet cannot reach a variable its manifest does not
//! declare. Sections: `items` (statics), `init` (its lines in the board, stage by stage),
//! `grow` (the heap's, after the drivers), `ready` (after the image is ready), `run` (tasks
//! spawned), `finish` (the call that never returns; one component at most).

use std::collections::BTreeMap;

use minijinja::context;
use serde::Serialize;

use sauce_catalog::{ComponentGraph, SelectedComponent};

use crate::configuration::ConfigurationView;
use crate::model::HttpView;
use crate::GenerateError;

/// The sections of a snippet, in the order the board places them.
pub const SECTIONS: [&str; 6] = ["items", "init", "grow", "ready", "run", "finish"];

/// One component's rendered sections (empty when its snippet has none).
#[derive(Clone, Debug, Default, Serialize)]
pub struct Sections {
    /// Statics and constants.
    pub items: String,
    /// Its lines in the board function, in stage order.
    pub init: String,
    /// The heap's growth into the RAM the drivers left.
    pub grow: String,
    /// Lines after `platform.ready()`.
    pub ready: String,
    /// Tasks spawned on the executor.
    pub run: String,
    /// The call that never returns.
    pub finish: String,
}

/// What every snippet may read of the board.
#[derive(Clone, Debug, Serialize)]
pub struct BoardContext {
    /// `[app] name`.
    pub name: String,
    /// The intent's `[http]` routes and files, when present.
    pub http: Option<HttpView>,
    /// The app's own code, when present.
    pub app: Option<crate::app::AppView>,
    /// The intent's `[[database]]`s, for their kinds' client components.
    pub databases: Vec<crate::database::DatabaseView>,
}

/// The variable of `contract`: `net-device` is `net_device`.
pub fn variable(contract: &str) -> String {
    contract.replace('-', "_")
}

/// Contracts some selected component collects.
fn collected_contracts(graph: &ComponentGraph) -> Vec<&str> {
    graph
        .components
        .iter()
        .flat_map(|component| {
            component
                .collected
                .iter()
                .map(|(contract, _)| contract.as_str())
        })
        .collect()
}

/// The variable `provider` binds for `contract`, before the unused prefix.
fn bound_name(contract: &str, provider: &str, collected: &[&str]) -> String {
    if collected.contains(&contract) {
        variable(provider)
    } else {
        variable(contract)
    }
}

/// Whether some selected snippet takes `contract`'s variable, or its provider's uses it again
/// after binding it.
fn taken(graph: &ComponentGraph, provider: &SelectedComponent, contract: &str) -> bool {
    let name = variable(contract);
    let own = provider.snippet.as_deref().unwrap_or("");
    if own.matches(&format!("provides.{name}")).count() > 1 {
        return true;
    }
    graph.components.iter().any(|component| {
        let snippet = component.snippet.as_deref().unwrap_or("");
        ["requires", "uses", "collects"]
            .iter()
            .any(|map| snippet.contains(&format!("{map}.{name}")))
            && (component.required_contracts.iter().any(|c| c == contract)
                || component.used_contracts.iter().any(|c| c == contract)
                || component.collected.iter().any(|(c, _)| c == contract))
    })
}

/// The variable the selected provider of `contract` bound, if one is selected.
fn provider_variable(graph: &ComponentGraph, contract: &str, collected: &[&str]) -> Option<String> {
    let provider = graph
        .components
        .iter()
        .find(|component| component.provides.iter().any(|c| c == contract))?;
    Some(bound_name(contract, &provider.name, collected))
}

#[derive(Serialize)]
struct ComponentContext {
    name: String,
    constant: Option<String>,
    provides: BTreeMap<String, String>,
    requires: BTreeMap<String, String>,
    uses: BTreeMap<String, String>,
    collects: BTreeMap<String, Vec<String>>,
    peers: BTreeMap<String, usize>,
}

fn component_context(
    graph: &ComponentGraph,
    component: &SelectedComponent,
    configurations: &[ConfigurationView],
) -> ComponentContext {
    let collected = collected_contracts(graph);
    let provides = component
        .provides
        .iter()
        .map(|contract| {
            let name = bound_name(contract, &component.name, &collected);
            let name = if taken(graph, component, contract) {
                name
            } else {
                format!("_{name}")
            };
            (variable(contract), name)
        })
        .collect();
    let requires = component
        .required_contracts
        .iter()
        .filter_map(|contract| {
            Some((
                variable(contract),
                provider_variable(graph, contract, &collected)?,
            ))
        })
        .collect();
    let uses = component
        .used_contracts
        .iter()
        .filter_map(|contract| {
            let name = provider_variable(graph, contract, &collected)?;
            Some((variable(contract), format!("Some({name})")))
        })
        .chain(
            component
                .unused_contracts
                .iter()
                .map(|contract| (variable(contract), "None".to_owned())),
        )
        .collect();
    let collects = component
        .collected
        .iter()
        .map(|(contract, providers)| {
            (
                variable(contract),
                providers
                    .iter()
                    .map(|provider| variable(provider))
                    .collect(),
            )
        })
        .collect();
    let peers = component
        .provides
        .iter()
        .map(|contract| {
            let providers = graph
                .components
                .iter()
                .filter(|other| other.provides.contains(contract))
                .count();
            (variable(contract), providers)
        })
        .collect();
    ComponentContext {
        peers,
        name: component.name.clone(),
        constant: configurations
            .iter()
            .find(|configuration| configuration.component == component.name)
            .map(|configuration| configuration.constant.clone()),
        provides,
        requires,
        uses,
        collects,
    }
}

/// The environment snippets render in: block tags leave no blank lines; undefined names are
/// errors.
fn environment() -> minijinja::Environment<'static> {
    let mut environment = minijinja::Environment::new();
    environment.set_trim_blocks(true);
    environment.set_lstrip_blocks(true);
    environment.set_keep_trailing_newline(true);
    environment.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    environment
}

/// Every selected component's sections, in the graph's order.
pub fn render_all(
    graph: &ComponentGraph,
    configurations: &[ConfigurationView],
    board: &BoardContext,
) -> Result<Vec<Sections>, GenerateError> {
    let environment = environment();
    graph
        .components
        .iter()
        .map(|component| {
            let Some(snippet) = component.snippet.as_deref() else {
                return Ok(Sections::default());
            };
            let name = format!("components/{}/board.rs.j2", component.name);
            let context = component_context(graph, component, configurations);
            let render = |section: &str| {
                environment.render_named_str(
                    &name,
                    snippet,
                    context! {
                        section,
                        component => &context,
                        provides => &context.provides,
                        requires => &context.requires,
                        uses => &context.uses,
                        collects => &context.collects,
                        peers => &context.peers,
                        constant => &context.constant,
                        board,
                    },
                )
            };
            Ok(Sections {
                items: render("items")?,
                init: render("init")?,
                grow: render("grow")?,
                ready: render("ready")?,
                run: render("run")?,
                finish: render("finish")?,
            })
        })
        .collect()
}
