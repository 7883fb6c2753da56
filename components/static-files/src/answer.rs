//! The answer for a request to a [`FileTable`]: which file, which representation (gzip or
//! not), then the preconditions and the range, in RFC 9110 §13.2.2's order.
use sauce_http_server::files::{FileReply, Outcome};
use sauce_http_server::{FileAnswer, FileRequest, FileStore};

use crate::range::{self, Selection};
use crate::{conditional, encoding, FileTable};

impl FileStore for FileTable {
    /// The file `rest` names (or the folder redirect); the gzip copy when the file has one
    /// and `Accept-Encoding` accepts it; then 304 when `If-None-Match` names that copy's tag
    /// (or, without `If-None-Match`, `If-Modified-Since` is not before `Last-Modified`); else
    /// 206/416 for a `Range` that `If-Range` (if any) lets apply; else 200.
    fn answer(&self, request: FileRequest<'_>) -> Option<FileAnswer> {
        let Some(file) = self.find(request.rest) else {
            return self
                .names_folder(request.rest)
                .then_some(FileAnswer::Folder);
        };
        let gzip =
            file.gzip.is_some() && request.accept_encoding.is_some_and(encoding::accepts_gzip);
        let (body, etag) = file.representation(gzip);
        let not_modified = match (request.if_none_match, request.if_modified_since) {
            (Some(wanted), _) => {
                etag.is_some_and(|etag| conditional::none_match_fails(etag, wanted))
            }
            (None, Some(since)) => file
                .last_modified
                .is_some_and(|modified| conditional::unmodified_since(modified, since)),
            (None, None) => false,
        };
        let outcome = match request.range {
            _ if not_modified => Outcome::NotModified,
            Some(range)
                if request.if_range.is_none_or(|if_range| {
                    conditional::range_applies(etag, file.last_modified, if_range)
                }) =>
            {
                match range::select(range, body.len()) {
                    Selection::Whole => Outcome::Whole,
                    Selection::Part { first, last } => Outcome::Part { first, last },
                    Selection::Unsatisfiable => Outcome::RangeNotSatisfiable,
                }
            }
            _ => Outcome::Whole,
        };
        Some(FileAnswer::File(FileReply {
            file,
            gzip,
            outcome,
            headers: self.headers(),
        }))
    }
}

#[cfg(test)]
mod tests;
