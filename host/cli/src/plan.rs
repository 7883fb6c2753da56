//! `sauce plan [PATH]`: the components an intent selects, why each, their estimated sizes.

use crate::arguments::{Format, PlanArguments};
use crate::outcome::{Failure, Outcome};
use crate::pipeline;

/// Prints the plan as a table, or as JSON with `--format json`.
pub fn plan(arguments: &PlanArguments) -> Result<Outcome, Failure> {
    let planned = pipeline::plan(&arguments.path, &arguments.target, arguments.format)?;
    match arguments.format {
        Format::Human => {
            println!(
                "plan for `{}` on {}:\n",
                planned.intent.app.name,
                planned.machine.as_str()
            );
            print!("{}", planned.graph.render_table());
            println!(
                "memory: {} KiB heap; the image runs in {} MiB or more",
                planned.budget.heap_bytes / 1024,
                planned.budget.minimum_guest_bytes.div_ceil(1 << 20)
            );
        }
        Format::Json => {
            let json = serde_json::json!({
                "app": planned.intent.app.name.to_string(),
                "machine": planned.machine.as_str(),
                "components": planned.graph.components,
                "estimated_bytes": planned.graph.estimated_bytes(),
                "memory": planned.budget,
            });
            println!(
                "{}",
                serde_json::to_string_pretty(&json).unwrap_or_default()
            );
        }
    }
    Ok(Outcome::Success)
}
