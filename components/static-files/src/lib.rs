//! The static-file store for `dir` and `file` routes: files embedded in the image, sorted by
//! path when the image is built, found by binary search on the decoded request path.
//!
//! The HTTP server (`sauce-http-server`) knows only the data a response needs
//! ([`StaticFile`]) and the [`FileStore`] hook; this component is the store. An image whose
//! intent has no `dir`/`file` route does not depend on it and carries none of its code.
//!
//! # Map
//! - [`table`]: [`FileTable`], the sorted table: checked when it is built (at compile time
//!   for a `static`), looked up without allocating, `index.html` for folder paths.
//! - `answer` (private): the [`FileStore`] answer: file, representation, preconditions,
//!   range, in RFC 9110 §13.2.2's order.
//! - [`conditional`]: `If-None-Match` (weak comparison) and `If-Modified-Since` → 304;
//!   `If-Range` (strong comparison, or the exact date) → whether `Range` applies.
//! - [`http_date`]: the three HTTP-date formats as Unix seconds.
//! - [`range`]: one `bytes=` range → 206 part or 416; anything else → the whole file.
//! - [`encoding`]: `Accept-Encoding` with weights → whether the gzip copy is sent.
//!
//! # What the generated board declares
//! For each `dir`/`file` route, one array of files **sorted by `path`** (byte order, as Rust's
//! `str` orders; each path once, relative to the route's prefix, no leading `/`), one table
//! over it, and a route referring to the table:
//! ```
//! use sauce_http_server::{Methods, Route, StaticFile};
//! use sauce_static_files::FileTable;
//!
//! // [[http.route]] path = "/static/*", dir = "public"
//! static STATIC_FILES: [StaticFile; 2] = [
//!     StaticFile {
//!         path: "css/site.css",
//!         content_type: "text/css; charset=utf-8",
//!         body: b"body{}", // include_bytes!("…/public/css/site.css") in a board
//!         etag: Some("\"6a1f0c22b3d4e5f6\""),
//!         last_modified: None,
//!         gzip: None,
//!     },
//!     StaticFile {
//!         path: "index.html",
//!         content_type: "text/html; charset=utf-8",
//!         body: b"<h1>hi</h1>",
//!         etag: Some("\"0b9e3c5d7f214a68\""),
//!         last_modified: None,
//!         gzip: None,
//!     },
//! ];
//! static STATIC_TABLE: FileTable = FileTable::new(&STATIC_FILES);
//! static ROUTES: [Route; 1] = [Route::files("/static/*", Methods::GET, &STATIC_TABLE)];
//! # assert_eq!(STATIC_TABLE.find(b"").map(|file| file.body), Some(&b"<h1>hi</h1>"[..]));
//! ```
//! A `file` route (one file at an exact path) is a table of one file whose `path` is empty,
//! served by `Route::files` at the exact path: the empty rest of an exact route names it.
//! ```
//! # use sauce_http_server::{Methods, Route, StaticFile};
//! # use sauce_static_files::FileTable;
//! // [[http.route]] path = "/robots.txt", file = "robots.txt"
//! static ROBOTS_FILE: [StaticFile; 1] = [StaticFile {
//!     path: "",
//!     content_type: "text/plain; charset=utf-8",
//!     body: b"User-agent: *\n",
//!     etag: Some("\"5d0c6a2e91b7f348\""),
//!     last_modified: None,
//!     gzip: None,
//! }];
//! static ROBOTS_TABLE: FileTable = FileTable::new(&ROBOTS_FILE);
//! static ROUTES: [Route; 1] = [Route::files("/robots.txt", Methods::GET, &ROBOTS_TABLE)];
//! # assert!(ROBOTS_TABLE.find(b"").is_some());
//! ```
//! An unsorted or duplicated table, a path starting or ending with `/`, or an `ETag` that is
//! not a quoted entity tag stops the build: `FileTable::new` panics during constant
//! evaluation, so the mistake is a compile error of the board, never a boot-time surprise.
//!
//! # Rules
//! 1. Lookups and answers never allocate and never panic on a request's bytes (the answer's
//!    property test feeds every field noise and near-misses).
//! 2. Preconditions follow RFC 9110 §13.2.2 for `GET`/`HEAD`: `If-None-Match` (weak
//!    comparison) first, `If-Modified-Since` only without it, then `If-Range` (strong
//!    comparison or the exact date) decides whether `Range` applies.
//! 3. The representation is chosen before the preconditions: the gzip copy (its own `ETag`)
//!    when the file has one and `Accept-Encoding` accepts gzip; `Range` counts its bytes.
//! 4. One `bytes=` range gets 206 (or 416 when it starts past the end); several ranges, another
//!    unit or a malformed field get the whole file.
#![cfg_attr(not(test), no_std)]
#![forbid(unsafe_code)]

mod answer;
pub mod conditional;
pub mod encoding;
pub mod http_date;
pub mod range;
pub mod table;

pub use sauce_http_server::{FileAnswer, FileRequest, FileStore, StaticFile};
pub use table::FileTable;
