//! `sauce check [PATH]`: parse, validate and select, without building anything.

use crate::arguments::{CheckArguments, Format};
use crate::outcome::{Failure, Outcome};
use crate::pipeline;

/// Prints `ok: NAME` (or `{"ok":true,…}`) for a valid intent; invalid ones fail with every
/// diagnostic.
pub fn check(arguments: &CheckArguments) -> Result<Outcome, Failure> {
    let planned = pipeline::plan(&arguments.path, &arguments.target, arguments.format)?;
    match arguments.format {
        Format::Human => println!("ok: {}", planned.intent.app.name),
        Format::Json => println!(
            "{}",
            serde_json::json!({ "ok": true, "app": planned.intent.app.name.to_string(), "diagnostics": [] })
        ),
    }
    Ok(Outcome::Success)
}
