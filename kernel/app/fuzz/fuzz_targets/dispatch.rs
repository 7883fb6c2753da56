//! Builds a request from arbitrary bytes as the server would and dispatches it to the
//! todo-api router as the app runtime does (with the pattern index the lookup found): nothing
//! panics, and every answer is well-formed (a known status, headers without control
//! characters, a JSON `{"error": …}` body on errors). The lookup of a path received without
//! escapes (`lookup_ascii`, the server's) agrees with the lookup of the decoded path.
//!
//! Input layout: byte 0 picks the method; then the target up to the first `\n`; then header
//! lines `name:value` up to an empty line; the rest is the body.
#![no_main]

use std::cell::Cell;
use std::net::{Ipv4Addr, SocketAddrV4};

use libfuzzer_sys::fuzz_target;
use sauce_app::testing::{block_on, HostPlatform};
use sauce_app::{Method, Request, RequestParts, Router};
use todo_api::todos::Store;
use todo_api::App;

/// Runs between two resets of the state (so memory stays bounded over millions of runs).
const RESET_EVERY: u32 = 1_000;

struct Fixture {
    router: Router<App>,
    app: &'static App,
    platform: &'static HostPlatform,
    runs: Cell<u32>,
}

thread_local! {
    static FIXTURE: Fixture = Fixture {
        router: todo_api::router(),
        app: Box::leak(Box::new(todo_api::init())),
        platform: HostPlatform::new().install_for_this_thread(),
        runs: Cell::new(0),
    };
}

fn method(selector: u8) -> Method {
    match selector % 9 {
        0 => Method::Get,
        1 => Method::Head,
        2 => Method::Post,
        3 => Method::Put,
        4 => Method::Patch,
        5 => Method::Delete,
        6 => Method::Options,
        7 => Method::from_token(b"REPORT").unwrap_or(Method::Get),
        _ => Method::from_token(b"get").unwrap_or(Method::Get),
    }
}

fn split_line(input: &[u8]) -> (&[u8], &[u8]) {
    match input.iter().position(|byte| *byte == b'\n') {
        Some(end) => (&input[..end], &input[end + 1..]),
        None => (input, &[]),
    }
}

fuzz_target!(|input: &[u8]| {
    let Some((&selector, rest)) = input.split_first() else {
        return;
    };
    let (target, mut rest) = split_line(rest);
    let mut headers: Vec<(&[u8], &[u8])> = Vec::new();
    loop {
        let (line, after) = split_line(rest);
        rest = after;
        if line.is_empty() {
            break;
        }
        let colon = line.iter().position(|byte| *byte == b':').unwrap_or(line.len());
        headers.push((&line[..colon], line.get(colon + 1..).unwrap_or_default()));
    }
    let parts = RequestParts {
        method: method(selector),
        target,
        headers: headers.iter().copied(),
        body: rest.to_vec(),
        id: 1,
        peer: SocketAddrV4::new(Ipv4Addr::LOCALHOST, 1),
    };
    FIXTURE.with(|fixture| {
        let runs = fixture.runs.get() + 1;
        fixture.runs.set(runs);
        if runs % RESET_EVERY == 0 {
            fixture.app.todos.replace(Store::default());
            fixture.platform.take_log_lines();
        }
        let request = match Request::from_parts(parts) {
            Ok(request) => request,
            Err(error) => {
                assert_eq!(error.status(), 400);
                return;
            }
        };
        let path = request.path().to_owned();
        let is_head = request.method() == Method::Head;
        let found = fixture.router.lookup(request.method(), &path);
        let raw_path = target.split(|byte| *byte == b'?').next().unwrap_or_default();
        if !raw_path.contains(&b'%') && raw_path.iter().all(|byte| byte.is_ascii_graphic()) {
            assert_eq!(
                fixture.router.lookup_ascii(request.method(), raw_path),
                found,
                "{path:?}"
            );
        }
        let known = found.map(|(index, _)| index);
        let response = block_on(fixture.router.dispatch_at(known, request, fixture.app));
        let status = response.status();
        assert!(
            [200, 201, 204, 400, 404, 405, 413, 422].contains(&status),
            "{status} for {path:?}"
        );
        for (name, value) in response.headers() {
            assert!(!name.is_empty() && name.bytes().all(|byte| byte.is_ascii_graphic()));
            assert!(value.bytes().all(|byte| byte == b'\t' || (byte >= 0x20 && byte != 0x7f)));
        }
        if status >= 400 {
            assert_eq!(response.header("content-type"), Some("application/json"));
        }
        // A HEAD answer keeps its headers and drops its body.
        if status >= 400 && !is_head {
            let body: serde_json::Value = serde_json::from_slice(response.body())
                .expect("error bodies are JSON");
            assert!(body["error"].is_string(), "{body}");
        }
    });
});
