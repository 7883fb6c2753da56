//! The parameters of a match: names from the pattern, values as ranges of the path.

use super::MAX_PARAMETERS;

/// Parameter ranges of one match (names from the pattern, byte ranges of the path).
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Captures<'p> {
    entries: [(&'p str, usize, usize); MAX_PARAMETERS],
    length: usize,
}

impl<'p> Captures<'p> {
    pub(super) fn push(&mut self, name: &'p str, start: usize, end: usize) -> Option<()> {
        *self.entries.get_mut(self.length)? = (name, start, end);
        self.length += 1;
        Some(())
    }

    /// The captured `(name, start, end)` triples.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&'p str, usize, usize)> + '_ {
        self.entries.iter().take(self.length).copied()
    }

    /// The value of `name` in `path` (the path the captures were made on).
    pub(crate) fn get<'q>(&self, path: &'q str, name: &str) -> Option<&'q str> {
        let (_, start, end) = self.iter().find(|(candidate, _, _)| *candidate == name)?;
        path.get(start..end)
    }
}

/// The parameters of a matched path: names from the pattern, values borrowed from the path.
#[derive(Clone, Copy, Debug)]
pub struct Params<'p, 'q> {
    pub(super) captures: Captures<'p>,
    pub(super) path: &'q str,
}

impl<'p, 'q> Params<'p, 'q> {
    /// The value of parameter `name` (decoded; a catch-all's value has no leading `/`).
    pub fn get(&self, name: &str) -> Option<&'q str> {
        self.captures.get(self.path, name)
    }

    /// Every `(name, value)` in pattern order.
    pub fn iter(&self) -> impl Iterator<Item = (&'p str, &'q str)> + '_ {
        self.captures
            .iter()
            .map(|(name, start, end)| (name, self.path.get(start..end).unwrap_or_default()))
    }

    /// How many parameters the pattern has.
    pub fn len(&self) -> usize {
        self.captures.length
    }

    /// Whether the pattern has no parameters.
    pub fn is_empty(&self) -> bool {
        self.captures.length == 0
    }
}

/// The parameters of `pattern` (a pattern's text, as given to [`super::Pattern::parse`]) in
/// `path`, a decoded path the pattern matched, in pattern order: a request keeps its route's
/// text and reads its parameters from the path when asked, instead of carrying ranges.
///
/// The path's pieces are taken as the pattern's are, one per `/`, the rest of the path for a
/// `{*name}`; on a path the pattern does not match it yields what lines up, never panics.
pub(crate) fn matched_parameters<'p, 'q>(
    pattern: &'p str,
    path: &'q str,
) -> impl Iterator<Item = (&'p str, &'q str)> {
    let mut pieces = pattern.strip_prefix('/').unwrap_or(pattern).split('/');
    let mut rest = path.strip_prefix('/');
    core::iter::from_fn(move || loop {
        let piece = pieces.next()?;
        let remaining = rest?;
        let (value, after) = match remaining.bytes().position(|byte| byte == b'/') {
            Some(slash) => (
                remaining.get(..slash).unwrap_or_default(),
                remaining.get(slash + 1..),
            ),
            None => (remaining, None),
        };
        rest = after;
        let Some(name) = piece
            .strip_prefix('{')
            .and_then(|inner| inner.strip_suffix('}'))
        else {
            continue;
        };
        if let Some(name) = name.strip_prefix('*') {
            rest = None;
            return Some((name, remaining));
        }
        return Some((name, value));
    })
}

/// The value of parameter `name` of `pattern` (a pattern's text) in `path`, a decoded path the
/// pattern matched; `None` when the pattern has no such parameter. [`matched_parameters`] for
/// one name, with less work: a literal segment of the pattern is the same text in the path (the
/// path matched), so only the pattern is read up to the parameter, and the path only there.
pub(crate) fn matched_parameter<'q>(pattern: &str, path: &'q str, name: &str) -> Option<&'q str> {
    let pattern = pattern.as_bytes();
    let name = name.as_bytes();
    // Both at the start of a segment, just after its slash.
    let (mut in_pattern, mut in_path) = (1, 1);
    loop {
        let rest = pattern.get(in_pattern..)?;
        let length = rest
            .iter()
            .position(|byte| *byte == b'/')
            .unwrap_or(rest.len());
        let piece = rest.get(..length)?;
        if let [b'{', inner @ .., b'}'] = piece {
            let (catch_all, parameter) = match inner {
                [b'*', parameter @ ..] => (true, parameter),
                parameter => (false, parameter),
            };
            let value = path.get(in_path..)?;
            let value_length = match catch_all {
                true => value.len(),
                false => value
                    .bytes()
                    .position(|byte| byte == b'/')
                    .unwrap_or(value.len()),
            };
            if parameter == name {
                return value.get(..value_length);
            }
            in_path += value_length + 1;
        } else {
            in_path += length + 1;
        }
        in_pattern += length + 1;
    }
}
