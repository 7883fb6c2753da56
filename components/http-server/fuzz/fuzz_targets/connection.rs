//! Arbitrary bytes fed to a connection in fuzzer-chosen pieces, with polls in between.
//!
//! Input layout: byte 0 picks the configuration and the piece size, the rest is the stream.
//! Checks rule 1 (no panic), rule 2 (bounded buffering) and rule 3 (the bytes sent do not
//! depend on how the input was split).
#![no_main]

use libfuzzer_sys::fuzz_target;
use sauce_http_server::response::Compressed;
use sauce_http_server::{Configuration, Connection, Methods, Response, Route, Router, StaticFile};
use sauce_static_files::FileTable;

static FILES: [StaticFile; 2] = [
    StaticFile {
        path: "a/b.css",
        content_type: "text/css",
        body: b"b{}",
        etag: Some("\"b\""),
        last_modified: Some("Sun, 06 Nov 1994 08:49:37 GMT"),
        gzip: Some(Compressed {
            body: b"zipped",
            etag: "\"b-gzip\"",
        }),
    },
    StaticFile {
        path: "index.html",
        content_type: "text/html",
        body: b"home",
        etag: None,
        last_modified: None,
        gzip: None,
    },
];
static FILE_TABLE: FileTable =
    FileTable::new(&FILES).with_headers(&[("Cache-Control", "max-age=60")]);
static BIG: [u8; 2048] = [b'x'; 2048];
static ROUTES: [Route; 4] = [
    Route::response("/", Methods::GET, Response::new(200, "text/plain", b"hi\n")),
    Route::response(
        "/post",
        Methods::POST,
        Response::new(201, "text/plain", b"ok\n"),
    ),
    Route::response("/big", Methods::GET, Response::new(200, "text/plain", &BIG)),
    Route::files("/static/*", Methods::GET, &FILE_TABLE),
];

const SMALL: Configuration = Configuration {
    max_connections: 1,
    header_limit: 128,
    body_limit: 32,
    request_timeout_ms: 1000,
    body_timeout_ms: 1000,
    minimum_body_rate: 64,
    idle_timeout_ms: 1000,
    send_timeout_ms: 1000,
    max_headers: 4,
    output_limit: 256,
    max_pipelined: 4,
};

/// Feeds `stream` in pieces of `piece` bytes, draining through a `socket`-sized send buffer.
fn run(
    configuration: Configuration,
    stream: &[u8],
    piece: usize,
    socket: usize,
) -> (Vec<u8>, bool) {
    let mut connection = Connection::new(Router::new(&ROUTES), configuration, 0);
    let mut sent = Vec::new();
    let mut buffer = vec![0u8; socket];
    for chunk in stream.chunks(piece) {
        let mut rest = chunk;
        loop {
            let taken = connection.receive(rest, 1);
            rest = &rest[taken..];
            let written = connection.write_to(&mut buffer);
            sent.extend_from_slice(&buffer[..written]);
            if rest.is_empty() {
                break;
            }
            assert!(taken > 0 || written > 0, "no progress");
        }
        connection.poll(1);
    }
    loop {
        let written = connection.write_to(&mut buffer);
        if written == 0 {
            break;
        }
        sent.extend_from_slice(&buffer[..written]);
    }
    (sent, connection.wants_close())
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, stream)) = data.split_first() else {
        return;
    };
    let configuration = if selector & 1 == 0 {
        SMALL
    } else {
        Configuration::DEFAULT
    };
    let piece = usize::from(selector >> 1) + 1;
    let whole = run(configuration, stream, stream.len().max(1), 4096);
    let split = run(configuration, stream, piece, piece * 3 + 1);
    assert_eq!(whole, split, "splitting changed the output");
});
