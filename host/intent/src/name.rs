//! App names: `[a-z0-9-]`, 1 to 63 characters, starting with a letter.

use std::fmt;

/// Longest app name accepted.
pub const MAXIMUM_LENGTH: usize = 63;

/// Names cargo refuses for a binary (they collide with folders in its target directory).
const RESERVED: [&str; 4] = ["build", "deps", "examples", "incremental"];

/// A valid app name; it names the image, the generated crate and its binary.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct AppName(String);

/// Why a string is not a valid app name.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AppNameError {
    /// The name is the empty string.
    #[error("the app name is empty")]
    Empty,
    /// The name is longer than [`MAXIMUM_LENGTH`].
    #[error("the app name is {length} characters long; at most {MAXIMUM_LENGTH} are allowed")]
    TooLong {
        /// The name's length in characters.
        length: usize,
    },
    /// The first character is not a lowercase ASCII letter.
    #[error("the app name must start with a lowercase letter (a-z), not `{first}`")]
    BadStart {
        /// The offending first character.
        first: char,
    },
    /// A character outside `a-z`, `0-9` and `-`.
    #[error("the app name may only hold lowercase letters, digits and `-`, not `{character}`")]
    BadCharacter {
        /// The first offending character.
        character: char,
    },
    /// A name cargo reserves for its own folders.
    #[error("`{name}` is reserved by cargo for its build folders")]
    Reserved {
        /// The reserved name.
        name: String,
    },
}

impl AppName {
    /// Checks `name` against the rules.
    pub fn new(name: &str) -> Result<Self, AppNameError> {
        let length = name.chars().count();
        let first = name.chars().next().ok_or(AppNameError::Empty)?;
        if length > MAXIMUM_LENGTH {
            return Err(AppNameError::TooLong { length });
        }
        if !first.is_ascii_lowercase() {
            return Err(AppNameError::BadStart { first });
        }
        let allowed = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-';
        if let Some(character) = name.chars().find(|&c| !allowed(c)) {
            return Err(AppNameError::BadCharacter { character });
        }
        if RESERVED.contains(&name) {
            return Err(AppNameError::Reserved {
                name: name.to_owned(),
            });
        }
        Ok(Self(name.to_owned()))
    }

    /// The name as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for AppName {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.0)
    }
}

/// A valid name close to `name`, to suggest in a hint: lowercased, other characters turned into
/// `-`, prefixed with `app-` when it does not start with a letter, cut to the maximum length.
pub fn suggest(name: &str) -> String {
    let mut suggestion: String = name
        .chars()
        .map(|c| c.to_ascii_lowercase())
        .map(|c| {
            if c.is_ascii_lowercase() || c.is_ascii_digit() {
                c
            } else {
                '-'
            }
        })
        .collect();
    if !suggestion.starts_with(|c: char| c.is_ascii_lowercase()) {
        suggestion.insert_str(0, "app-");
    }
    if RESERVED.contains(&suggestion.as_str()) {
        suggestion.push_str("-app");
    }
    suggestion.chars().take(MAXIMUM_LENGTH).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_valid_names() {
        for name in ["hello", "a", "web-server-2", &"x".repeat(63)] {
            assert_eq!(AppName::new(name).unwrap().as_str(), name);
        }
    }

    #[test]
    fn rejects_each_broken_rule() {
        assert_eq!(AppName::new(""), Err(AppNameError::Empty));
        assert_eq!(
            AppName::new(&"x".repeat(64)),
            Err(AppNameError::TooLong { length: 64 })
        );
        assert_eq!(
            AppName::new("1app"),
            Err(AppNameError::BadStart { first: '1' })
        );
        assert_eq!(
            AppName::new("-app"),
            Err(AppNameError::BadStart { first: '-' })
        );
        assert_eq!(
            AppName::new("Hello"),
            Err(AppNameError::BadStart { first: 'H' })
        );
        assert_eq!(
            AppName::new("my_app"),
            Err(AppNameError::BadCharacter { character: '_' })
        );
        assert!(matches!(
            AppName::new("deps"),
            Err(AppNameError::Reserved { .. })
        ));
    }

    #[test]
    fn suggestions_are_valid_names() {
        for bad in ["My_App", "1st", "", "deps", "héllo wörld", &"Y".repeat(80)] {
            let suggestion = suggest(bad);
            assert!(
                AppName::new(&suggestion).is_ok(),
                "{bad:?} → {suggestion:?}"
            );
        }
        assert_eq!(suggest("My_App"), "my-app");
    }
}
