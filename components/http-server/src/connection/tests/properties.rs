//! Property tests: no input panics, and splitting the input never changes the output.
use proptest::prelude::*;
use proptest::sample::{select, Index};

use super::*;

/// Requests after which the connection stays open, one response each.
const KEPT_ALIVE: &[&[u8]] = &[
    b"GET / HTTP/1.1\r\nHost: a\r\n\r\n",
    b"HEAD /static/a/b.css HTTP/1.1\r\n\r\n",
    b"GET /missing?x HTTP/1.1\n\n",
    b"POST /submit HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc",
    b"BREW / HTTP/1.1\r\nContent-Length: 1\r\n\r\nx",
    b"GET /big HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
    b"PUT /submit HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 1\r\n\r\nx",
    b"GET /static/ HTTP/1.1\r\nIf-None-Match: *\r\n\r\n",
    b"DELETE / HTTP/1.1\r\n\r\n",
    b"GET /static/../x HTTP/1.1\r\n\r\n",
    b"OPTIONS * HTTP/1.1\r\n\r\n",
    b"OPTIONS /static/a/b.css HTTP/1.1\r\n\r\n",
    b"GET /static?q=1 HTTP/1.1\r\n\r\n",
    b"GET /static/a/b.css HTTP/1.1\r\nRange: bytes=0-1\r\nIf-Range: \"b1\"\r\n\
      Accept-Encoding: gzip\r\nIf-Modified-Since: Sun, 06 Nov 1994 08:49:37 GMT\r\n\r\n",
];

/// Pieces of valid and invalid syntax, mixed with random bytes to reach deep states.
const FRAGMENTS: &[&[u8]] = &[
    b"GET ",
    b"HEAD ",
    b"POST ",
    b"/ ",
    b"/static/a/b.css ",
    b"/%2e%2",
    b"HTTP/1.1",
    b"HTTP/1.0",
    b"HTTP/2.0",
    b"\r\n",
    b"\n",
    b"\r",
    b"Content-Length: 3\r\n",
    b"Content-Length: 99999\r\n",
    b"Connection: close\r\n",
    b"Connection: keep-alive\r\n",
    b"Transfer-Encoding: chunked\r\n",
    b"Expect: 100-continue\r\n",
    b"If-None-Match: \"b1\"\r\n",
    b"OPTIONS ",
    b"* ",
    b"/static?x ",
    b"Range: bytes=0-1\r\n",
    b"Range: bytes=-9\r\n",
    b"If-Range: \"b1\"\r\n",
    b"If-Modified-Since: Sun, 06 Nov 1994 08:49:37 GMT\r\n",
    b"Accept-Encoding: gzip;q=0.5, *\r\n",
    b": \r\n",
    b" folded\r\n",
];

fn pipelined() -> impl Strategy<Value = (Vec<u8>, usize)> {
    prop::collection::vec(select(KEPT_ALIVE), 1..12)
        .prop_map(|requests| (requests.concat(), requests.len()))
}

fn mixed_bytes() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        select(FRAGMENTS).prop_map(<[u8]>::to_vec),
        prop::collection::vec(any::<u8>(), 0..24),
        select(KEPT_ALIVE).prop_map(<[u8]>::to_vec),
    ];
    prop::collection::vec(piece, 0..16).prop_map(|pieces| pieces.concat())
}

/// `input` cut at the given points (sorted, deduplicated).
fn cut<'a>(input: &'a [u8], points: &[Index]) -> Vec<&'a [u8]> {
    let mut offsets: Vec<usize> = points
        .iter()
        .map(|point| point.index(input.len() + 1))
        .collect();
    offsets.sort_unstable();
    offsets.dedup();
    let mut pieces = Vec::new();
    let mut start = 0;
    for offset in offsets.into_iter().chain([input.len()]) {
        pieces.push(&input[start..offset]);
        start = offset;
    }
    pieces
}

/// A small configuration, so that random input reaches every limit.
const SMALL: Configuration = Configuration {
    max_connections: 1,
    header_limit: 96,
    body_limit: 16,
    request_timeout_ms: 100,
    body_timeout_ms: 100,
    minimum_body_rate: 64,
    idle_timeout_ms: 150,
    send_timeout_ms: 120,
    max_headers: 4,
    output_limit: 256,
    max_pipelined: 4,
};

proptest! {
    #[test]
    fn splitting_valid_pipelined_requests_never_changes_the_responses(
        (input, count) in pipelined(),
        points in prop::collection::vec(any::<Index>(), 0..10),
    ) {
        let whole = feed(&mut connection(), &[&input], 1);
        let responses = whole.windows(9).filter(|window| window == b"HTTP/1.1 ").count();
        let continues = input.windows(12).filter(|window| window == b"100-continue").count();
        prop_assert_eq!(responses, count + continues);
        let mut split_connection = connection();
        let split = feed(&mut split_connection, &cut(&input, &points), 1);
        prop_assert_eq!(split, whole);
        prop_assert!(!split_connection.wants_close());
    }

    #[test]
    fn splitting_any_input_never_changes_the_output(
        input in mixed_bytes(),
        points in prop::collection::vec(any::<Index>(), 0..10),
        configuration in prop_oneof![
            Just(SMALL),
            Just(Configuration { output_limit: 0, ..SMALL }),
            Just(Configuration::DEFAULT),
        ],
    ) {
        let mut whole_connection = connection_with(configuration);
        let whole = feed(&mut whole_connection, &[&input], 1);
        let mut split_connection = connection_with(configuration);
        let split = feed(&mut split_connection, &cut(&input, &points), 1);
        prop_assert_eq!(&split, &whole);
        prop_assert_eq!(split_connection.wants_close(), whole_connection.wants_close());
    }

    #[test]
    fn random_bytes_and_times_never_panic_and_stay_bounded(
        steps in prop::collection::vec((mixed_bytes(), 0u64..80, 0usize..300, any::<bool>()), 1..12),
    ) {
        let mut connection = connection_with(SMALL);
        let mut now = 0;
        for (bytes, elapsed, send_space, peer_closes) in steps {
            now += elapsed;
            let taken = connection.receive(&bytes, now);
            prop_assert!(taken <= bytes.len());
            prop_assert!(connection.head_buffer.len() <= SMALL.header_limit);
            let mut socket = vec![0; send_space];
            connection.write_to(&mut socket);
            let events = connection.poll(now);
            prop_assert_eq!(events.wants_close, connection.wants_close());
            prop_assert!(!events.wants_close || connection.transmit().is_empty());
            prop_assert!(events.deadline_ms.is_none_or(|deadline| deadline > now));
            if peer_closes {
                connection.peer_closed();
            }
        }
    }
}
