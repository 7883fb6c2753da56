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
