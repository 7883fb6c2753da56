//! Tests of requests: building from server parts, reading path, query, headers and bodies.

use super::*;
use alloc::vec;
use core::net::Ipv4Addr;
use proptest::prelude::*;
use serde::Deserialize;

/// Header pairs as the tests hand them over.
type HeaderIterator<'a> = core::iter::Copied<core::slice::Iter<'a, (&'a [u8], &'a [u8])>>;

fn parts<'a>(
    target: &'a [u8],
    headers: &'a [(&'a [u8], &'a [u8])],
) -> RequestParts<'a, HeaderIterator<'a>> {
    RequestParts {
        method: Method::Get,
        target,
        headers: headers.iter().copied(),
        body: Vec::new(),
        id: 9,
        peer: SocketAddrV4::new(Ipv4Addr::new(192, 0, 2, 1), 1234),
    }
}

#[test]
fn paths_are_decoded_and_queries_kept_raw() {
    let request = Request::from_parts(parts(b"/a%20b/%E2%9C%93?x=%41&y", &[])).unwrap();
    assert_eq!(request.path(), "/a b/✓");
    assert_eq!(request.query_string(), Some("x=%41&y"));
    assert_eq!(request.query("x").as_deref(), Some("A"));
    assert_eq!(request.query("y").as_deref(), Some(""));
    assert_eq!(request.query("z"), None);
    assert_eq!(request.peer().to_string(), "192.0.2.1:1234");
    assert_eq!(request.id(), 9);

    let without = Request::from_parts(parts(b"/plain", &[])).unwrap();
    assert_eq!(without.query_string(), None);
    assert_eq!(without.query_pairs().count(), 0);
    let empty = Request::from_parts(parts(b"/plain?", &[])).unwrap();
    assert_eq!(empty.query_string(), Some(""));
}

#[test]
fn invalid_utf8_in_the_path_reads_as_replacement() {
    let request = Request::from_parts(parts(b"/%FF%2Fx", &[])).unwrap();
    assert_eq!(request.path(), "/\u{fffd}/x");
}

#[test]
fn targets_that_are_not_paths_are_bad_requests() {
    for target in [&b"*"[..], b"", b"http://example.com/", b"example.com:80"] {
        let error = Request::from_parts(parts(target, &[])).unwrap_err();
        assert_eq!(error.status(), 400);
    }
}

#[test]
fn headers_keep_order_and_repeats_and_ignore_case() {
    let headers: [(&[u8], &[u8]); 4] = [
        (b"Accept", b"text/html"),
        (b"X-Tag", b"  one\t"),
        (b"x-tag", b"two"),
        (b"Content-Type", b"application/json; charset=utf-8"),
    ];
    let request = Request::from_parts(parts(b"/", &headers)).unwrap();
    assert_eq!(request.header("ACCEPT"), Some("text/html"));
    assert_eq!(
        request.header_all("X-TAG").collect::<Vec<_>>(),
        ["one", "two"]
    );
    assert_eq!(request.headers().count(), 4);
    assert_eq!(request.content_type(), Some("application/json"));
    assert_eq!(request.header("missing"), None);
}

#[test]
fn header_values_may_hold_colons_and_non_utf8_bytes() {
    let headers: [(&[u8], &[u8]); 2] = [(b"Referer", b"http://a:8080/x"), (b"X-Old", b"caf\xe9")];
    let request = Request::from_parts(parts(b"/", &headers)).unwrap();
    assert_eq!(request.header("referer"), Some("http://a:8080/x"));
    assert_eq!(request.header("x-old"), Some("caf\u{fffd}"));
}

#[test]
fn malformed_headers_are_bad_requests() {
    let cases: [(&[u8], &[u8]); 4] = [
        (b"Bad Name", b"v"),
        (b"X", b"a\r\nInjected: yes"),
        (b"X", b"a\0b"),
        (b"", b"v"),
    ];
    for header in cases {
        let error = Request::from_parts(parts(b"/", &[header])).unwrap_err();
        assert_eq!(error.status(), 400, "{header:?}");
    }
}

#[test]
fn text_json_and_form_bodies() {
    #[derive(Debug, Deserialize)]
    struct Todo {
        title: String,
        done: Option<bool>,
    }
    let request = Request::builder(Method::Post, "/todos")
        .json(&serde_json::json!({"title": "milk", "done": true}))
        .unwrap()
        .build();
    let todo: Todo = request.json().unwrap();
    assert_eq!((todo.title.as_str(), todo.done), ("milk", Some(true)));

    let binary = Request::builder(Method::Post, "/")
        .body(vec![0xff, 0xfe])
        .build();
    assert_eq!(binary.text().unwrap_err().status(), 400);
    assert_eq!(binary.json::<Todo>().unwrap_err().status(), 400);
    assert_eq!(
        binary.form_pairs().err().map(|error| error.status()),
        Some(400)
    );

    let form = Request::builder(Method::Post, "/")
        .form(&[("title", "a&b=c")])
        .build();
    assert_eq!(
        form.content_type(),
        Some("application/x-www-form-urlencoded")
    );
    let pairs: Vec<_> = form.form_pairs().unwrap().collect();
    assert_eq!(pairs, [("title".into(), "a&b=c".into())]);
    let todo: Todo = form.form().unwrap();
    assert_eq!((todo.title.as_str(), todo.done), ("a&b=c", None));
    let wrong = Request::builder(Method::Post, "/")
        .form(&[("done", "x")])
        .build();
    assert_eq!(wrong.form::<Todo>().unwrap_err().status(), 422);
}

#[test]
fn typed_queries_are_400_when_they_do_not_fit() {
    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Page {
        limit: u32,
    }
    let request = Request::builder(Method::Get, "/?limit=many").build();
    assert_eq!(request.query_as::<Page>().unwrap_err().status(), 400);
}

#[test]
fn the_builder_routes_for_direct_handler_tests() {
    let request = Request::builder(Method::Get, "/users/ada/files/a/b")
        .route("/users/{user}/files/{*path}")
        .build();
    assert_eq!(request.route(), "/users/{user}/files/{*path}");
    assert_eq!(
        request.params().collect::<Vec<_>>(),
        [("user", "ada"), ("path", "a/b")]
    );
    let mismatch = Request::builder(Method::Get, "/other")
        .route("/users/{user}")
        .try_build();
    assert_eq!(mismatch.unwrap_err().status(), 500);
    let bad_header = Request::builder(Method::Get, "/")
        .header("X", "a\nb")
        .try_build();
    assert_eq!(bad_header.unwrap_err().status(), 400);
}

#[test]
#[should_panic(expected = "invalid test request")]
fn build_panics_on_a_malformed_test_request() {
    let _ = Request::builder(Method::Get, "no-slash").build();
}

#[test]
fn an_explicit_content_type_is_kept() {
    let request = Request::builder(Method::Post, "/")
        .header("content-type", "application/vnd.api+json")
        .json(&1)
        .unwrap()
        .build();
    assert_eq!(request.header_all("Content-Type").count(), 1);
    assert_eq!(request.content_type(), Some("application/vnd.api+json"));
}

proptest! {
    #[test]
    fn any_target_and_headers_build_or_fail_without_panicking(
        target in proptest::collection::vec(any::<u8>(), 0..64),
        name in proptest::collection::vec(any::<u8>(), 0..12),
        value in proptest::collection::vec(any::<u8>(), 0..24),
    ) {
        let headers = [(name.as_slice(), value.as_slice())];
        if let Ok(request) = Request::from_parts(parts(&target, &headers)) {
            prop_assert!(request.path().starts_with('/'));
            prop_assert_eq!(request.headers().count(), 1);
            let _ = request.query_pairs().count();
            let _ = request.header(core::str::from_utf8(&name).unwrap_or("x"));
        }
    }

    #[test]
    fn header_values_read_back_as_given(value in "[ -~]{0,40}") {
        let headers: [(&[u8], &[u8]); 1] = [(b"X-Value", value.as_bytes())];
        let request = Request::from_parts(parts(b"/", &headers)).unwrap();
        prop_assert_eq!(request.header("x-value"), Some(value.trim_matches(|c| c == ' ')));
    }
}

#[test]
fn unparsable_json_is_400_even_when_its_start_has_the_wrong_type() {
    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Todo {
        title: String,
    }
    for (body, status) in [
        ("[1,", 400),
        ("{", 400),
        ("", 400),
        ("nul", 400),
        ("[1]", 422),
        ("\"x\"", 422),
    ] {
        let request = Request::builder(Method::Post, "/").body(body).build();
        assert_eq!(
            request.json::<Todo>().unwrap_err().status(),
            status,
            "{body:?}"
        );
    }
}

#[test]
fn a_checked_head_reads_as_the_full_reading_and_a_wrong_range_falls_back_to_it() {
    let peer = SocketAddrV4::new(core::net::Ipv4Addr::LOCALHOST, 9);
    let heads: [&[u8]; 4] = [
        b"GET /todos/7?full=1 HTTP/1.1\r\nHost: x\r\nAccept:  text/plain \r\n",
        b"POST /caf%C3%A9 HTTP/1.1\nX-A: 1\n",
        b"GET / HTTP/1.0\r\n",
        b"GET /obs HTTP/1.1\r\nX-Name: caf\xe9\r\n",
    ];
    for head in heads {
        let target_start = head.iter().position(|byte| *byte == b' ').unwrap() + 1;
        let target_end = target_start
            + head[target_start..]
                .iter()
                .position(|byte| *byte == b' ')
                .unwrap();
        let full = Request::from_head(Method::Get, head.to_vec(), Vec::new(), 1, peer).unwrap();
        for range in [
            target_start..target_end,
            0..3,
            1..2,
            target_start..head.len() + 5,
        ] {
            let checked = Request::from_checked_head(
                Method::Get,
                head.to_vec(),
                range.clone(),
                Vec::new(),
                1,
                peer,
            )
            .unwrap();
            assert_eq!(checked.path(), full.path(), "{range:?}");
            assert_eq!(checked.query_string(), full.query_string());
            let headers = |request: &Request| {
                request
                    .headers()
                    .map(|(name, value)| (name.to_owned(), value.to_owned()))
                    .collect::<Vec<_>>()
            };
            assert_eq!(headers(&checked), headers(&full));
        }
    }
    // A range outside the request line is not trusted: the full reading rejects this head.
    let bad = b"GET /a HTTP/1.1\r\nX: \x01\r\n".to_vec();
    assert!(Request::from_checked_head(Method::Get, bad, 18..19, Vec::new(), 1, peer).is_err());
}
