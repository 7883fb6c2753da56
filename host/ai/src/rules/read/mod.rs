//! Reading a description with the patterns: each recognised phrase fills the draft and is
//! marked used, so what is left over can be reported word for word.

use std::ops::Range;

use regex::{Captures, Regex};
use serde_json::Value;

mod routes;
mod settings;

use super::draft::{Draft, DraftResponse, DraftRoute};
use super::patterns::*;
use super::Understood;

/// The state of one reading.
pub struct Reader<'a> {
    text: &'a str,
    used: Vec<Range<usize>>,
    /// The draft so far.
    pub draft: Draft,
    /// What each recognised phrase meant.
    pub understood: Vec<Understood>,
    /// Phrases recognised but unusable, each with the reason.
    pub unusable: Vec<String>,
}

fn group<'t>(captures: &Captures<'t>, index: usize) -> Option<regex::Match<'t>> {
    captures.get(index)
}

/// The text of the first quoted alternative that matched, starting at capture `first`.
fn quoted(captures: &Captures<'_>, first: usize) -> Option<String> {
    (first..first + 4)
        .find_map(|index| captures.get(index))
        .map(|found| found.as_str().to_owned())
}

fn trim_path(path: &str) -> &str {
    path.trim_end_matches(['.', ',', ':', ';', ')'])
}

impl<'a> Reader<'a> {
    /// A reader of `text`.
    pub fn new(text: &'a str) -> Self {
        Self {
            text,
            used: Vec::new(),
            draft: Draft::default(),
            understood: Vec::new(),
            unusable: Vec::new(),
        }
    }

    /// Whether `range` overlaps nothing used yet.
    pub fn is_free(&self, range: &Range<usize>) -> bool {
        self.used
            .iter()
            .all(|used| used.end <= range.start || range.end <= used.start)
    }

    /// The ranges used so far.
    pub fn used(&self) -> &[Range<usize>] {
        &self.used
    }

    fn mark(&mut self, range: Range<usize>, meaning: String) {
        let phrase = self.text.get(range.clone()).unwrap_or("").trim().to_owned();
        self.used.push(range);
        self.understood.push(Understood { phrase, meaning });
    }

    fn unusable(&mut self, range: Range<usize>, reason: String) {
        let phrase = self.text.get(range.clone()).unwrap_or("").trim().to_owned();
        self.used.push(range);
        self.unusable.push(format!("\"{phrase}\": {reason}"));
    }

    /// Every free match of `regex`, as owned captures' ranges, in order.
    fn matches(&self, regex: &Regex) -> Vec<Vec<Option<Range<usize>>>> {
        regex
            .captures_iter(self.text)
            .filter(|captures| {
                captures
                    .get(0)
                    .is_some_and(|whole| self.is_free(&whole.range()))
            })
            .map(|captures| {
                (0..captures.len())
                    .map(|index| group(&captures, index).map(|found| found.range()))
                    .collect()
            })
            .collect()
    }

    fn slice(&self, range: &Option<Range<usize>>) -> &'a str {
        range
            .as_ref()
            .and_then(|range| self.text.get(range.clone()))
            .unwrap_or("")
    }

    fn add_route(&mut self, path: &str, response: DraftResponse, status: Option<u16>) -> bool {
        if self.draft.route(path).is_some() {
            return false;
        }
        self.draft.routes.push(DraftRoute {
            path: path.to_owned(),
            response,
            status,
        });
        true
    }

    /// Runs every recognizer in order: the specific before the general.
    pub fn read_all(&mut self) {
        self.redirects();
        self.health();
        self.folders();
        self.not_found();
        self.quoted_at_paths();
        self.paths_with_literals();
        self.says();
        self.hello();
        self.settings();
    }

    /// Where the clause going on at `from` ends: a comma, semicolon or line end, or a full stop
    /// followed by a blank (not the dots of a URL).
    fn clause_end(&self, from: usize) -> usize {
        let rest = &self.text[from..];
        rest.char_indices()
            .find(|&(index, character)| {
                matches!(character, ',' | ';' | '\n')
                    || character == '.'
                        && rest[index + 1..]
                            .chars()
                            .next()
                            .is_none_or(char::is_whitespace)
            })
            .map_or(self.text.len(), |(index, _)| from + index)
    }
}

fn regex_quoted() -> &'static Regex {
    static QUOTED_ONLY: std::sync::LazyLock<Regex> =
        std::sync::LazyLock::new(|| Regex::new(QUOTED).expect("the quoted-text pattern is valid"));
    &QUOTED_ONLY
}

/// The JSON value at the start of `text` and the bytes it spans.
pub fn json_at(text: &str) -> Option<(Value, usize)> {
    let mut stream = serde_json::Deserializer::from_str(text).into_iter::<Value>();
    let value = stream.next()?.ok()?;
    Some((value, stream.byte_offset()))
}
