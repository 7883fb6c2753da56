//! Tests of responses: constructors, header checks, HEAD lengths.

use super::*;
use alloc::string::ToString;
use alloc::vec;

#[test]
fn static_text_is_not_copied() {
    let response = Response::text("static");
    assert!(matches!(response.into_body(), Body::Static(b"static")));
    let owned = Response::text("owned".to_string());
    assert!(matches!(owned.into_body(), Body::Owned(_)));
}

#[test]
fn html_and_bytes_set_their_content_type() {
    assert_eq!(
        Response::html("<p>").header("Content-Type"),
        Some("text/html; charset=utf-8")
    );
    let bytes = Response::bytes("application/octet-stream", vec![1, 2, 3]).unwrap();
    assert_eq!(bytes.body(), [1, 2, 3]);
    assert!(Response::bytes("text/plain\r\nX: y", "x").is_err());
}

#[test]
fn json_serialisation_failure_is_a_500() {
    let mut map = std::collections::BTreeMap::new();
    map.insert(vec![1u8], 2);
    let response = Response::json(&map);
    assert_eq!(response.status(), 500);
    assert_eq!(response.header("content-type"), Some("application/json"));
    assert!(core::str::from_utf8(response.body())
        .unwrap()
        .starts_with(r#"{"error":"the response could not be serialised"#));
}

#[test]
fn redirects_accept_only_redirect_statuses() {
    for status in [301, 302, 303, 307, 308] {
        let response = Response::redirect(status, "/next").unwrap();
        assert_eq!(response.status(), status);
        assert_eq!(response.header("Location"), Some("/next"));
        assert!(response.body().is_empty());
    }
    for status in [200, 300, 304, 404] {
        assert_eq!(Response::redirect(status, "/").unwrap_err().status(), 500);
    }
}

#[test]
fn no_content_and_not_modified_have_no_length() {
    assert_eq!(Response::no_content().status(), 204);
    assert_eq!(Response::no_content().content_length(), None);
    assert_eq!(Response::from_status(304).content_length(), None);
    assert_eq!(Response::from_status(200).content_length(), Some(0));
}

#[test]
fn invalid_statuses_become_500() {
    assert_eq!(Response::from_status(101).status(), 500);
    assert_eq!(Response::from_status(600).status(), 500);
    assert_eq!(Response::text("x").with_status(42).status(), 500);
    assert_eq!(Response::text("x").with_status(418).status(), 418);
}

#[test]
fn headers_are_checked_and_content_type_replaced() {
    let response = Response::text("x")
        .with_header("Content-Type", "text/csv")
        .unwrap()
        .with_header("Set-Cookie", "a=1")
        .unwrap()
        .with_header("Set-Cookie", "b=2")
        .unwrap();
    let headers: Vec<_> = response.headers().collect();
    assert_eq!(
        headers,
        [
            ("Content-Type", "text/csv"),
            ("Set-Cookie", "a=1"),
            ("Set-Cookie", "b=2")
        ]
    );
    let injected = Response::text("x").with_header("X", "a\nb").unwrap_err();
    assert_eq!(injected.status(), 500);
    assert!(Response::text("x").with_header("Bad Name", "v").is_err());
    assert!(Response::text("x").with_cache_control("a\0").is_err());
}

#[test]
fn cache_control_replaces_and_route_defaults_do_not_override() {
    let mut response = Response::text("x")
        .with_cache_control("no-cache")
        .unwrap()
        .with_cache_control("no-store")
        .unwrap();
    response.set_default_cache_control("max-age=60");
    assert_eq!(response.header("Cache-Control"), Some("no-store"));
    let mut plain = Response::text("x");
    plain.set_default_cache_control("max-age=60");
    assert_eq!(plain.header("Cache-Control"), Some("max-age=60"));
}

#[test]
fn head_answers_keep_the_get_length() {
    let response = Response::text("twelve bytes").without_body();
    assert!(response.body().is_empty());
    assert_eq!(response.content_length(), Some(12));
    assert_eq!(response.without_body().content_length(), Some(12));
}

#[test]
fn created_adds_location_to_json() {
    let response = Response::created("/todos/3".to_string(), &3).unwrap();
    assert_eq!(response.status(), 201);
    assert_eq!(response.header("location"), Some("/todos/3"));
    assert_eq!(response.header("content-type"), Some("application/json"));
    assert!(Response::created("/\n", &3).is_err());
}
