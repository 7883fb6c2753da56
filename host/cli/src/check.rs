//! `sauce check [PATH]`: parse and validate an intent without building anything.

use crate::arguments::CheckArguments;
use crate::outcome::{Failure, Outcome};

/// Prints `ok: NAME` for a valid intent; invalid ones fail with every diagnostic.
pub fn check(arguments: &CheckArguments) -> Result<Outcome, Failure> {
    let intent = sauce_intent::load(&arguments.path)?;
    println!("ok: {}", intent.app.name);
    Ok(Outcome::Success)
}
