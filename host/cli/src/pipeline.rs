//! The front half of the pipeline that check, plan, build and run share: load the intent,
//! check its app crate (sauce-app-check), select its components for the machine, and check
//! its memory against what they need.

use std::path::Path;

use sauce_builder::BuildContext;
use sauce_catalog::{ComponentGraph, Machine};
use sauce_codegen::MemoryBudget;
use sauce_intent::{Diagnostic, Intent, LoadError};

use crate::arguments::{Format, TargetArguments};
use crate::outcome::{Failure, Outcome};

/// An intent with its components chosen.
pub struct Planned {
    /// The intent.
    pub intent: Intent,
    /// The machine it was planned for.
    pub machine: Machine,
    /// Its components.
    pub graph: ComponentGraph,
    /// Its memory plan.
    pub budget: MemoryBudget,
}

/// Loads the intent at `path`; invalid intents fail with every diagnostic in `format`.
pub fn load(path: &Path, format: Format) -> Result<Intent, Failure> {
    match sauce_intent::load(path) {
        Ok(intent) => Ok(intent),
        Err(LoadError::Invalid { diagnostics, .. }) => {
            Err(diagnostics_failure(&diagnostics, format))
        }
        Err(other) => Err(Failure::from(other)),
    }
}

/// Loads, selects and checks memory for the intent at `path` on the machine `target` and the
/// intent's `[target]` name.
pub fn plan(path: &Path, target: &TargetArguments, format: Format) -> Result<Planned, Failure> {
    let intent = load(path, format)?;
    let code_problems = sauce_app_check::check(&intent);
    if !code_problems.is_empty() {
        return Err(diagnostics_failure(&code_problems, format));
    }
    let machine = sauce_intent::Machine::for_intent(&intent, target.vmm(), target.machine());
    if machine == Machine::Firecracker
        && intent.network.addressing == Some(sauce_intent::Addressing::Dhcp)
    {
        let diagnostic = intent
            .diagnostic_at(
                "network.ip",
                "Firecracker has no DHCP server, and this image is for Firecracker (--vmm)",
            )
            .with_hint(
                "give a static address, e.g. `ip = \"172.16.0.2/30\"`, or run it under QEMU",
            );
        return Err(diagnostics_failure(&[diagnostic], format));
    }
    let context = BuildContext::from_environment()
        .map_err(|error| Failure::environment(error.to_string()))?;
    let graph = match context.plan(&intent, machine) {
        Ok(graph) => graph,
        Err(sauce_builder::BuildError::Select(error)) if asked_by_the_intent(&error) => {
            let key = match &error {
                sauce_catalog::SelectError::UnknownComponent { name, .. } => intent
                    .build
                    .components
                    .iter()
                    .position(|listed| listed == name)
                    .map_or_else(|| "build.components".to_owned(), |index| format!("build.components.{index}")),
                _ => "http".to_owned(),
            };
            let diagnostic = intent.diagnostic_at(&key, error.to_string()).with_hint(
                "this intent asks for something no component in the catalog provides; remove that key, or add the component (components/README.md; SAUCE_COMPONENT_PATH adds folders of components)",
            );
            return Err(diagnostics_failure(&[diagnostic], format));
        }
        Err(sauce_builder::BuildError::Select(error)) => {
            return Err(Failure::environment(format!(
                "the component catalog in {} cannot make this image: {error}; the SauceOS sources are incomplete or inconsistent (check SAUCE_HOME)",
                context.source_root.join("components").display()
            )))
        }
        Err(other) => return Err(Failure::from(other)),
    };
    let budget = sauce_codegen::budget::for_intent(&intent, &graph).map_err(|error| {
        Failure::environment(format!(
            "{error}; the SauceOS sources are inconsistent (check SAUCE_HOME)"
        ))
    })?;
    if budget.embedded_bytes > sauce_codegen::budget::EMBEDDED_LIMIT_BYTES {
        let (index, bytes) = largest_route(&intent);
        let message = format!(
            "the image would embed {:.0} MiB of files ({:.0} MiB from this route): an image must end below 1 GiB, where its boot page tables stop",
            budget.embedded_bytes as f64 / f64::from(1 << 20),
            bytes as f64 / f64::from(1 << 20)
        );
        let diagnostic = intent
            .diagnostic_at(&format!("http.route.{index}"), message)
            .with_hint("embed at most 960 MiB of files; serve larger ones from elsewhere");
        return Err(diagnostics_failure(&[diagnostic], format));
    }
    if let Some(memory) = intent.resources.memory {
        if memory.bytes() < budget.minimum_guest_bytes {
            return Err(diagnostics_failure(
                &[memory_diagnostic(&intent, &budget)],
                format,
            ));
        }
    }
    Ok(Planned {
        intent,
        machine,
        graph,
        budget,
    })
}

/// Why `[resources] memory` is too small for `budget`, pointing at what needs the memory: the
/// route whose embedded files take most of it, or the memory line itself.
fn memory_diagnostic(intent: &Intent, budget: &MemoryBudget) -> Diagnostic {
    let needed = budget.minimum_guest_bytes.div_ceil(1 << 20);
    let connections = budget.connections * budget.socket_bytes;
    let memory = intent.resources.memory.map_or(0, |memory| memory.bytes());
    match largest_route(intent) {
        (index, bytes) if bytes > connections => {
            let message = format!(
                "the files of this route ({:.1} MiB) make the image need {needed}MiB of memory; `[resources] memory` gives {}MiB",
                bytes as f64 / f64::from(1 << 20),
                memory.div_ceil(1 << 20)
            );
            intent
                .diagnostic_at(&format!("http.route.{index}"), message)
                .with_hint(format!(
                    "write `memory = \"{needed}MiB\"` in `[resources]`, or embed fewer files"
                ))
        }
        _ => {
            let message = format!(
                "this image needs at least {needed}MiB of memory: {} connections × {} KiB at worst ({} KiB), {} KiB of embedded files, plus the kernel",
                budget.connections,
                budget.socket_bytes / 1024,
                connections / 1024,
                budget.embedded_bytes / 1024
            );
            intent
                .diagnostic_at("resources.memory", message)
                .with_hint(format!(
                    "write `memory = \"{needed}MiB\"`, or lower `[http] max_connections`"
                ))
        }
    }
}

/// The route embedding the most bytes of files, and how many (route 0 and 0 without files).
fn largest_route(intent: &Intent) -> (usize, u64) {
    let routes = intent.http.iter().flat_map(|http| http.routes.iter());
    routes
        .map(|route| sauce_codegen::budget::response_bytes(&route.response))
        .enumerate()
        .max_by_key(|(_, bytes)| *bytes)
        .unwrap_or((0, 0))
}

/// Whether a selection failure comes from something the intent asked for (a line of it), rather
/// than from the catalog itself.
fn asked_by_the_intent(error: &sauce_catalog::SelectError) -> bool {
    matches!(
        error,
        sauce_catalog::SelectError::Unsatisfiable { reason, .. }
            | sauce_catalog::SelectError::UnknownComponent { reason, .. }
            if reason.line.is_some()
    )
}

/// Invalid input: the diagnostics rendered for people, or printed as JSON on stdout.
pub fn diagnostics_failure(diagnostics: &[Diagnostic], format: Format) -> Failure {
    match format {
        Format::Human => {
            let colour = std::io::IsTerminal::is_terminal(&std::io::stderr());
            let count = match diagnostics.len() {
                1 => "1 problem".to_owned(),
                count => format!("{count} problems"),
            };
            let rendered = sauce_intent::render::render_all(diagnostics, colour);
            Failure::invalid(format!("{count}:\n{rendered}"))
        }
        Format::Json => {
            println!(
                "{}",
                sauce_intent::diagnostic::diagnostics_to_json(diagnostics)
            );
            Failure {
                outcome: Outcome::InvalidInput,
                message: String::new(),
            }
        }
    }
}
