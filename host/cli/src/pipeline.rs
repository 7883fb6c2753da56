//! The front half of the pipeline that check, plan, build and run share: load the intent,
//! select its components for the machine, and check its memory against what they need.

use std::path::Path;

use sauce_catalog::{ComponentGraph, Machine};
use sauce_codegen::MemoryBudget;
use sauce_intent::{Diagnostic, Intent, LoadError};
use sauce_runner::BuildContext;

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
    let machine = sauce_catalog::intent_needs::machine(&intent, target.vmm(), target.machine());
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
        Err(sauce_runner::BuildError::Select(error)) if asked_by_the_intent(&error) => {
            let diagnostic = intent.diagnostic_at("http", error.to_string()).with_hint(
                "this intent asks for something no component in the catalog provides; remove that key or add the component",
            );
            return Err(diagnostics_failure(&[diagnostic], format));
        }
        Err(sauce_runner::BuildError::Select(error)) => {
            return Err(Failure::environment(format!(
                "the component catalog in {} cannot make this image: {error}; the SauceOS sources are incomplete or inconsistent (check SAUCE_HOME)",
                context.source_root.join("components").display()
            )))
        }
        Err(other) => return Err(Failure::from(other)),
    };
    let budget = sauce_codegen::budget::for_intent(&intent);
    if let Some(memory) = intent.resources.memory {
        if memory.bytes() < budget.minimum_guest_bytes {
            let needed = budget.minimum_guest_bytes.div_ceil(1 << 20);
            let message = format!(
                "this image needs at least {needed}MiB of memory: a {} KiB heap for its connections, plus the kernel",
                budget.heap_bytes / 1024
            );
            let hint =
                format!("write `memory = \"{needed}MiB\"`, or lower `[http] max_connections`");
            let diagnostic = intent
                .diagnostic_at("resources.memory", message)
                .with_hint(hint);
            return Err(diagnostics_failure(&[diagnostic], format));
        }
    }
    Ok(Planned {
        intent,
        machine,
        graph,
        budget,
    })
}

/// Whether a selection failure comes from something the intent asked for (a line of it), rather
/// than from the catalog itself.
fn asked_by_the_intent(error: &sauce_catalog::SelectError) -> bool {
    matches!(error, sauce_catalog::SelectError::Unsatisfiable { reason, .. } if reason.line.is_some())
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
