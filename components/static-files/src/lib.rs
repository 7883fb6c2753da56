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
//! - [`conditional`]: `If-None-Match` against a file's `ETag` (weak comparison) → 304.
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
//!     },
//!     StaticFile {
//!         path: "index.html",
//!         content_type: "text/html; charset=utf-8",
//!         body: b"<h1>hi</h1>",
//!         etag: Some("\"0b9e3c5d7f214a68\""),
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
//! }];
//! static ROBOTS_TABLE: FileTable = FileTable::new(&ROBOTS_FILE);
//! static ROUTES: [Route; 1] = [Route::files("/robots.txt", Methods::GET, &ROBOTS_TABLE)];
//! # assert!(ROBOTS_TABLE.find(b"").is_some());
//! ```
//! An unsorted or duplicated table, a path starting or ending with `/`, or an `ETag` that is
//! not a quoted entity tag stops the build: `FileTable::new` panics during constant
//! evaluation, so the mistake is a compile error of the board, never a boot-time surprise.
#![cfg_attr(not(test), no_std)]
#![forbid(unsafe_code)]

pub mod conditional;
pub mod table;

pub use sauce_http_server::{FileAnswer, FileRequest, FileStore, StaticFile};
pub use table::FileTable;
