//! Error responses, what happens to the connection after each, and timeouts.
use super::*;

fn status_line(sent: &str) -> &str {
    sent.split("\r\n").next().unwrap()
}

#[test]
fn not_found_keeps_the_connection() {
    let (sent, connection) = exchange(b"GET /nowhere HTTP/1.1\r\n\r\nGET / HTTP/1.1\r\n\r\n");
    assert_eq!(status_line(&sent), "HTTP/1.1 404 Not Found");
    assert!(sent.contains(
        "Content-Type: text/plain; charset=utf-8\r\nContent-Length: 10\r\n\r\nNot Found\n"
    ));
    assert!(sent.ends_with(HELLO));
    assert!(!connection.wants_close());
}

#[test]
fn method_not_allowed_lists_the_routes_methods() {
    let (sent, connection) = exchange(b"POST / HTTP/1.1\r\nContent-Length: 2\r\n\r\nhi");
    assert_eq!(status_line(&sent), "HTTP/1.1 405 Method Not Allowed");
    assert!(sent.contains("\r\nAllow: GET, HEAD, OPTIONS\r\n"));
    assert!(!connection.wants_close());
    let (sent, _) = exchange(b"DELETE /submit HTTP/1.1\r\n\r\n");
    assert!(sent.contains("\r\nAllow: POST, PUT, OPTIONS\r\n"));
}

#[test]
fn an_unknown_method_gets_501_and_the_next_request_succeeds() {
    let (sent, connection) =
        exchange(b"BREW /pot HTTP/1.1\r\nContent-Length: 3\r\n\r\nteaGET / HTTP/1.1\r\n\r\n");
    assert_eq!(status_line(&sent), "HTTP/1.1 501 Not Implemented");
    assert!(sent.ends_with(HELLO));
    assert!(!connection.wants_close());
}

#[test]
fn malformed_requests_get_400_and_close() {
    for input in [
        &b"GET /\r\n\r\n"[..],
        b"GET / HTTP/1.1\r\nBad Header\r\n\r\n",
        b"GET / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
        b"GET / HTTP/1.1\r\nContent-Length: nine\r\n\r\n",
    ] {
        let mut input = input.to_vec();
        input.extend_from_slice(b"GET / HTTP/1.1\r\n\r\n");
        let (sent, connection) = exchange(&input);
        assert_eq!(status_line(&sent), "HTTP/1.1 400 Bad Request");
        assert!(
            sent.ends_with("Connection: close\r\n\r\nBad Request\n"),
            "{sent}"
        );
        assert!(connection.wants_close());
        let (next, _) = exchange(b"GET / HTTP/1.1\r\n\r\n");
        assert_eq!(next, HELLO, "the next connection is served");
    }
}

#[test]
fn sixteen_kib_of_headers_get_431() {
    let mut input = b"GET / HTTP/1.1\r\n".to_vec();
    while input.len() < 16 * 1024 {
        input.extend_from_slice(b"X-Filler: 0123456789abcdef0123456789abcdef\r\n");
    }
    input.extend_from_slice(b"\r\n");
    let (sent, connection) = exchange(&input);
    assert_eq!(
        status_line(&sent),
        "HTTP/1.1 431 Request Header Fields Too Large"
    );
    assert!(connection.wants_close());
    let mut split = connection_with(Configuration {
        max_headers: 1000,
        ..Configuration::DEFAULT
    });
    let pieces: Vec<&[u8]> = input.chunks(100).collect();
    let sent = String::from_utf8(feed(&mut split, &pieces, 1)).unwrap();
    assert_eq!(
        status_line(&sent),
        "HTTP/1.1 431 Request Header Fields Too Large"
    );
}

#[test]
fn too_many_headers_get_431() {
    let mut input = b"GET / HTTP/1.1\r\n".to_vec();
    for _ in 0..65 {
        input.extend_from_slice(b"A: b\r\n");
    }
    input.extend_from_slice(b"\r\n");
    assert_eq!(
        status_line(&exchange(&input).0),
        "HTTP/1.1 431 Request Header Fields Too Large"
    );
}

#[test]
fn bodies_over_the_limit_get_413() {
    let (sent, connection) = exchange(b"POST /submit HTTP/1.1\r\nContent-Length: 65537\r\n\r\n");
    assert_eq!(status_line(&sent), "HTTP/1.1 413 Content Too Large");
    assert!(connection.wants_close());
    let (sent, _) = exchange(b"POST /submit HTTP/1.1\r\nContent-Length: 65536\r\n\r\n");
    assert_eq!(sent, "", "a body at the limit is read first");
}

#[test]
fn transfer_encoding_gets_501_and_closes() {
    let (sent, connection) =
        exchange(b"POST /submit HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
    assert_eq!(status_line(&sent), "HTTP/1.1 501 Not Implemented");
    assert!(connection.wants_close());
}

#[test]
fn http_2_gets_505() {
    let (sent, connection) = exchange(b"GET / HTTP/2.0\r\n\r\n");
    assert_eq!(
        status_line(&sent),
        "HTTP/1.1 505 HTTP Version Not Supported"
    );
    assert!(connection.wants_close());
}

#[test]
fn an_incomplete_request_gets_408_when_polled_after_the_timeout() {
    let mut connection = connection();
    feed(&mut connection, &[b"GET / HT"], 500);
    let events = connection.poll(10_499);
    assert!(events.timeout.is_none() && !events.transmit_pending);
    assert_eq!(events.deadline_ms, Some(10_500));
    let events = connection.poll(10_500);
    assert_eq!(events.timeout, Some(Timeout::Head));
    assert!(events.transmit_pending && !events.wants_close);
    let sent = String::from_utf8(drain(&mut connection, 10)).unwrap();
    assert_eq!(status_line(&sent), "HTTP/1.1 408 Request Timeout");
    assert!(sent.contains("Connection: close\r\n"));
    assert!(connection.wants_close());
    assert_eq!(connection.poll(10_501).deadline_ms, None);
}

#[test]
fn a_head_trickled_a_byte_at_a_time_still_times_out() {
    let mut connection = connection();
    let head = b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ";
    for (index, byte) in head.iter().enumerate() {
        feed(&mut connection, &[&[*byte]], index as u64 * 300);
    }
    // Bytes kept coming, but the head's deadline counts from its first byte (slowloris).
    let events = connection.poll(10_000);
    assert_eq!(events.timeout, Some(Timeout::Head));
    assert!(String::from_utf8(drain(&mut connection, 100))
        .unwrap()
        .starts_with("HTTP/1.1 408"));
}

#[test]
fn a_body_that_never_arrives_gets_408() {
    let mut connection = connection();
    feed(
        &mut connection,
        &[b"POST /submit HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc"],
        0,
    );
    feed(&mut connection, &[b"def"], 9_000);
    assert_eq!(connection.poll(9_999).timeout, None);
    assert_eq!(
        connection.poll(10_000).timeout,
        Some(Timeout::Body),
        "six bytes earn no extra time at 1 KiB/s"
    );
    assert!(String::from_utf8(drain(&mut connection, 100))
        .unwrap()
        .starts_with("HTTP/1.1 408"));
}

#[test]
fn a_steady_upload_earns_time_and_a_slower_one_does_not() {
    let configuration = Configuration {
        body_limit: 1 << 20,
        ..Configuration::DEFAULT
    };
    // 1 MiB at 2 KiB/s: 512 s, far beyond the 10 s body timeout, but above the minimum rate.
    let mut steady = connection_with(configuration);
    feed(
        &mut steady,
        &[b"POST /submit HTTP/1.1\r\nContent-Length: 1048576\r\n\r\n"],
        0,
    );
    let chunk = [b'x'; 2048];
    for second in 1..512 {
        feed(&mut steady, &[&chunk], second * 1000);
        assert_eq!(steady.poll(second * 1000).timeout, None, "at {second} s");
    }
    // The same upload at 512 bytes per second falls behind 1 KiB/s.
    let mut slow = connection_with(configuration);
    feed(
        &mut slow,
        &[b"POST /submit HTTP/1.1\r\nContent-Length: 1048576\r\n\r\n"],
        0,
    );
    let chunk = [b'x'; 512];
    let mut timed_out_at = None;
    for second in 1..100 {
        feed(&mut slow, &[&chunk], second * 1000);
        if slow.poll(second * 1000).timeout == Some(Timeout::Body) {
            timed_out_at = Some(second);
            break;
        }
    }
    // After 19 s, 9,728 bytes earned 9 whole seconds: the deadline is 10 + 9 = 19 s.
    assert_eq!(timed_out_at, Some(19));
}

#[test]
fn an_idle_connection_closes_silently() {
    let mut connection = connection();
    feed(&mut connection, &[b"GET / HTTP/1.1\r\n\r\n"], 1_000);
    assert_eq!(connection.poll(10_999).timeout, None);
    let events = connection.poll(11_000);
    assert_eq!(events.timeout, Some(Timeout::Idle));
    assert!(events.wants_close && !events.transmit_pending);
}

#[test]
fn the_idle_timeout_is_separate_from_the_request_timeout() {
    let mut connection = connection_with(Configuration {
        idle_timeout_ms: 2_000,
        ..Configuration::DEFAULT
    });
    feed(&mut connection, &[b"GET / HTTP/1.1\r\n\r\n"], 0);
    assert_eq!(connection.poll(1_999).timeout, None);
    assert_eq!(connection.poll(2_000).timeout, Some(Timeout::Idle));
}

#[test]
fn a_peer_that_never_reads_is_dropped_after_the_send_timeout() {
    let mut connection = connection();
    connection.receive(b"GET /big HTTP/1.1\r\n\r\n", 0);
    assert_eq!(connection.poll(5_000).deadline_ms, Some(10_000));
    let events = connection.poll(10_000);
    assert_eq!(events.timeout, Some(Timeout::Send));
    assert!(events.wants_close, "unread output is dropped");
    assert!(connection.transmit().is_empty());
}

#[test]
fn a_closing_connection_whose_peer_never_reads_is_dropped() {
    let mut connection = connection();
    connection.receive(b"GET / HTTP/1.0\r\n\r\n", 0);
    let events = connection.poll(1);
    assert!(events.transmit_pending && !events.wants_close);
    assert_eq!(events.deadline_ms, Some(10_000));
    assert_eq!(connection.poll(10_000).timeout, Some(Timeout::Send));
    assert!(connection.wants_close());
}

#[test]
fn transmitting_counts_as_progress() {
    let mut connection = connection();
    connection.receive(b"GET / HTTP/1.1\r\n\r\n", 0);
    assert_eq!(connection.poll(8_000).deadline_ms, Some(10_000));
    connection.consumed(5);
    assert_eq!(connection.poll(8_001).deadline_ms, Some(18_000));
}

#[test]
fn pipelined_requests_stop_being_read_at_the_pipelining_bound() {
    let mut connection = connection_with(Configuration {
        max_pipelined: 3,
        output_limit: 1 << 20,
        ..Configuration::DEFAULT
    });
    let many = b"GET / HTTP/1.1\r\n\r\n".repeat(10_000);
    let taken = connection.receive(&many, 0);
    assert_eq!(
        taken,
        3 * 18,
        "three requests answered, the rest left in the socket"
    );
    assert_eq!(connection.receive(&many[taken..], 0), 0);
    // Once the client reads, reading resumes.
    drain(&mut connection, usize::MAX);
    assert_eq!(connection.receive(&many[taken..], 1), 3 * 18);
}

#[test]
fn ten_thousand_pipelined_requests_to_a_client_that_never_reads_stay_bounded() {
    let mut connection = connection();
    let many = b"GET / HTTP/1.1\r\n\r\n".repeat(10_000);
    let mut offered = &many[..];
    for now in 0..100 {
        let taken = connection.receive(offered, now);
        offered = &offered[taken..];
    }
    assert!(
        many.len() - offered.len() <= 16 * 18,
        "at most 16 requests were taken"
    );
    assert!(connection.transmit().len() <= Configuration::DEFAULT.output_limit);
    assert_eq!(connection.poll(10_000).timeout, Some(Timeout::Send));
    assert!(connection.wants_close());
}

#[test]
fn http_0_9_gets_400_as_soon_as_its_line_ends() {
    let mut connection = connection();
    let sent = String::from_utf8(feed(&mut connection, &[b"GET /\r\n"], 0)).unwrap();
    assert_eq!(status_line(&sent), "HTTP/1.1 400 Bad Request");
    assert!(connection.wants_close());
    // The same when the line arrives a byte at a time.
    let mut connection = connection_with(Configuration::DEFAULT);
    let pieces: Vec<&[u8]> = b"GET /index.html\n".chunks(1).collect();
    let sent = String::from_utf8(feed(&mut connection, &pieces, 0)).unwrap();
    assert_eq!(status_line(&sent), "HTTP/1.1 400 Bad Request");
    // A valid request line waits for the rest of the head.
    let mut connection = connection_with(Configuration::DEFAULT);
    assert!(feed(&mut connection, &[b"GET / HTTP/1.1\r\n"], 0).is_empty());
    assert_eq!(connection.poll(1).timeout, None);
}

#[test]
fn the_overloaded_response_is_a_complete_503() {
    let bytes = Server::reject_overloaded();
    assert!(bytes.starts_with(b"HTTP/1.1 503 Service Unavailable\r\n"));
    assert!(bytes.ends_with(b"Connection: close\r\n\r\nService Unavailable\n"));
}
