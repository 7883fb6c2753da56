//! Path patterns (`/todos/{id}`, `/files/{*rest}`): parsing, matching, and which of two
//! matching patterns is more specific.
//!
//! A pattern is matched against the *decoded* request path, split at `/`; so `%2F` counts as a
//! slash (as for the kernel's static routes) and a single-segment parameter never holds one.
//! Parameter values are ranges of that path: matching allocates nothing.

use alloc::string::ToString;
use alloc::vec::Vec;
use core::cmp::Ordering;

mod error;
mod params;

pub use error::PatternError;
pub use params::Params;
pub(crate) use params::{matched_parameter, matched_parameters, Captures};

/// The most parameters (including a catch-all) one pattern may have.
pub const MAX_PARAMETERS: usize = 8;

/// A parsed path pattern.
///
/// ```
/// use sauce_app::Pattern;
///
/// let pattern = Pattern::parse("/users/{user}/files/{*path}").unwrap();
/// let params = pattern.matches("/users/ada/files/notes/today.txt").unwrap();
/// assert_eq!(params.get("user"), Some("ada"));
/// assert_eq!(params.get("path"), Some("notes/today.txt"));
/// assert!(pattern.matches("/users/ada").is_none());
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pattern<'a> {
    source: &'a str,
    segments: Vec<Segment<'a>>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Segment<'a> {
    Literal(&'a str),
    Parameter(&'a str),
    CatchAll(&'a str),
}

impl Segment<'_> {
    /// Literal segments win over parameters, parameters over a catch-all.
    fn rank(self) -> u8 {
        match self {
            Segment::Literal(_) => 2,
            Segment::Parameter(_) => 1,
            Segment::CatchAll(_) => 0,
        }
    }
}

impl<'a> Pattern<'a> {
    /// Parses a pattern: `/`-separated segments, each a literal, `{name}` (one non-empty
    /// segment) or, last, `{*name}` (the rest of the path, possibly empty).
    ///
    /// ```
    /// use sauce_app::{Pattern, PatternError};
    ///
    /// assert!(Pattern::parse("/todos/{id}").is_ok());
    /// assert_eq!(
    ///     Pattern::parse("/{*rest}/edit"),
    ///     Err(PatternError::CatchAllNotLast { position: 1 })
    /// );
    /// ```
    pub fn parse(source: &'a str) -> Result<Pattern<'a>, PatternError> {
        let rest = source
            .strip_prefix('/')
            .ok_or(PatternError::MissingLeadingSlash)?;
        let mut segments: Vec<Segment<'a>> = Vec::new();
        let mut position = 1;
        let mut pieces = rest.split('/').peekable();
        while let Some(piece) = pieces.next() {
            let is_last = pieces.peek().is_none();
            let segment = parse_segment(piece, position, is_last)?;
            if let Some(name) = parameter_name(segment) {
                let count = segments
                    .iter()
                    .filter(|s| parameter_name(**s).is_some())
                    .count();
                if count >= MAX_PARAMETERS {
                    return Err(PatternError::TooManyParameters { position });
                }
                if segments.iter().any(|s| parameter_name(*s) == Some(name)) {
                    return Err(PatternError::DuplicateParameter {
                        name: name.to_string(),
                        position,
                    });
                }
            }
            segments.push(segment);
            position += piece.len() + 1;
        }
        Ok(Pattern { source, segments })
    }

    /// The pattern's text, as given to [`Pattern::parse`].
    pub fn as_str(&self) -> &'a str {
        self.source
    }

    /// The names of its parameters, in order.
    pub fn parameter_names(&self) -> impl Iterator<Item = &'a str> + '_ {
        self.segments
            .iter()
            .filter_map(|segment| parameter_name(*segment))
    }

    /// The parameters if the decoded `path` matches, else `None`. Never panics.
    pub fn matches<'q>(&self, path: &'q str) -> Option<Params<'a, 'q>> {
        Some(Params {
            captures: self.capture(path)?,
            path,
        })
    }

    /// The parameter ranges of `path` if it matches.
    pub(crate) fn capture(&self, path: &str) -> Option<Captures<'a>> {
        let mut captures = Captures::default();
        self.walk(path.as_bytes(), |name, start, end| {
            captures.push(name, start, end)
        })?;
        Some(captures)
    }

    /// Whether a path of `slashes` slashes could match: as many segments as the pattern, or
    /// at least as many before a `{*rest}`. A quick test before [`Pattern::is_match`].
    pub(crate) fn could_match(&self, slashes: usize) -> bool {
        match self.segments.last() {
            Some(Segment::CatchAll(_)) => slashes >= self.segments.len(),
            _ => slashes == self.segments.len(),
        }
    }

    /// Whether `path` matches, without keeping the parameters (the server's routing question).
    pub(crate) fn is_match(&self, path: &str) -> bool {
        self.is_match_bytes(path.as_bytes())
    }

    /// [`is_match`](Self::is_match) of a path's bytes.
    pub(crate) fn is_match_bytes(&self, path: &[u8]) -> bool {
        self.walk(path, |_, _, _| Some(())).is_some()
    }

    /// Matches `path` segment by segment, handing each parameter's `(name, start, end)` to
    /// `capture`; `None` when the path does not match or `capture` refuses.
    fn walk(
        &self,
        bytes: &[u8],
        mut capture: impl FnMut(&'a str, usize, usize) -> Option<()>,
    ) -> Option<()> {
        // On bytes: a segment ends at a slash (ASCII), so every offset into a path that is
        // text is a character boundary.
        if bytes.first() != Some(&b'/') {
            return None;
        }
        let last = self.segments.len().checked_sub(1)?;
        // Where the current segment starts, just after its slash.
        let mut start = 1;
        for (index, segment) in self.segments.iter().enumerate() {
            let rest = bytes.get(start..)?;
            let length = match *segment {
                Segment::CatchAll(name) => return capture(name, start, bytes.len()),
                // A literal is compared in place, without looking for its end first.
                Segment::Literal(literal) => {
                    let literal = literal.as_bytes();
                    let same = rest.len() >= literal.len()
                        && rest.iter().zip(literal).all(|(left, right)| left == right);
                    if !same {
                        return None;
                    }
                    literal.len()
                }
                Segment::Parameter(name) => {
                    // Paths are short: a plain loop finds the slash without a search call.
                    let length = rest
                        .iter()
                        .position(|byte| *byte == b'/')
                        .unwrap_or(rest.len());
                    if length == 0 {
                        return None;
                    }
                    capture(name, start, start + length)?;
                    length
                }
            };
            let end = start + length;
            match bytes.get(end) {
                None if index == last => return Some(()),
                Some(b'/') if index != last => start = end + 1,
                _ => return None,
            }
        }
        None
    }

    /// Whether both patterns match exactly the same paths (they differ at most in parameter names).
    pub fn same_shape(&self, other: &Pattern<'_>) -> bool {
        self.segments.len() == other.segments.len()
            && self
                .segments
                .iter()
                .zip(&other.segments)
                .all(|pair| match pair {
                    (Segment::Literal(left), Segment::Literal(right)) => left == right,
                    (left, right) => left.rank() == right.rank(),
                })
    }

    /// Of two patterns that match the same path, the more specific one is `Greater`: segment
    /// by segment, a literal beats a parameter and a parameter beats a catch-all.
    pub fn specificity(&self, other: &Pattern<'_>) -> Ordering {
        ranks(&self.segments).cmp(ranks(&other.segments))
    }
}

/// The ranks of a pattern's segments, compared lexicographically without allocating.
fn ranks<'s>(segments: &'s [Segment<'_>]) -> impl Iterator<Item = u8> + 's {
    segments.iter().map(|segment| segment.rank())
}

fn parameter_name(segment: Segment<'_>) -> Option<&str> {
    match segment {
        Segment::Literal(_) => None,
        Segment::Parameter(name) | Segment::CatchAll(name) => Some(name),
    }
}

/// One segment of a pattern; `position` is its byte offset in the pattern.
fn parse_segment(piece: &str, position: usize, is_last: bool) -> Result<Segment<'_>, PatternError> {
    if piece.is_empty() {
        return if is_last {
            Ok(Segment::Literal(piece))
        } else {
            Err(PatternError::EmptySegment { position })
        };
    }
    let Some(inner) = piece.strip_prefix('{') else {
        return parse_literal(piece, position).map(Segment::Literal);
    };
    let Some(inner) = inner.strip_suffix('}') else {
        return Err(PatternError::ParameterNotWholeSegment { position });
    };
    let (name, catch_all) = match inner.strip_prefix('*') {
        Some(name) => (name, true),
        None => (inner, false),
    };
    if name.is_empty() {
        return Err(PatternError::EmptyParameterName { position });
    }
    let valid_name = name.bytes().enumerate().all(|(index, byte)| {
        byte == b'_' || byte.is_ascii_alphabetic() || (index > 0 && byte.is_ascii_digit())
    });
    if !valid_name {
        return Err(PatternError::InvalidParameterName { position });
    }
    match (catch_all, is_last) {
        (false, _) => Ok(Segment::Parameter(name)),
        (true, true) => Ok(Segment::CatchAll(name)),
        (true, false) => Err(PatternError::CatchAllNotLast { position }),
    }
}

/// A literal segment: any printable character but the ones that delimit URLs or patterns.
fn parse_literal(piece: &str, position: usize) -> Result<&str, PatternError> {
    for (offset, character) in piece.char_indices() {
        let forbidden = character.is_control()
            || character.is_whitespace()
            || "{}%?#\\\"<>^`|[]".contains(character);
        if forbidden {
            return Err(match character {
                '{' | '}' => PatternError::ParameterNotWholeSegment { position },
                _ => PatternError::InvalidCharacter {
                    character,
                    position: position + offset,
                },
            });
        }
    }
    Ok(piece)
}

#[cfg(test)]
#[path = "pattern_tests.rs"]
mod tests;
