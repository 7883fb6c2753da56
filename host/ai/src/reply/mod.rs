//! Reading a model's reply: a short plan in prose plus each file as a fenced block whose info
//! string names it, parsed tolerantly (see [`parse_reply`]).
//!
//! - [`fences`]: prose and fenced blocks.
//! - [`naming`]: which file a block is.
//! - [`json_files`]: the JSON alternative (`{"files": {...}}`).

pub mod fences;
pub mod json_files;
pub mod naming;

use std::fmt;

use crate::probe::{parse_probes, Probe, ProbeOrigin, ProbeParseError};
use crate::project::{PathRefusal, ProjectFiles, ProjectPath, MAX_FILE_SIZE};
use json_files::JsonReply;
use naming::NamedBy;

/// The longest plan kept, in characters.
pub const MAX_PLAN_LENGTH: usize = 4_000;

/// What a reply held.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Reply {
    /// The prose outside the blocks (the plan), trimmed and capped.
    pub plan: String,
    /// The files, by name; a name given twice keeps the last block.
    pub files: ProjectFiles,
    /// Probes proposed in a ` ```probes ` block.
    pub probes: Vec<Probe>,
    /// What was tolerated or refused, in reply order.
    pub notes: Vec<ReplyNote>,
}

/// Something about a reply worth telling the model or the user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReplyNote {
    /// A file was given more than once; the last block is used.
    Duplicate(ProjectPath),
    /// A block's file name was refused.
    Refused {
        /// The name as given.
        name: String,
        /// Why.
        reason: PathRefusal,
    },
    /// A code block names no file, so it was ignored.
    Unnamed {
        /// The line of its opening fence.
        line: usize,
        /// Its language word, if any.
        language: Option<String>,
    },
    /// The reply ended inside a file's block (the reply was cut off), so the file was ignored.
    Unclosed {
        /// The file.
        name: String,
        /// The line of its opening fence.
        line: usize,
    },
    /// A block got its name from somewhere other than its info string.
    Named {
        /// The file.
        path: ProjectPath,
        /// From where.
        by: NamedBy,
    },
    /// A file is larger than a project file may be.
    TooLarge(String),
    /// A line of the ` ```probes ` block could not be read.
    Probe {
        /// The line within the block.
        line: usize,
        /// What is wrong with it.
        error: ProbeParseError,
    },
    /// Entries of a JSON `files` list lacked a name or text contents.
    MalformedJson(usize),
}

impl ReplyNote {
    /// Whether the model should hear about it (a refusal or a lost file, not a tolerated
    /// deviation).
    pub fn is_problem(&self) -> bool {
        !matches!(self, ReplyNote::Duplicate(_) | ReplyNote::Named { .. })
    }
}

impl fmt::Display for ReplyNote {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReplyNote::Duplicate(path) => write!(formatter, "{path} was given more than once; the last block is used"),
            ReplyNote::Refused { name, reason } => write!(formatter, "refused the file name {name:?}: {reason}"),
            ReplyNote::Unnamed { line, language } => write!(
                formatter,
                "the {}code block at line {line} names no file, so it was ignored; put the file name after the language, as in ```rust src/lib.rs",
                language.as_deref().map(|language| format!("{language} ")).unwrap_or_default()
            ),
            ReplyNote::Unclosed { name, line } => write!(formatter, "the reply ended inside the block for {name} (line {line}), so it was ignored; send the whole file"),
            ReplyNote::Named { path, by } => write!(formatter, "{path} was named by {}", match by {
                NamedBy::Info => "its info string",
                NamedBy::LineBefore => "the line before its block",
                NamedBy::FirstLine => "a comment on its first line",
                NamedBy::Contents => "its contents",
            }),
            ReplyNote::TooLarge(name) => write!(formatter, "{name:?} is larger than {} MiB and was ignored", MAX_FILE_SIZE >> 20),
            ReplyNote::Probe { line, error } => write!(formatter, "probes line {line}: {error}; write `METHOD /path [BODY] -> STATUS [CONTENT-TYPE]`"),
            ReplyNote::MalformedJson(count) => write!(formatter, "{count} entries of `files` had no name or no text contents"),
        }
    }
}

impl Reply {
    /// Whether the reply gave at least one file.
    pub fn is_usable(&self) -> bool {
        !self.files.is_empty()
    }

    /// The problems, one a line, for feeding back.
    pub fn problems(&self) -> String {
        self.notes
            .iter()
            .filter(|note| note.is_problem())
            .map(|note| format!("- {note}\n"))
            .collect()
    }

    fn add_file(&mut self, name: &str, contents: &str, by: NamedBy) {
        if contents.len() > MAX_FILE_SIZE {
            self.notes.push(ReplyNote::TooLarge(name.to_owned()));
            return;
        }
        match ProjectPath::parse(name.trim()) {
            Ok(path) => {
                if by != NamedBy::Info {
                    self.notes.push(ReplyNote::Named {
                        path: path.clone(),
                        by,
                    });
                }
                if self.files.insert(path.clone(), contents).is_some() {
                    self.notes.push(ReplyNote::Duplicate(path));
                }
            }
            Err(reason) => self.notes.push(ReplyNote::Refused {
                name: name.to_owned(),
                reason,
            }),
        }
    }

    fn add_probes(&mut self, text: &str) {
        let (probes, errors) = parse_probes(text, ProbeOrigin::Proposed);
        self.probes.extend(probes);
        self.notes.extend(
            errors
                .into_iter()
                .map(|(line, error)| ReplyNote::Probe { line, error }),
        );
    }

    fn add_json(&mut self, json: JsonReply) {
        for (name, contents) in &json.files {
            self.add_file(name, contents, NamedBy::Info);
        }
        if json.malformed > 0 {
            self.notes.push(ReplyNote::MalformedJson(json.malformed));
        }
        self.add_probes(&json.probes.join("\n"));
        if let Some(plan) = json.plan {
            if self.plan.is_empty() {
                self.plan = cap(plan.trim());
            }
        }
    }
}

/// Reads a reply. Tolerated: a missing language; the file name on the line before the fence
/// (`**src/lib.rs**`, `File: src/lib.rs`) or in a first-line comment; `~~~` fences; CRLF;
/// extra prose; a JSON object with a `files` map or list, alone or in a block; a TOML block
/// named by its contents. Refused, each with a note: names outside the project's allowlist,
/// blocks naming no file, a block the reply ended inside. A name given twice keeps the last.
pub fn parse_reply(text: &str) -> Reply {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut reply = Reply::default();
    if let Some(json) = json_files::parse_json_reply(&text) {
        reply.add_json(json);
        return reply;
    }
    let opens_file = |info: &str| naming::split_info(info).1.is_some();
    let split = fences::split(&text, &opens_file);
    let last_index = split.blocks.len().saturating_sub(1);
    let mut unnamed_rust = Vec::new();
    for (index, block) in split.blocks.iter().enumerate() {
        let (language, name) = naming::split_info(&block.info);
        if language.as_deref() == Some("probes") {
            reply.add_probes(&block.content);
            continue;
        }
        let named = name
            .map(|name| (name, NamedBy::Info))
            .or_else(|| {
                block
                    .before
                    .as_deref()
                    .and_then(naming::name_in_line)
                    .map(|name| (name, NamedBy::LineBefore))
            })
            .or_else(|| {
                block
                    .content
                    .lines()
                    .next()
                    .and_then(naming::name_in_comment)
                    .map(|name| (name, NamedBy::FirstLine))
            });
        if !block.closed && index == last_index {
            let name = named.map_or_else(|| "a file".to_owned(), |(name, _)| name);
            reply.notes.push(ReplyNote::Unclosed {
                name,
                line: block.line,
            });
            continue;
        }
        if let Some((name, by)) = named {
            reply.add_file(&name, &block.content, by);
            continue;
        }
        let language = language.as_deref();
        if matches!(language, None | Some("json")) {
            if let Some(json) = json_files::parse_json_reply(&block.content) {
                reply.add_json(json);
                continue;
            }
        }
        if matches!(language, None | Some("toml")) {
            if let Some(name) = naming::name_from_toml(&block.content) {
                reply.add_file(name, &block.content, NamedBy::Contents);
                continue;
            }
        }
        if matches!(language, Some("rust" | "rs")) {
            unnamed_rust.push(block);
            continue;
        }
        if matches!(
            language,
            None | Some("toml" | "html" | "css" | "json" | "markdown" | "md")
        ) {
            reply.notes.push(ReplyNote::Unnamed {
                line: block.line,
                language: language.map(str::to_owned),
            });
        }
    }
    match unnamed_rust.as_slice() {
        [block] if reply.files.get("src/lib.rs").is_none() => {
            reply.add_file("src/lib.rs", &block.content, NamedBy::Contents)
        }
        blocks => reply
            .notes
            .extend(blocks.iter().map(|block| ReplyNote::Unnamed {
                line: block.line,
                language: Some("rust".to_owned()),
            })),
    }
    let plan = split.prose.join("\n");
    reply.plan = cap(plan.trim());
    reply
}

fn cap(text: &str) -> String {
    let mut plan = String::new();
    let mut blank = 0;
    for line in text.lines() {
        if line.trim().is_empty() {
            blank += 1;
            if blank > 1 {
                continue;
            }
        } else {
            blank = 0;
        }
        plan.push_str(line.trim_end());
        plan.push('\n');
    }
    let plan = plan.trim_end();
    match plan.char_indices().nth(MAX_PLAN_LENGTH) {
        Some((end, _)) => format!("{}…", &plan[..end]),
        None => plan.to_owned(),
    }
}

#[cfg(test)]
mod tests;
