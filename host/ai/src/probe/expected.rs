//! The status a probe expects: exactly one, or any answer of the app's own (below 500).

use std::fmt;

/// The status a probe expects.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExpectedStatus {
    /// Exactly this status.
    Exactly(u16),
    /// Any answer below 500: a handler route probed without knowing the app's data (a `404`
    /// for an item that does not exist, or a `400` for a missing body, is a fine answer; a
    /// server error, a fault or no answer is not). Written `-> answered`.
    Answered,
}

impl ExpectedStatus {
    /// Whether `status` is what was expected.
    pub fn accepts(self, status: u16) -> bool {
        match self {
            ExpectedStatus::Exactly(expected) => status == expected,
            ExpectedStatus::Answered => (100..500).contains(&status),
        }
    }
}

impl fmt::Display for ExpectedStatus {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExpectedStatus::Exactly(status) => write!(formatter, "{status}"),
            ExpectedStatus::Answered => formatter.write_str("answered"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_and_answered() {
        assert!(ExpectedStatus::Exactly(201).accepts(201));
        assert!(!ExpectedStatus::Exactly(201).accepts(200));
        for status in [200, 204, 308, 400, 404, 422, 499] {
            assert!(ExpectedStatus::Answered.accepts(status), "{status}");
        }
        for status in [500, 502, 503, 599] {
            assert!(!ExpectedStatus::Answered.accepts(status), "{status}");
        }
        assert_eq!(ExpectedStatus::Exactly(404).to_string(), "404");
        assert_eq!(ExpectedStatus::Answered.to_string(), "answered");
    }
}
