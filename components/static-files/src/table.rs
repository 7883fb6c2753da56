//! [`FileTable`]: files sorted by path, found by binary search on the decoded request path.
use sauce_http_server::path;
use sauce_http_server::StaticFile;

/// The name looked up for a folder path (empty, or ending in `/`).
const INDEX: &[u8] = b"index.html";

/// The name a folder path without its slash would look up (`docs` → `docs/index.html`).
const SLASHED_INDEX: &[u8] = b"/index.html";

/// A folder's files, sorted by [`StaticFile::path`] when the image is built, and the header
/// fields its route adds to their responses.
#[derive(Clone, Copy, Debug)]
pub struct FileTable {
    files: &'static [StaticFile],
    headers: &'static [(&'static str, &'static str)],
}

impl FileTable {
    /// A table over `files`, which must be sorted by path in byte order, each path once.
    ///
    /// # Panics
    ///
    /// (At compile time when it initialises a `static`.) When `files` is not strictly sorted
    /// by path, a path starts or ends with `/`, an `ETag` (a gzip copy's too) is not a quoted
    /// entity tag (`"…"` or `W/"…"`), or a gzip copy's `ETag` is the file's.
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
            if let Some(compressed) = file.gzip {
                if !is_entity_tag(compressed.etag.as_bytes()) {
                    panic!("static files: an ETag must be quoted, such as \"\\\"3f2a\\\"\"");
                }
                if let Some(etag) = file.etag {
                    if equal(etag.as_bytes(), compressed.etag.as_bytes()) {
                        panic!("static files: a gzip copy needs an ETag of its own");
                    }
                }
            }
            if index > 0 && !precedes(files[index - 1].path.as_bytes(), path) {
                panic!("static files: the files must be sorted by path, each path once");
            }
            index += 1;
        }
        FileTable {
            files,
            headers: &[],
        }
    }

    /// This table adding `headers` (such as `("Cache-Control", "max-age=3600")`) to the
    /// 200, 206 and 304 responses of its files.
    pub const fn with_headers(self, headers: &'static [(&'static str, &'static str)]) -> FileTable {
        FileTable { headers, ..self }
    }

    /// The files, sorted by path.
    pub const fn files(&self) -> &'static [StaticFile] {
        self.files
    }

    /// The header fields added to the files' responses.
    pub const fn headers(&self) -> &'static [(&'static str, &'static str)] {
        self.headers
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

    /// Whether `rest` names a folder without its trailing slash: not empty, not ending in
    /// `/`, and `rest/index.html` is a file (then the answer is a 301 to `rest/`).
    pub fn names_folder(&self, rest: &[u8]) -> bool {
        if path::decoded(rest).last().is_none_or(|last| last == b'/') {
            return false;
        }
        let name = || path::decoded(rest).chain(SLASHED_INDEX.iter().copied());
        self.files
            .binary_search_by(|file| file.path.bytes().cmp(name()))
            .is_ok()
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

/// Whether two byte strings are equal (`==` on `[u8]`, in `const`).
const fn equal(first: &[u8], second: &[u8]) -> bool {
    first.len() == second.len() && !precedes(first, second) && !precedes(second, first)
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
