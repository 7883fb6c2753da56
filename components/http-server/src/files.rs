//! The hook through which a folder route asks a file store (the `static-files` component) for
//! the file a request names.
//!
//! This crate holds only the data a response needs ([`StaticFile`]), the trait, and the answer
//! it writes ([`FileAnswer`]); the lookup and the rules that choose an answer (sorted table,
//! binary search, `index.html`, the folder redirect, conditional requests, `Range`,
//! `Accept-Encoding`) live in the store, so an image without `dir`/`file` routes carries none
//! of them.
use core::fmt;

use crate::response::StaticFile;

/// What a store answers for a request naming one of its files or folders.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileAnswer {
    /// A file, in the representation and with the outcome the request's fields select.
    File(FileReply),
    /// `301 Moved Permanently` to the same path with a trailing slash (and the same query):
    /// the path names a folder that has an `index.html`, without the slash (as nginx does).
    Folder,
}

/// The file a store found and how to answer with it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FileReply {
    /// The file.
    pub file: &'static StaticFile,
    /// Whether the gzip copy is sent ([`StaticFile::representation`]): the file has one and
    /// the request's `Accept-Encoding` accepts gzip.
    pub gzip: bool,
    /// The status and the bytes sent.
    pub outcome: Outcome,
    /// Header fields the route adds to its files' responses (`Cache-Control`), sent with 200,
    /// 206 and 304.
    pub headers: &'static [(&'static str, &'static str)],
}

/// Which answer a file gets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// `200 OK` with the whole representation (its body omitted for `HEAD`).
    Whole,
    /// `206 Partial Content`: bytes `first..=last` of the representation, within it.
    Part {
        /// The first byte sent.
        first: usize,
        /// The last byte sent (inclusive, as in `Content-Range`).
        last: usize,
    },
    /// `304 Not Modified`: the request's `If-None-Match` names the representation's `ETag`,
    /// or (without `If-None-Match`) its `If-Modified-Since` is at or after `Last-Modified`.
    NotModified,
    /// `416 Range Not Satisfiable`: the request's one range starts beyond the representation.
    RangeNotSatisfiable,
}

/// A request for one file of a folder route, after the route and the method were checked.
/// Every field but `rest` is a header field's value as received (outer whitespace trimmed),
/// `None` when the request had none or the method does not use it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FileRequest<'a> {
    /// The raw path after the route's prefix (`css/a%20b.css` for `/static/css/a%20b.css`
    /// on `/static/*`): percent-escapes still encoded, no query, no dot segments (those got
    /// 400 before), possibly empty or ending in `/` (a folder).
    pub rest: &'a [u8],
    /// `If-None-Match`, for `GET` and `HEAD`.
    pub if_none_match: Option<&'a [u8]>,
    /// `If-Modified-Since`, for `GET` and `HEAD`.
    pub if_modified_since: Option<&'a [u8]>,
    /// `Range`, for `GET` only (RFC 9110 §14.2).
    pub range: Option<&'a [u8]>,
    /// `If-Range`, for `GET` only.
    pub if_range: Option<&'a [u8]>,
    /// `Accept-Encoding`.
    pub accept_encoding: Option<&'a [u8]>,
}

impl<'a> FileRequest<'a> {
    /// A request for `rest` without any header field.
    pub const fn new(rest: &'a [u8]) -> FileRequest<'a> {
        FileRequest {
            rest,
            if_none_match: None,
            if_modified_since: None,
            range: None,
            if_range: None,
            accept_encoding: None,
        }
    }
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
        let outcome = if not_modified {
            Outcome::NotModified
        } else {
            Outcome::Whole
        };
        Some(FileAnswer::File(FileReply {
            file,
            gzip: false,
            outcome,
            headers: &[],
        }))
    }
}
