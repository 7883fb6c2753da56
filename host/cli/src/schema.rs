//! `sauce schema`: the JSON Schema of sauce.toml, for editors.

use crate::outcome::{Failure, Outcome};

/// Prints the schema on stdout.
pub fn schema() -> Result<Outcome, Failure> {
    println!("{}", sauce_intent::schema::schema());
    Ok(Outcome::Success)
}
