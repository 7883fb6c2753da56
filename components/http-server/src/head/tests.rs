use super::*;

fn parse(input: &[u8]) -> Result<Option<RequestHead<'_>>, HeadError> {
    parse_head(input, &Configuration::DEFAULT)
}

fn complete(input: &[u8]) -> RequestHead<'_> {
    parse(input).unwrap().unwrap()
}

fn error(input: &[u8]) -> HeadError {
    parse(input).unwrap_err()
}

#[test]
fn request_line_and_headers_are_views_of_the_input() {
    let input = b"GET /a?b HTTP/1.1\r\nHost: x\r\nX-Empty:\r\nX-Spaced: \t v  w \t\r\n\r\nbody";
    let head = complete(input);
    assert_eq!(head.method, Some(Method::Get));
    assert_eq!(head.method_token, b"GET");
    assert_eq!(head.target, b"/a?b");
    assert_eq!(head.version, Version::Http1_1);
    assert_eq!(head.length, input.len() - 4);
    assert!(head.keep_alive);
    let headers: Vec<(&[u8], &[u8])> = head.headers().collect();
    assert_eq!(
        headers,
        [
            (&b"Host"[..], &b"x"[..]),
            (b"X-Empty", b""),
            (b"X-Spaced", b"v  w")
        ]
    );
    assert_eq!(head.target.as_ptr(), input[4..].as_ptr());
}

#[test]
fn bare_line_feeds_and_unknown_methods_are_accepted() {
    let head = complete(b"BREW /pot HTTP/1.0\nAccept: tea\n\n");
    assert_eq!(head.method, None);
    assert_eq!(head.method_token, b"BREW");
    assert_eq!(head.headers().count(), 1);
    assert_eq!(complete(b"GET / HTTP/1.1\r\n\r\n").headers().count(), 0);
}

#[test]
fn incomplete_heads_ask_for_more() {
    assert_eq!(parse(b""), Ok(None));
    assert_eq!(parse(b"GET / HTTP/1.1\r\nHost: x\r\n"), Ok(None));
    assert_eq!(parse(b"GET / HTTP/1.1\r\n\r"), Ok(None));
}

#[test]
fn malformed_request_lines() {
    assert_eq!(error(b"GET /\r\n\r\n"), HeadError::RequestLine);
    assert_eq!(error(b"GET  / HTTP/1.1\r\n\r\n"), HeadError::RequestLine);
    assert_eq!(error(b"GET / HTTP/1.1 \r\n\r\n"), HeadError::RequestLine);
    assert_eq!(error(b"G(T / HTTP/1.1\r\n\r\n"), HeadError::RequestLine);
    assert_eq!(error(b"GET /\x7f HTTP/1.1\r\n\r\n"), HeadError::RequestLine);
    assert_eq!(error(b"GET / HTTP/1.1\r\r\n\r\n"), HeadError::RequestLine);
    assert_eq!(error(b"GET / http/1.1\r\n\r\n"), HeadError::RequestLine);
    assert_eq!(error(b"\r\n\r\n"), HeadError::RequestLine);
}

#[test]
fn versions() {
    assert_eq!(
        complete(b"GET / HTTP/1.0\r\n\r\n").version,
        Version::Http1_0
    );
    assert_eq!(
        complete(b"GET / HTTP/1.9\r\n\r\n").version,
        Version::Http1_1
    );
    assert_eq!(
        error(b"GET / HTTP/2.0\r\n\r\n"),
        HeadError::UnsupportedVersion
    );
    assert_eq!(error(b"GET / HTTP/1.10\r\n\r\n"), HeadError::RequestLine);
}

#[test]
fn malformed_headers() {
    for input in [
        &b"GET / HTTP/1.1\r\nNo colon\r\n\r\n"[..],
        b"GET / HTTP/1.1\r\nName : value\r\n\r\n",
        b"GET / HTTP/1.1\r\n: value\r\n\r\n",
        b"GET / HTTP/1.1\r\nA: b\r\n folded\r\n\r\n",
        b"GET / HTTP/1.1\r\nA: b\x00c\r\n\r\n",
        b"GET / HTTP/1.1\r\nA: b\rc\r\n\r\n",
    ] {
        assert_eq!(
            error(input),
            HeadError::HeaderSyntax,
            "{:?}",
            String::from_utf8_lossy(input)
        );
    }
    assert!(
        parse(b"GET / HTTP/1.1\r\nA: caf\xc3\xa9\r\n\r\n").is_ok(),
        "obs-text is allowed"
    );
}

#[test]
fn content_length_rules() {
    assert_eq!(
        complete(b"POST / HTTP/1.1\r\ncontent-LENGTH: 007\r\n\r\n").content_length,
        7
    );
    assert_eq!(complete(b"GET / HTTP/1.1\r\n\r\n").content_length, 0);
    for input in [
        &b"POST / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\n"[..],
        b"POST / HTTP/1.1\r\nContent-Length: 5, 5\r\n\r\n",
        b"POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n",
        b"POST / HTTP/1.1\r\nContent-Length:\r\n\r\n",
        b"POST / HTTP/1.1\r\nContent-Length: 0x10\r\n\r\n",
    ] {
        assert_eq!(error(input), HeadError::InvalidContentLength);
    }
    let huge = b"POST / HTTP/1.1\r\nContent-Length: 99999999999999999999999\r\n\r\n";
    assert_eq!(error(huge), HeadError::ContentLengthOverflow);
}

#[test]
fn transfer_encoding_is_not_implemented() {
    let chunked = b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n";
    assert_eq!(error(chunked), HeadError::TransferEncoding);
    assert_eq!(error(chunked).status(), 501);
    let old = b"POST / HTTP/1.0\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n";
    assert_eq!(error(old), HeadError::TransferEncodingInHttp1_0);
    assert_eq!(error(old).status(), 400);
}

#[test]
fn persistence_per_version_and_connection_options() {
    assert!(!complete(b"GET / HTTP/1.0\r\n\r\n").keep_alive);
    assert!(complete(b"GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n").keep_alive);
    assert!(!complete(b"GET / HTTP/1.0\r\nConnection: keep-alive, close\r\n\r\n").keep_alive);
    assert!(!complete(b"GET / HTTP/1.1\r\nConnection: foo, CLOSE\r\n\r\n").keep_alive);
    assert!(complete(b"GET / HTTP/1.1\r\nConnection: upgrade\r\n\r\n").keep_alive);
}

#[test]
fn expect_and_if_none_match() {
    let head = complete(b"PUT / HTTP/1.1\r\nExpect: 100-Continue\r\nIf-None-Match: \"a\"\r\n\r\n");
    assert!(head.expect_continue);
    assert_eq!(head.if_none_match, Some(&b"\"a\""[..]));
}

#[test]
fn fields_of_static_files() {
    let head = complete(
        b"GET / HTTP/1.1\r\nrange: bytes=0-1\r\nIF-RANGE: \"a\"\r\n\
          If-Modified-Since: Sun, 06 Nov 1994 08:49:37 GMT\r\nAccept-Encoding:  gzip, br \r\n\
          Accept-Encoding: identity\r\n\r\n",
    );
    assert_eq!(head.range, Some(&b"bytes=0-1"[..]));
    assert_eq!(head.if_range, Some(&b"\"a\""[..]));
    assert_eq!(
        head.if_modified_since,
        Some(&b"Sun, 06 Nov 1994 08:49:37 GMT"[..])
    );
    assert_eq!(head.accept_encoding, Some(&b"gzip, br"[..]));
    let bare = complete(b"GET / HTTP/1.1\r\nRanges: x\r\nIf-Ranges: y\r\n\r\n");
    assert_eq!(
        (
            bare.range,
            bare.if_range,
            bare.if_modified_since,
            bare.accept_encoding
        ),
        (None, None, None, None)
    );
}

#[test]
fn repeated_singleton_fields_become_empty() {
    let head = complete(
        b"GET / HTTP/1.1\r\nRange: bytes=0-1\r\nRange: bytes=2-3\r\n\
          If-Range: \"a\"\r\nIf-Range: \"a\"\r\nIf-Modified-Since: x\r\nIf-Modified-Since: x\r\n\
          If-None-Match: \"1\"\r\nIf-None-Match: \"2\"\r\n\r\n",
    );
    assert_eq!(head.range, Some(&b""[..]));
    assert_eq!(head.if_range, Some(&b""[..]));
    assert_eq!(head.if_modified_since, Some(&b""[..]));
    assert_eq!(head.if_none_match, Some(&b"\"1\""[..]));
}

#[test]
fn limits_give_431() {
    let configuration = Configuration {
        header_limit: 32,
        max_headers: 2,
        ..Configuration::DEFAULT
    };
    let exactly = b"GET / HTTP/1.1\r\nA: 012345678\r\n\r\n";
    assert_eq!(exactly.len(), 32);
    assert!(parse_head(exactly, &configuration).unwrap().is_some());
    let over = b"GET / HTTP/1.1\r\nA: 0123456789\r\n\r\n";
    assert_eq!(parse_head(over, &configuration), Err(HeadError::TooLarge));
    assert_eq!(parse_head(&over[..31], &configuration), Ok(None));
    let many = b"GET / HTTP/1.1\r\nA:\r\nB:\r\nC:\r\n\r\n";
    assert_eq!(
        parse_head(many, &configuration),
        Err(HeadError::TooManyHeaders)
    );
    assert_eq!(HeadError::TooManyHeaders.status(), 431);
}
