//! The hook through which a folder route asks a file store (the `static-files` component) for
//! the file a request names.
//!
//! This crate holds only the data a response needs ([`StaticFile`]) and the trait; the lookup
//! (sorted table, binary search, `index.html`, `If-None-Match`) lives in the store, so an image
//! without `dir`/`file` routes carries none of it.
use core::fmt;

use crate::response::StaticFile;

/// What a store answers for a file of a folder route.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileAnswer {
    /// `200 OK` with the file (its body omitted for `HEAD`).
    Found(&'static StaticFile),
    /// `304 Not Modified`: the request's `If-None-Match` names the file's `ETag`.
    NotModified(&'static StaticFile),
}

/// A request for one file of a folder route, after the route and the method were checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FileRequest<'a> {
    /// The raw path after the route's prefix (`css/a%20b.css` for `/static/css/a%20b.css`
    /// on `/static/*`): percent-escapes still encoded, no query, no dot segments (those got
    /// 400 before), possibly empty or ending in `/` (a folder).
    pub rest: &'a [u8],
    /// The `If-None-Match` field's value for a `GET` or `HEAD`; `None` for other methods or
    /// when the request had none.
    pub if_none_match: Option<&'a [u8]>,
}

/// A table of files a folder route (`Route::files`) serves.
///
/// Implemented by the `static-files` component's `FileTable`; tests may implement it with a
/// linear scan. `Debug` so that routes can be printed.
pub trait FileStore: Sync + fmt::Debug {
    /// The answer for `request`, or `None` when no file has that name (the router's 404).
    fn answer(&self, request: FileRequest<'_>) -> Option<FileAnswer>;
}

/// A store for unit tests: a linear scan, `index.html` for folders, weak `ETag` comparison.
#[cfg(test)]
#[derive(Debug)]
pub(crate) struct LinearFiles(pub(crate) &'static [StaticFile]);

#[cfg(test)]
impl FileStore for LinearFiles {
    fn answer(&self, request: FileRequest<'_>) -> Option<FileAnswer> {
        let index: &[u8] = if request.rest.is_empty() || request.rest.ends_with(b"/") {
            b"index.html"
        } else {
            b""
        };
        let file = self.0.iter().find(|file| {
            crate::path::decoded(request.rest)
                .chain(index.iter().copied())
                .eq(file.path.bytes())
        })?;
        let not_modified = file.etag.is_some_and(|etag| {
            request.if_none_match.is_some_and(|wanted| {
                wanted
                    .split(|byte| *byte == b',')
                    .map(crate::syntax::trim_whitespace)
                    .any(|tag| tag.strip_prefix(b"W/").unwrap_or(tag) == etag.as_bytes())
                    || wanted == b"*"
            })
        });
        Some(if not_modified {
            FileAnswer::NotModified(file)
        } else {
            FileAnswer::Found(file)
        })
    }
}
