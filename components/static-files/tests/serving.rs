//! Folder and file routes served through the HTTP server: the bytes on the wire for GET, HEAD,
//! `index.html`, 304, 404 and the file route of an exact path.
use sauce_http_server::{Configuration, Methods, Response, Route, Router, Server, StaticFile};
use sauce_static_files::FileTable;

static SITE: [StaticFile; 2] = [
    StaticFile {
        path: "css/site.css",
        content_type: "text/css; charset=utf-8",
        body: b"body{}",
        etag: Some("\"c55\""),
        last_modified: None,
        gzip: None,
    },
    StaticFile {
        path: "index.html",
        content_type: "text/html; charset=utf-8",
        body: b"<h1>hi</h1>",
        etag: Some("\"1d\""),
        last_modified: None,
        gzip: None,
    },
];
static SITE_TABLE: FileTable = FileTable::new(&SITE);
static ROBOTS: [StaticFile; 1] = [StaticFile {
    path: "",
    content_type: "text/plain; charset=utf-8",
    body: b"User-agent: *\n",
    etag: None,
    last_modified: None,
    gzip: None,
}];
static ROBOTS_TABLE: FileTable = FileTable::new(&ROBOTS);
static ROUTES: [Route; 3] = [
    Route::files("/*", Methods::GET, &SITE_TABLE),
    Route::files("/robots.txt", Methods::GET, &ROBOTS_TABLE),
    Route::response("/api", Methods::GET, Response::new(200, "", b"{}")),
];

/// Everything the server sends for `request`, written in one piece.
fn exchange(request: &str) -> String {
    let server = Server::new(Router::new(&ROUTES), Configuration::DEFAULT);
    let mut connection = server.connection(0);
    assert_eq!(connection.receive(request.as_bytes(), 1), request.len());
    let mut sent = vec![0; 4096];
    let length = connection.write_to(&mut sent);
    String::from_utf8(sent[..length].to_vec()).unwrap()
}

#[test]
fn get_and_head_send_the_same_headers() {
    let head = "HTTP/1.1 200 OK\r\nServer: SauceOS\r\nContent-Type: text/css; charset=utf-8\r\n\
                Content-Length: 6\r\nETag: \"c55\"\r\nAccept-Ranges: bytes\r\n\r\n";
    assert_eq!(
        exchange("GET /css/site.css HTTP/1.1\r\n\r\n"),
        format!("{head}body{{}}")
    );
    assert_eq!(exchange("HEAD /css/site.css HTTP/1.1\r\n\r\n"), head);
    assert_eq!(
        exchange("GET /css%2Fsite.css?v=2 HTTP/1.1\r\n\r\n"),
        format!("{head}body{{}}")
    );
}

#[test]
fn folders_serve_index_html() {
    assert!(exchange("GET / HTTP/1.1\r\n\r\n")
        .ends_with("ETag: \"1d\"\r\nAccept-Ranges: bytes\r\n\r\n<h1>hi</h1>"));
    assert!(exchange("GET /css/ HTTP/1.1\r\n\r\n").starts_with("HTTP/1.1 404 Not Found\r\n"));
}

#[test]
fn a_known_tag_gets_304_for_get_and_head_only() {
    let not_modified = "HTTP/1.1 304 Not Modified\r\nServer: SauceOS\r\nETag: \"1d\"\r\n\r\n";
    assert_eq!(
        exchange("GET / HTTP/1.1\r\nIf-None-Match: \"1d\"\r\n\r\n"),
        not_modified
    );
    assert_eq!(
        exchange("HEAD / HTTP/1.1\r\nIf-None-Match: W/\"1d\"\r\n\r\n"),
        not_modified
    );
    assert!(exchange("GET / HTTP/1.1\r\nIf-None-Match: \"2\"\r\n\r\n").starts_with("HTTP/1.1 200"));
    assert!(
        exchange("POST / HTTP/1.1\r\nIf-None-Match: *\r\nContent-Length: 0\r\n\r\n")
            .starts_with("HTTP/1.1 405")
    );
}

#[test]
fn exact_file_routes_and_unknown_files() {
    assert!(exchange("GET /robots.txt HTTP/1.1\r\n\r\n").ends_with("\r\n\r\nUser-agent: *\n"));
    assert!(exchange("GET /nope.css HTTP/1.1\r\n\r\n").starts_with("HTTP/1.1 404 Not Found\r\n"));
    assert!(exchange("GET /api HTTP/1.1\r\n\r\n").ends_with("\r\n\r\n{}"));
}
