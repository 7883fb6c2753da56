//! The HTTP features of static files over the wire: `OPTIONS`, the folder redirect,
//! `Last-Modified`/`If-Modified-Since`, `Range`/`If-Range`, gzip copies with `Vary`, and the
//! route's `Cache-Control`, byte for byte.
use sauce_http_server::response::Compressed;
use sauce_http_server::{Configuration, Methods, Response, Route, Router, Server, StaticFile};
use sauce_static_files::FileTable;

const MODIFIED: &str = "Sun, 06 Nov 1994 08:49:37 GMT";

static SITE: [StaticFile; 2] = [
    StaticFile {
        path: "app.js",
        content_type: "text/javascript",
        body: b"0123456789",
        etag: Some("\"js\""),
        last_modified: Some(MODIFIED),
        gzip: Some(Compressed {
            body: b"GZIP",
            etag: "\"js-gzip\"",
        }),
    },
    StaticFile {
        path: "docs/index.html",
        content_type: "text/html",
        body: b"<h1>docs</h1>",
        etag: Some("\"d\""),
        last_modified: Some(MODIFIED),
        gzip: None,
    },
];
static SITE_TABLE: FileTable =
    FileTable::new(&SITE).with_headers(&[("Cache-Control", "max-age=60")]);
static HOME: [StaticFile; 1] = [StaticFile {
    path: "index.html",
    content_type: "text/html",
    body: b"home",
    etag: None,
    last_modified: None,
    gzip: None,
}];
static HOME_TABLE: FileTable = FileTable::new(&HOME);
static ROUTES: [Route; 3] = [
    Route::files("/static/*", Methods::GET, &SITE_TABLE),
    Route::files("/site/*", Methods::GET, &HOME_TABLE),
    Route::response(
        "/hello",
        Methods::GET,
        Response::new(200, "text/plain", b"hi").with_headers(&[("Cache-Control", "no-store")]),
    ),
];

/// Everything the server sends for `request`.
fn exchange(request: &str) -> String {
    let server = Server::new(Router::new(&ROUTES), Configuration::DEFAULT);
    let mut connection = server.connection(0);
    assert_eq!(connection.receive(request.as_bytes(), 1), request.len());
    let mut sent = vec![0; 4096];
    let length = connection.write_to(&mut sent);
    String::from_utf8(sent[..length].to_vec()).unwrap()
}

const HEAD: &str = "HTTP/1.1 200 OK\r\nServer: SauceOS\r\nContent-Type: text/javascript\r\n";

#[test]
fn options_lists_the_methods_of_a_route_or_the_server() {
    let allowed = "HTTP/1.1 204 No Content\r\nServer: SauceOS\r\nAllow: GET, HEAD, OPTIONS\r\n\r\n";
    assert_eq!(exchange("OPTIONS /static/app.js HTTP/1.1\r\n\r\n"), allowed);
    assert_eq!(exchange("OPTIONS /hello HTTP/1.1\r\n\r\n"), allowed);
    assert_eq!(exchange("OPTIONS * HTTP/1.1\r\n\r\n"), allowed);
    assert!(exchange("OPTIONS /static/missing HTTP/1.1\r\n\r\n").starts_with("HTTP/1.1 404"));
    let refused = exchange("DELETE /hello HTTP/1.1\r\n\r\n");
    assert!(refused.starts_with("HTTP/1.1 405 Method Not Allowed\r\n"));
    assert!(refused.contains("\r\nAllow: GET, HEAD, OPTIONS\r\n"));
}

#[test]
fn folders_without_their_slash_are_redirected_with_the_query() {
    assert_eq!(
        exchange("GET /static/docs?a=1&b HTTP/1.1\r\n\r\n"),
        "HTTP/1.1 301 Moved Permanently\r\nServer: SauceOS\r\nContent-Length: 0\r\n\
         Location: /static/docs/?a=1&b\r\n\r\n"
    );
    assert!(exchange("HEAD /static/d%6Fcs HTTP/1.1\r\n\r\n")
        .contains("\r\nLocation: /static/d%6Fcs/\r\n"));
    assert!(exchange("GET /site?x HTTP/1.1\r\n\r\n").contains("\r\nLocation: /site/?x\r\n"));
    // `/static/` has no index.html: `/static` is not a folder to redirect to.
    assert!(exchange("GET /static HTTP/1.1\r\n\r\n").starts_with("HTTP/1.1 404"));
    assert!(exchange("GET /static/app.js/ HTTP/1.1\r\n\r\n").starts_with("HTTP/1.1 404"));
    assert!(exchange("GET /static/docs/ HTTP/1.1\r\n\r\n").ends_with("<h1>docs</h1>"));
    let with_body = exchange("GET /static/docs HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc");
    assert!(with_body.contains("\r\nLocation: /static/docs/\r\nConnection: close\r\n\r\n"));
}

#[test]
fn files_carry_last_modified_and_if_modified_since_gets_304() {
    let whole = exchange("GET /static/app.js HTTP/1.1\r\n\r\n");
    assert_eq!(
        whole,
        format!(
            "{HEAD}Content-Length: 10\r\nETag: \"js\"\r\nLast-Modified: {MODIFIED}\r\n\
             Accept-Ranges: bytes\r\nVary: Accept-Encoding\r\nCache-Control: max-age=60\r\n\r\n\
             0123456789"
        )
    );
    let not_modified = "HTTP/1.1 304 Not Modified\r\nServer: SauceOS\r\nETag: \"js\"\r\n\
                        Vary: Accept-Encoding\r\nCache-Control: max-age=60\r\n\r\n";
    assert_eq!(
        exchange(&format!(
            "GET /static/app.js HTTP/1.1\r\nIf-Modified-Since: {MODIFIED}\r\n\r\n"
        )),
        not_modified
    );
    assert!(exchange(
        "GET /static/app.js HTTP/1.1\r\nIf-Modified-Since: Sat, 05 Nov 1994 00:00:00 GMT\r\n\r\n"
    )
    .starts_with("HTTP/1.1 200"));
    // ETag first (RFC 9110 §13.2.2): a stale tag wins over a current date.
    assert!(exchange(&format!(
        "GET /static/app.js HTTP/1.1\r\nIf-None-Match: \"old\"\r\nIf-Modified-Since: {MODIFIED}\r\n\r\n"
    ))
    .starts_with("HTTP/1.1 200"));
}

#[test]
fn one_range_gets_206_and_an_unsatisfiable_one_416() {
    assert_eq!(
        exchange("GET /static/app.js HTTP/1.1\r\nRange: bytes=2-4\r\n\r\n"),
        format!(
            "HTTP/1.1 206 Partial Content\r\nServer: SauceOS\r\nContent-Type: text/javascript\r\n\
             Content-Length: 3\r\nETag: \"js\"\r\nLast-Modified: {MODIFIED}\r\n\
             Content-Range: bytes 2-4/10\r\nAccept-Ranges: bytes\r\nVary: Accept-Encoding\r\n\
             Cache-Control: max-age=60\r\n\r\n234"
        )
    );
    assert!(
        exchange("GET /static/app.js HTTP/1.1\r\nRange: bytes=-3\r\n\r\n")
            .contains("\r\nContent-Range: bytes 7-9/10\r\n")
    );
    let unsatisfiable = exchange("GET /static/app.js HTTP/1.1\r\nRange: bytes=10-\r\n\r\n");
    assert!(unsatisfiable.starts_with("HTTP/1.1 416 Range Not Satisfiable\r\n"));
    assert!(unsatisfiable.contains("\r\nContent-Range: bytes */10\r\n"));
    assert!(
        exchange("GET /static/app.js HTTP/1.1\r\nRange: bytes=0-1,3-4\r\n\r\n")
            .starts_with("HTTP/1.1 200")
    );
    assert!(
        exchange("HEAD /static/app.js HTTP/1.1\r\nRange: bytes=0-1\r\n\r\n")
            .starts_with("HTTP/1.1 200")
    );
    assert!(exchange(
        "GET /static/app.js HTTP/1.1\r\nRange: bytes=0-1\r\nIf-Range: \"old\"\r\n\r\n"
    )
    .starts_with("HTTP/1.1 200"));
    assert!(exchange(
        "GET /static/app.js HTTP/1.1\r\nRange: bytes=0-1\r\nIf-Range: \"js\"\r\n\r\n"
    )
    .starts_with("HTTP/1.1 206"));
}

#[test]
fn gzip_copies_for_clients_that_accept_them() {
    let compressed = exchange("GET /static/app.js HTTP/1.1\r\nAccept-Encoding: gzip\r\n\r\n");
    assert_eq!(
        compressed,
        format!(
            "{HEAD}Content-Length: 4\r\nETag: \"js-gzip\"\r\nLast-Modified: {MODIFIED}\r\n\
             Content-Encoding: gzip\r\nAccept-Ranges: bytes\r\nVary: Accept-Encoding\r\n\
             Cache-Control: max-age=60\r\n\r\nGZIP"
        )
    );
    assert!(
        exchange("GET /static/app.js HTTP/1.1\r\nAccept-Encoding: gzip;q=0\r\n\r\n")
            .ends_with("0123456789")
    );
    let part =
        exchange("GET /static/app.js HTTP/1.1\r\nAccept-Encoding: gzip\r\nRange: bytes=1-\r\n\r\n");
    assert!(
        part.contains("\r\nContent-Range: bytes 1-3/4\r\n"),
        "{part}"
    );
    assert!(part.ends_with("\r\n\r\nZIP"));
}

#[test]
fn fixed_routes_carry_their_cache_control() {
    assert!(exchange("GET /hello HTTP/1.1\r\n\r\n").contains("\r\nCache-Control: no-store\r\n"));
}
