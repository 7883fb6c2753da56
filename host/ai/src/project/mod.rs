//! A project held in memory: allowlisted file names and their contents, read from a folder,
//! merged with a model's reply, and rendered back in the reply format.
//!
//! - [`path`]: the file-name rules ([`ProjectPath`]).
//! - [`mod@install`]: writing files into a folder without following symbolic links, and moving a
//!   finished project into the user's folder atomically.
//! - [`load`]: reading an existing project from disk with size caps.

pub mod install;
pub mod load;
pub mod path;

use std::collections::BTreeMap;

pub use install::{install, write_files, InstallError, InstallMode, Installed};
pub use load::{load_project, LoadProjectError, LoadedProject};
pub use path::{PathRefusal, ProjectPath};

/// The largest file a project may hold, in bytes.
pub const MAX_FILE_SIZE: usize = 4 << 20;
/// The most bytes a project may hold in total.
pub const MAX_PROJECT_SIZE: usize = 64 << 20;
/// The most files a project may hold.
pub const MAX_FILES: usize = 2_000;

/// The files of a project, by name, in name order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProjectFiles {
    files: BTreeMap<ProjectPath, Vec<u8>>,
}

impl ProjectFiles {
    /// No files.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds or replaces a file; returns the previous contents.
    pub fn insert(&mut self, path: ProjectPath, contents: impl Into<Vec<u8>>) -> Option<Vec<u8>> {
        self.files.insert(path, contents.into())
    }

    /// The contents of `name`, if the project holds it.
    pub fn get(&self, name: &str) -> Option<&[u8]> {
        let path = ProjectPath::parse(name).ok()?;
        self.files.get(&path).map(Vec::as_slice)
    }

    /// The contents of `name` as text, if the project holds it and it is UTF-8.
    pub fn text(&self, name: &str) -> Option<&str> {
        self.get(name)
            .and_then(|bytes| std::str::from_utf8(bytes).ok())
    }

    /// Every file, in name order.
    pub fn iter(&self) -> impl Iterator<Item = (&ProjectPath, &[u8])> {
        self.files
            .iter()
            .map(|(path, contents)| (path, contents.as_slice()))
    }

    /// Every file name, in order.
    pub fn paths(&self) -> impl Iterator<Item = &ProjectPath> {
        self.files.keys()
    }

    /// How many files.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Whether there are no files.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// The total size of the contents, in bytes.
    pub fn total_size(&self) -> usize {
        self.files.values().map(Vec::len).sum()
    }

    /// Applies `changes` on top of these files; returns the names whose contents changed or
    /// that are new.
    pub fn merge(&mut self, changes: &ProjectFiles) -> Vec<ProjectPath> {
        let mut changed = Vec::new();
        for (path, contents) in changes.iter() {
            if self.files.get(path).map(Vec::as_slice) != Some(contents) {
                self.files.insert(path.clone(), contents.to_vec());
                changed.push(path.clone());
            }
        }
        changed
    }

    /// The project in the reply format the prompts ask for: each text file as a fenced block
    /// whose info string names it. Files that are not UTF-8 are listed by name only.
    pub fn render(&self) -> String {
        let mut text = String::new();
        for (path, contents) in self.iter() {
            match std::str::from_utf8(contents) {
                Ok(contents) => {
                    let fence = fence_for(contents);
                    let language = language_of(path);
                    text.push_str(&format!("{fence}{language} {path}\n{contents}"));
                    if !contents.ends_with('\n') {
                        text.push('\n');
                    }
                    text.push_str(&fence);
                    text.push_str("\n\n");
                }
                Err(_) => text.push_str(&format!(
                    "({path}: {} bytes of binary data, not shown)\n\n",
                    contents.len()
                )),
            }
        }
        text
    }
}

/// The language word of a fenced block for `path`.
pub fn language_of(path: &ProjectPath) -> &'static str {
    let name = path.as_str();
    match name.rsplit('.').next() {
        Some("toml") => "toml",
        Some("rs") => "rust",
        Some("md") => "markdown",
        Some("html") => "html",
        Some("css") => "css",
        Some("js") => "javascript",
        Some("json") => "json",
        _ => "text",
    }
}

/// A backtick fence longer than any backtick run inside `contents`.
fn fence_for(contents: &str) -> String {
    let mut longest = 0;
    let mut run = 0;
    for character in contents.chars() {
        if character == '`' {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    "`".repeat((longest + 1).max(3))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(name: &str) -> ProjectPath {
        ProjectPath::parse(name).unwrap()
    }

    #[test]
    fn merges_and_reports_changes() {
        let mut project = ProjectFiles::new();
        project.insert(path("sauce.toml"), "[app]\nname = \"a\"\n");
        project.insert(path("src/lib.rs"), "fn a() {}\n");
        let mut changes = ProjectFiles::new();
        changes.insert(path("src/lib.rs"), "fn a() {}\n");
        changes.insert(path("sauce.toml"), "[app]\nname = \"b\"\n");
        changes.insert(path("README.md"), "# b\n");
        let changed = project.merge(&changes);
        assert_eq!(changed, vec![path("README.md"), path("sauce.toml")]);
        assert_eq!(project.text("sauce.toml"), Some("[app]\nname = \"b\"\n"));
        assert_eq!(project.len(), 3);
        assert_eq!(project.get("../x"), None);
    }

    #[test]
    fn renders_in_the_reply_format() {
        let mut project = ProjectFiles::new();
        project.insert(path("sauce.toml"), "[app]\nname = \"a\"");
        project.insert(path("README.md"), "```sh\nsauce run\n```\n");
        project.insert(path("public/logo.png"), vec![0xff, 0xd8, 0x00]);
        let text = project.render();
        assert!(
            text.contains("```toml sauce.toml\n[app]\nname = \"a\"\n```\n"),
            "{text}"
        );
        assert!(
            text.contains("````markdown README.md\n```sh\nsauce run\n```\n````\n"),
            "{text}"
        );
        assert!(text.contains("(public/logo.png: 3 bytes of binary data, not shown)"));
        assert_eq!(project.total_size(), 17 + 19 + 3);
    }
}
