//! What the selector is asked for: contracts and components the intent needs, each with the
//! reason that asked, and the platform the image will run on.

use serde::Serialize;

pub use sauce_intent::Machine;

/// What the build optimises for (`[build] optimize`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Optimize {
    /// The smallest image.
    Size,
    /// The fastest code.
    Speed,
}

/// Facts about where and how the image runs that rules decide by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Platform {
    /// The machine.
    pub machine: Machine,
    /// The optimisation goal.
    pub optimize: Optimize,
}

/// Why a component is in an image.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Reason {
    /// The explanation, e.g. "`[http]`: an HTTP service".
    pub text: String,
    /// The sauce.toml line that caused it, when an intent line did.
    pub line: Option<u32>,
}

impl Reason {
    /// A reason pointing at an intent line.
    pub fn intent(text: impl Into<String>, line: Option<u32>) -> Reason {
        Reason {
            text: text.into(),
            line,
        }
    }

    /// A reason from a rule of the selector, not from an intent line.
    pub fn rule(text: impl Into<String>) -> Reason {
        Reason {
            text: text.into(),
            line: None,
        }
    }

    /// `text (sauce.toml:LINE)`, or just the text.
    pub fn describe(&self) -> String {
        match self.line {
            Some(line) => format!("{} (sauce.toml:{line})", self.text),
            None => self.text.clone(),
        }
    }
}

/// One thing the image needs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum Need {
    /// Some component providing this contract.
    Contract(String, Reason),
    /// This very component.
    Component(String, Reason),
    /// This component, if the selection ends up with the component `when` (for instance the
    /// DHCP client once the image has a network stack, whichever component brought it in).
    ComponentWith {
        component: String,
        when: String,
        reason: Reason,
    },
}

/// A selection request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Request {
    /// What the intent needs, in intent order.
    pub needs: Vec<Need>,
    /// Where the image runs.
    pub platform: Platform,
}
