//! Why a path pattern is invalid, with the byte offset a diagnostic can point at.

use alloc::string::String;
use core::fmt;

use super::MAX_PARAMETERS;

/// Why a pattern is not valid; `position` is the byte offset in the pattern text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PatternError {
    /// A pattern starts with `/`.
    MissingLeadingSlash,
    /// An empty segment (`//`) at `position`; only the last segment may be empty (a trailing `/`).
    EmptySegment {
        /// Byte offset of the second `/`.
        position: usize,
    },
    /// A parameter without a name (`{}` or `{*}`) at `position`.
    EmptyParameterName {
        /// Byte offset of the `{`.
        position: usize,
    },
    /// A parameter name that is not `[A-Za-z_][A-Za-z0-9_]*` at `position`.
    InvalidParameterName {
        /// Byte offset of the `{`.
        position: usize,
    },
    /// The parameter `name` appears twice; the second at `position`.
    DuplicateParameter {
        /// The repeated name.
        name: String,
        /// Byte offset of the second `{`.
        position: usize,
    },
    /// A catch-all `{*name}` that is not the last segment, at `position`.
    CatchAllNotLast {
        /// Byte offset of its `{`.
        position: usize,
    },
    /// A parameter that is only part of a segment (`/file.{ext}`), at `position`.
    ParameterNotWholeSegment {
        /// Byte offset of the segment.
        position: usize,
    },
    /// The character `character` may not appear in a pattern, at `position`.
    InvalidCharacter {
        /// The character.
        character: char,
        /// Its byte offset.
        position: usize,
    },
    /// More than [`MAX_PARAMETERS`] parameters; the first one too many at `position`.
    TooManyParameters {
        /// Byte offset of its `{`.
        position: usize,
    },
}

impl fmt::Display for PatternError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PatternError::MissingLeadingSlash => formatter.write_str("a path pattern starts with `/`"),
            PatternError::EmptySegment { position } => {
                write!(formatter, "empty segment (`//`) at byte {position}")
            }
            PatternError::EmptyParameterName { position } => {
                write!(formatter, "parameter without a name at byte {position}")
            }
            PatternError::InvalidParameterName { position } => write!(
                formatter,
                "parameter name at byte {position} is not letters, digits and `_` (not starting with a digit)"
            ),
            PatternError::DuplicateParameter { name, position } => {
                write!(formatter, "parameter `{name}` appears twice (again at byte {position})")
            }
            PatternError::CatchAllNotLast { position } => {
                write!(formatter, "the catch-all parameter at byte {position} must be the last segment")
            }
            PatternError::ParameterNotWholeSegment { position } => write!(
                formatter,
                "a parameter must be a whole segment (`/{{name}}`), at byte {position}"
            ),
            PatternError::InvalidCharacter { character, position } => {
                write!(formatter, "character {character:?} is not allowed in a path pattern (byte {position})")
            }
            PatternError::TooManyParameters { position } => write!(
                formatter,
                "more than {MAX_PARAMETERS} parameters (the one at byte {position} is too many)"
            ),
        }
    }
}

impl core::error::Error for PatternError {}
