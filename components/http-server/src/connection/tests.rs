//! Connection tests: exchanges byte for byte. Errors and timeouts in `errors`, property tests in
//! `properties`; the helpers here drive a connection the way the TCP glue does.
use super::*;
use crate::files::LinearFiles;
use crate::method::{Method, Methods};
use crate::response::{Response, StaticFile};
use crate::route::Route;
use crate::server::Server;

mod errors;
mod properties;

pub(super) const TEXT: &str = "text/plain; charset=utf-8";
pub(super) const HELLO: &str = "HTTP/1.1 200 OK\r\nServer: SauceOS\r\n\
    Content-Type: text/plain; charset=utf-8\r\nContent-Length: 19\r\n\r\nHello from SauceOS\n";
static BIG: [u8; 3000] = [b'x'; 3000];
static FILES: [StaticFile; 2] = [
    StaticFile {
        path: "index.html",
        content_type: "text/html",
        body: b"<h1>home</h1>",
        etag: None,
        last_modified: None,
        gzip: None,
    },
    StaticFile {
        path: "a/b.css",
        content_type: "text/css",
        body: b"b{}",
        etag: Some("\"b1\""),
        last_modified: None,
        gzip: None,
    },
];
static STORE: LinearFiles = LinearFiles(&FILES);
pub(super) static ROUTES: [Route; 5] = [
    Route::response(
        "/",
        Methods::GET,
        Response::new(200, TEXT, b"Hello from SauceOS\n"),
    ),
    Route::response(
        "/submit",
        Methods::POST.with(Method::Put),
        Response::new(201, TEXT, b"ok\n"),
    ),
    Route::response(
        "/old",
        Methods::GET,
        Response::new(308, "", b"").with_headers(&[("Location", "/")]),
    ),
    Route::files("/static/*", Methods::GET, &STORE),
    Route::response(
        "/big",
        Methods::GET,
        Response::new(200, "application/octet-stream", &BIG),
    ),
];

pub(super) fn connection_with(configuration: Configuration) -> Connection {
    Server::new(Router::new(&ROUTES), configuration).connection(0)
}

pub(super) fn connection() -> Connection {
    connection_with(Configuration::DEFAULT)
}

/// Moves everything pending out in pieces of at most `piece` bytes, like a small send buffer.
pub(super) fn drain(connection: &mut Connection, piece: usize) -> Vec<u8> {
    let mut sent = Vec::new();
    loop {
        let pending = connection.transmit();
        let count = pending.len().min(piece);
        if count == 0 {
            return sent;
        }
        sent.extend_from_slice(&pending[..count]);
        connection.consumed(count);
    }
}

/// Feeds `chunks` one `receive` at a time at `now_ms`, offering back what was not taken after
/// draining the output, as the glue does; returns every byte sent.
pub(super) fn feed(connection: &mut Connection, chunks: &[&[u8]], now_ms: u64) -> Vec<u8> {
    let mut sent = Vec::new();
    for chunk in chunks {
        let mut rest = *chunk;
        loop {
            let taken = connection.receive(rest, now_ms);
            assert!(taken <= rest.len());
            rest = &rest[taken..];
            let drained = drain(connection, usize::MAX);
            let stuck = taken == 0 && drained.is_empty();
            sent.extend_from_slice(&drained);
            if rest.is_empty() {
                break;
            }
            assert!(!stuck, "a connection with empty output must take input");
        }
    }
    sent
}

pub(super) fn exchange(input: &[u8]) -> (String, Connection) {
    let mut connection = connection();
    let sent = feed(&mut connection, &[input], 1);
    (String::from_utf8_lossy(&sent).into_owned(), connection)
}

#[test]
fn get_root_exact_bytes() {
    let (sent, connection) = exchange(b"GET / HTTP/1.1\r\nHost: example.com\r\n\r\n");
    assert_eq!(sent, HELLO);
    assert!(!connection.wants_close());
}

#[test]
fn head_has_the_same_headers_and_no_body() {
    let (sent, _) = exchange(b"HEAD / HTTP/1.1\r\n\r\n");
    assert_eq!(sent, HELLO.strip_suffix("Hello from SauceOS\n").unwrap());
    let (sent, _) = exchange(b"HEAD /big HTTP/1.1\r\n\r\n");
    assert!(sent.ends_with("Content-Length: 3000\r\n\r\n"));
}

#[test]
fn pipelined_requests_are_answered_in_order() {
    let (sent, connection) = exchange(
        b"GET /missing HTTP/1.1\r\n\r\nGET / HTTP/1.1\r\n\r\nHEAD /static/a/b.css HTTP/1.1\r\n\r\n",
    );
    let statuses: Vec<&str> = sent.split("HTTP/1.1 ").skip(1).map(|r| &r[..3]).collect();
    assert_eq!(statuses, ["404", "200", "200"]);
    assert!(sent.contains(HELLO));
    assert!(sent.ends_with(
        "Content-Type: text/css\r\nContent-Length: 3\r\nETag: \"b1\"\r\nAccept-Ranges: bytes\r\n\r\n"
    ));
    assert!(!connection.wants_close());
}

#[test]
fn keep_alive_serves_many_requests_without_growing() {
    let mut connection = connection();
    for round in 0..1000 {
        let sent = feed(&mut connection, &[b"GET / HTTP/1.1\r\n", b"\r\n"], round);
        assert_eq!(sent, HELLO.as_bytes());
    }
    assert!(!connection.wants_close());
    assert!(connection.head_buffer.capacity() <= Configuration::DEFAULT.header_limit);
}

#[test]
fn a_request_split_byte_by_byte_gets_the_same_response() {
    let input = b"\r\nPOST /submit HTTP/1.1\r\nContent-Length: 5\r\n\r\nhelloGET / HTTP/1.1\n\n";
    let whole = exchange(input).0;
    let mut connection = connection();
    let bytes: Vec<&[u8]> = input.chunks(1).collect();
    assert_eq!(
        String::from_utf8(feed(&mut connection, &bytes, 1)).unwrap(),
        whole
    );
    assert!(whole.starts_with("HTTP/1.1 201 Created\r\n"));
    assert!(whole.ends_with(HELLO));
}

#[test]
fn http_1_0_closes_by_default_and_keeps_alive_on_request() {
    let (sent, connection) = exchange(b"GET / HTTP/1.0\r\n\r\nGET / HTTP/1.0\r\n\r\n");
    assert_eq!(sent.matches("HTTP/1.1 200").count(), 1);
    assert!(sent.contains("Content-Length: 19\r\nConnection: close\r\n\r\n"));
    assert!(connection.wants_close());
    let (sent, connection) = exchange(b"GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    assert!(sent.contains("Connection: keep-alive\r\n\r\n"));
    assert!(!connection.wants_close());
}

#[test]
fn connection_close_is_honoured_and_later_requests_ignored() {
    let (sent, connection) =
        exchange(b"GET / HTTP/1.1\r\nConnection: close\r\n\r\nGET / HTTP/1.1\r\n\r\n");
    assert_eq!(sent.matches("HTTP/1.1 200").count(), 1);
    assert!(sent.contains("Connection: close\r\n"));
    assert!(connection.wants_close());
}

#[test]
fn prefix_route_serves_files_by_the_rest_of_the_path() {
    let (sent, _) = exchange(b"GET /static/a/b.css HTTP/1.1\r\n\r\n");
    assert!(sent.starts_with("HTTP/1.1 200 OK\r\n"));
    assert!(sent.ends_with("ETag: \"b1\"\r\nAccept-Ranges: bytes\r\n\r\nb{}"));
    let (sent, _) = exchange(b"GET http://host/static/?x=1 HTTP/1.1\r\n\r\n");
    assert!(sent.ends_with("Content-Type: text/html\r\nContent-Length: 13\r\nAccept-Ranges: bytes\r\n\r\n<h1>home</h1>"));
    let (sent, _) = exchange(b"GET /static/nope.css HTTP/1.1\r\n\r\n");
    assert!(sent.starts_with("HTTP/1.1 404 Not Found\r\n"));
}

#[test]
fn matching_if_none_match_gets_304() {
    let (sent, _) =
        exchange(b"GET /static/a/b.css HTTP/1.1\r\nIf-None-Match: \"zz\", W/\"b1\"\r\n\r\n");
    assert_eq!(
        sent,
        "HTTP/1.1 304 Not Modified\r\nServer: SauceOS\r\nETag: \"b1\"\r\n\r\n"
    );
    let (sent, _) = exchange(b"GET /static/a/b.css HTTP/1.1\r\nIf-None-Match: \"zz\"\r\n\r\n");
    assert!(sent.starts_with("HTTP/1.1 200 OK\r\n"));
}

#[test]
fn dot_segments_are_rejected_and_the_connection_stays() {
    let (sent, connection) =
        exchange(b"GET /static/../secret HTTP/1.1\r\n\r\nGET /static/%2e%2e/x HTTP/1.1\r\n\r\n");
    assert_eq!(sent.matches("HTTP/1.1 400 Bad Request\r\n").count(), 2);
    assert!(!connection.wants_close());
}

#[test]
fn redirects_carry_their_extra_headers() {
    let (sent, _) = exchange(b"GET /old HTTP/1.1\r\n\r\n");
    assert_eq!(
        sent,
        "HTTP/1.1 308 Permanent Redirect\r\nServer: SauceOS\r\nContent-Length: 0\r\nLocation: /\r\n\r\n"
    );
}

#[test]
fn bodies_are_discarded_and_expect_continue_is_answered() {
    let (sent, connection) = exchange(
        b"PUT /submit HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\nbodyGET / HTTP/1.1\r\n\r\n",
    );
    assert!(sent.starts_with("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\n"));
    assert!(sent.ends_with(HELLO));
    assert!(!connection.wants_close());
}

#[test]
fn large_bodies_are_sent_from_the_image_in_place() {
    let mut connection = connection();
    connection.receive(b"GET /big HTTP/1.1\r\n\r\n", 1);
    let head = connection.transmit().len();
    connection.consumed(head);
    assert_eq!(connection.transmit().as_ptr(), BIG.as_ptr());
    let mut destination = vec![0; 5000];
    assert_eq!(connection.write_to(&mut destination), 3000);
}

#[test]
fn output_back_pressure_takes_fewer_bytes_then_resumes() {
    let configuration = Configuration {
        output_limit: 200,
        ..Configuration::DEFAULT
    };
    let mut connection = connection_with(configuration);
    let input = b"GET / HTTP/1.1\r\n\r\n".repeat(20);
    let taken = connection.receive(&input, 1);
    assert!(taken < input.len(), "stopped reading while responses wait");
    assert!(connection.transmit().len() < 200 + HELLO.len());
    let mut again = connection_with(configuration);
    let sent = feed(&mut again, &[&input], 1);
    assert_eq!(sent, HELLO.repeat(20).as_bytes());
}

#[test]
fn peer_close_sends_what_is_queued_then_closes() {
    let mut connection = connection();
    connection.receive(b"GET / HTTP/1.1\r\n\r\nGET / HT", 1);
    connection.peer_closed();
    assert!(!connection.wants_close());
    assert_eq!(drain(&mut connection, 7), HELLO.as_bytes());
    assert!(connection.wants_close());
    assert!(connection.poll(1).wants_close);
}

#[test]
fn a_custom_not_found_response() {
    static NOT_FOUND: Response = Response::new(404, "text/html", b"<p>gone</p>");
    let server = Server::new(
        Router::new(&ROUTES).with_not_found(&NOT_FOUND),
        Configuration::DEFAULT,
    );
    let mut connection = server.connection(0);
    let sent = feed(&mut connection, &[b"GET /nowhere HTTP/1.1\r\n\r\n"], 1);
    assert!(String::from_utf8(sent)
        .unwrap()
        .ends_with("Content-Length: 11\r\n\r\n<p>gone</p>"));
}

#[test]
fn responses_carry_date_once_the_server_knows_the_wall_clock() {
    static ROUTES: [crate::Route; 1] = [crate::Route::response(
        "/",
        crate::Methods::GET,
        crate::Response::new(200, "text/plain", b"hi"),
    )];
    let server = crate::Server::new(crate::Router::new(&ROUTES), Configuration::DEFAULT)
        .with_wall_clock(784_111_777_000);
    let mut connection = server.connection(0);
    connection.receive(b"GET / HTTP/1.1\r\n\r\n", 500);
    let sent = String::from_utf8(connection.transmit().to_vec()).unwrap();
    assert!(
        sent.contains("\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\n"),
        "{sent}"
    );
    let mut without =
        crate::Server::new(crate::Router::new(&ROUTES), Configuration::DEFAULT).connection(0);
    without.receive(b"GET / HTTP/1.1\r\n\r\n", 500);
    assert!(!String::from_utf8_lossy(without.transmit()).contains("Date:"));
}

/// An app answering every path under `/app/`.
struct AppUnderApp;

impl crate::app::AppRoutes for AppUnderApp {
    fn route(&self, _method: Method, path: &[u8]) -> Option<crate::app::AppRoute> {
        path.starts_with(b"/app/").then_some(crate::app::AppRoute {
            body_limit: None,
            route: 3,
        })
    }
}

#[test]
fn the_app_gets_the_head_with_its_method_and_target_where_the_server_found_them() {
    static APP: AppUnderApp = AppUnderApp;
    let router = Router::new(&ROUTES).with_app(&APP);
    let mut connection = Server::new(router, Configuration::DEFAULT).connection(0);
    let input = b"PATCH /app/7?x=%41 HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\nhi";
    assert!(feed(&mut connection, &[input], 1).is_empty());
    let request = connection.take_app_request().expect("the app's request");
    assert_eq!(request.method, Method::Patch);
    assert_eq!(request.route, 3);
    assert_eq!(&request.head[request.target.clone()], b"/app/7?x=%41");
    assert!(request
        .head
        .starts_with(b"PATCH /app/7?x=%41 HTTP/1.1\r\nHost: h\r\n"));
    assert_eq!(request.body, b"hi");
}
