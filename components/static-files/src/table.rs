//! [`FileTable`]: files sorted by path, found by binary search on the decoded request path.
use sauce_http_server::path;
use sauce_http_server::{FileAnswer, FileRequest, FileStore, StaticFile};

use crate::conditional;

/// The name looked up for a folder path (empty, or ending in `/`).
const INDEX: &[u8] = b"index.html";

/// A folder's files, sorted by [`StaticFile::path`] when the image is built.
#[derive(Clone, Copy, Debug)]
pub struct FileTable {
    files: &'static [StaticFile],
}

impl FileTable {
    /// A table over `files`, which must be sorted by path in byte order, each path once.
    ///
    /// # Panics
    ///
    /// (At compile time when it initialises a `static`.) When `files` is not strictly sorted
    /// by path, a path starts or ends with `/`, or an `ETag` is not a quoted entity tag
    /// (`"…"` or `W/"…"`).
    pub const fn new(files: &'static [StaticFile]) -> FileTable {
        let mut index = 0;
        while index < files.len() {
            let file = &files[index];
            let path = file.path.as_bytes();
            if let [b'/', ..] | [.., b'/'] = path {
                panic!("static files: a path must not start or end with `/`");
            }
            if let Some(etag) = file.etag {
                if !is_entity_tag(etag.as_bytes()) {
                    panic!("static files: an ETag must be quoted, such as \"\\\"3f2a\\\"\"");
                }
            }
            if index > 0 && !precedes(files[index - 1].path.as_bytes(), path) {
                panic!("static files: the files must be sorted by path, each path once");
            }
            index += 1;
        }
        FileTable { files }
    }

    /// The files, sorted by path.
    pub const fn files(&self) -> &'static [StaticFile] {
        self.files
    }

    /// The file a request path names: `rest` is the raw path after the route's prefix,
    /// decoded while comparing (`a%20b.css` names `a b.css`). An empty `rest` names the file
    /// whose path is empty (a `file` route) if there is one; otherwise an empty `rest` or one
    /// ending in `/` names that folder's `index.html`.
    pub fn find(&self, rest: &[u8]) -> Option<&'static StaticFile> {
        let files = self.files;
        if rest.is_empty() {
            if let Some(file) = files.first().filter(|file| file.path.is_empty()) {
                return Some(file);
            }
        }
        let is_folder = path::decoded(rest).last().is_none_or(|last| last == b'/');
        let suffix = if is_folder { INDEX } else { &[] };
        let name = || path::decoded(rest).chain(suffix.iter().copied());
        let position = files
            .binary_search_by(|file| file.path.bytes().cmp(name()))
            .ok()?;
        files.get(position)
    }
}

impl FileStore for FileTable {
    fn answer(&self, request: FileRequest<'_>) -> Option<FileAnswer> {
        let file = self.find(request.rest)?;
        let not_modified = match (file.etag, request.if_none_match) {
            (Some(etag), Some(wanted)) => conditional::none_match_fails(etag, wanted),
            _ => false,
        };
        Some(if not_modified {
            FileAnswer::NotModified(file)
        } else {
            FileAnswer::Found(file)
        })
    }
}

/// Whether `first` sorts strictly before `second` in byte order (`<` on `[u8]`, in `const`).
const fn precedes(first: &[u8], second: &[u8]) -> bool {
    let mut index = 0;
    while index < first.len() && index < second.len() {
        if first[index] != second[index] {
            return first[index] < second[index];
        }
        index += 1;
    }
    first.len() < second.len()
}

/// `"…"` or `W/"…"` with no `"` inside (RFC 9110 §8.8.3's `entity-tag`, in `const`).
const fn is_entity_tag(tag: &[u8]) -> bool {
    let start = if let [b'W', b'/', ..] = tag { 2 } else { 0 };
    if tag.len() < start + 2 || tag[start] != b'"' || tag[tag.len() - 1] != b'"' {
        return false;
    }
    let mut index = start + 1;
    while index < tag.len() - 1 {
        if tag[index] == b'"' || tag[index] < 0x21 || tag[index] == 0x7F {
            return false;
        }
        index += 1;
    }
    true
}

#[cfg(test)]
mod tests;
