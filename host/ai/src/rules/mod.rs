//! Understanding a description without a model: the common cases (a hello service on a port, a
//! static site from a folder, JSON routes with literal bodies, redirects, memory and
//! optimisation hints) become a draft intent; every phrase it could not use is reported; it
//! never invents a value the sentence did not give (the few conventions it applies, such as the
//! hello text and the health check's `{"status": "ok"}`, are documented in README.md).
//!
//! - [`mod@screen`]: refusals (empty, too long, another language, impossible requests).
//! - [`patterns`]: the regular expressions.
//! - [`read`]: the recognizers.
//! - [`draft`]: the draft intent and its sauce.toml rendering.
//! - [`defaults`]: filling what a model's sauce.toml left out from the same rules.
//! - [`unused`]: the words the rules did not use.

pub mod defaults;
pub mod draft;
pub mod patterns;
pub mod read;
pub mod screen;
pub mod unused;

use std::fmt;

pub use defaults::{fill_defaults, Filled};
pub use draft::{Draft, DraftResponse, DraftRoute, RenderError};
pub use screen::{screen, Refusal, MAX_DESCRIPTION_LENGTH};

use crate::project::{ProjectFiles, ProjectPath};

/// A phrase the rules used, and what they took it to mean.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Understood {
    /// The words of the description.
    pub phrase: String,
    /// What they became.
    pub meaning: String,
}

/// Whether the rules alone can build the description.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// The draft is a complete project.
    Supported,
    /// The description asks for logic (state, computation, validation) that needs handler code,
    /// hence a model: these phrases.
    NeedsCode(Vec<String>),
    /// Nothing the rules recognise says what the service answers.
    Unclear,
    /// The description asks for what SauceOS does not do.
    Unsupported(Vec<Refusal>),
}

/// What the rules made of a description.
#[derive(Clone, Debug, PartialEq)]
pub struct Understanding {
    /// The draft intent.
    pub draft: Draft,
    /// The phrases used, in the order recognised.
    pub understood: Vec<Understood>,
    /// Phrases recognised but not usable, each with the reason.
    pub unusable: Vec<String>,
    /// Words the rules did not use at all, grouped by clause.
    pub unused: Vec<String>,
    /// The verdict.
    pub verdict: Verdict,
}

/// Reads `description`.
pub fn understand(description: &str) -> Understanding {
    let refusals = screen(description);
    if !refusals.is_empty() {
        return Understanding {
            draft: Draft::default(),
            understood: Vec::new(),
            unusable: Vec::new(),
            unused: Vec::new(),
            verdict: Verdict::Unsupported(refusals),
        };
    }
    let mut reader = read::Reader::new(description);
    reader.read_all();
    let logic: Vec<String> = patterns::LOGIC
        .find_iter(description)
        .filter(|found| reader.is_free(&found.range()))
        .map(|found| found.as_str().to_owned())
        .fold(Vec::new(), |mut unique, phrase| {
            if !unique
                .iter()
                .any(|known: &String| known.eq_ignore_ascii_case(&phrase))
            {
                unique.push(phrase);
            }
            unique
        });
    let unused = unused::unused_words(description, reader.used());
    let draft = reader.draft;
    let verdict = if !logic.is_empty() {
        Verdict::NeedsCode(logic)
    } else if draft.has_routes() || draft.serial_only {
        Verdict::Supported
    } else {
        Verdict::Unclear
    };
    Understanding {
        draft,
        understood: reader.understood,
        unusable: reader.unusable,
        unused,
        verdict,
    }
}

impl Understanding {
    /// The project the rules build: sauce.toml, plus a starter page for each folder a route
    /// serves (so the intent checks; the user replaces it).
    pub fn project(&self, name: &str, description: &str) -> Result<ProjectFiles, RenderError> {
        let mut files = ProjectFiles::new();
        let intent = self.draft.render(name, description)?;
        if let Ok(path) = ProjectPath::parse("sauce.toml") {
            files.insert(path, intent);
        }
        for route in &self.draft.routes {
            if let DraftResponse::Dir(folder) = &route.response {
                let prefix = route.path.trim_end_matches('*');
                let shadowed = self.draft.routes.iter().any(|other| {
                    other.path == prefix || other.path == format!("{prefix}index.html")
                });
                let page_name = if shadowed {
                    "placeholder.html"
                } else {
                    "index.html"
                };
                if let Ok(path) = ProjectPath::parse(&format!("{folder}/{page_name}")) {
                    let page = format!(
                        "<!doctype html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>{name}</title></head>\n<body>\n<h1>{name}</h1>\n<p>Put your site's files in {folder}/; this page is a placeholder.</p>\n</body>\n</html>\n"
                    );
                    files.insert(path, page);
                }
            }
        }
        Ok(files)
    }
}

impl fmt::Display for Understanding {
    /// What was understood, what could not be used, and the verdict, for people.
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Verdict::Unsupported(refusals) = &self.verdict {
            writeln!(formatter, "Not supported:")?;
            for refusal in refusals {
                if refusal.phrase.is_empty() {
                    writeln!(formatter, "  - {}", refusal.reason)?;
                } else {
                    writeln!(formatter, "  - \"{}\": {}", refusal.phrase, refusal.reason)?;
                }
            }
            return Ok(());
        }
        if !self.understood.is_empty() {
            writeln!(formatter, "Understood:")?;
            for understood in &self.understood {
                writeln!(
                    formatter,
                    "  - \"{}\": {}",
                    understood.phrase, understood.meaning
                )?;
            }
        }
        if !self.unusable.is_empty() {
            writeln!(formatter, "Could not use:")?;
            for unusable in &self.unusable {
                writeln!(formatter, "  - {unusable}")?;
            }
        }
        if !self.unused.is_empty() {
            writeln!(
                formatter,
                "Did not understand: {}",
                self.unused
                    .iter()
                    .map(|phrase| format!("\"{phrase}\""))
                    .collect::<Vec<_>>()
                    .join(", ")
            )?;
        }
        match &self.verdict {
            Verdict::Supported => Ok(()),
            Verdict::NeedsCode(phrases) => writeln!(
                formatter,
                "Needs handler code ({}): configure a model with OPENAI_API_KEY, ANTHROPIC_API_KEY or SAUCE_AI_BASE_URL",
                phrases.join(", ")
            ),
            Verdict::Unclear => writeln!(formatter, "Nothing says what the service answers: name a route and its response, e.g. \"/ returns \\\"hi\\\"\" or \"a static site from the folder public\""),
            Verdict::Unsupported(_) => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests;
