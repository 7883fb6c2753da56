//! SQL text that the program wrote, kept apart from values so they can never be spliced in.
//!
//! Query methods take `impl Into<Statement>`. A string literal converts on its own; any other
//! string has to go through [`Statement::trusted`], a name that stands out in review. Values
//! always travel as parameters (`$1`, `$2`, …) in the extended protocol, so a value containing
//! `'; DROP TABLE notes; --` is stored as those characters.

/// SQL text written by the program.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Statement<'a> {
    text: &'a str,
}

impl<'a> Statement<'a> {
    /// SQL the program assembled itself from trusted pieces (a table name from configuration,
    /// a list of `$n` placeholders). Never pass text that contains user input here: bind it
    /// as a parameter instead.
    pub const fn trusted(text: &'a str) -> Self {
        Statement { text }
    }

    /// The SQL text.
    pub const fn text(&self) -> &'a str {
        self.text
    }
}

impl From<&'static str> for Statement<'static> {
    fn from(text: &'static str) -> Self {
        Statement { text }
    }
}
