//! The attacks. Each ends with every connection it opened closed, and panics with what went
//! wrong; during and after each, the guest must answer a fresh client.

use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use socket2::{Domain, Protocol, Socket, Type};

/// A fresh client's status line: like curl with `--retry`, up to five connections, each given
/// ten seconds to answer (a SYN the guest held back while full is sent again by the kernel).
pub fn fresh_status(target: SocketAddr) -> String {
    let mut last = String::from("no answer");
    for _ in 0..5 {
        match one_request(target, Duration::from_secs(10)) {
            Ok(status) => return status,
            Err(error) => last = error,
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    last
}

fn one_request(target: SocketAddr, patience: Duration) -> Result<String, String> {
    let mut stream = TcpStream::connect_timeout(&target, patience)
        .map_err(|error| format!("connect: {error}"))?;
    stream
        .set_read_timeout(Some(patience))
        .map_err(|error| error.to_string())?;
    stream
        .write_all(b"GET / HTTP/1.1\r\nHost: fresh\r\nConnection: close\r\n\r\n")
        .map_err(|error| format!("write: {error}"))?;
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    let text = String::from_utf8_lossy(&response);
    text.lines()
        .next()
        .filter(|line| !line.is_empty())
        .map(str::to_owned)
        .ok_or_else(|| "closed without an answer".to_owned())
}

/// During an attack: 200, or 503 while full.
pub fn assert_answered_during(target: SocketAddr, attack: &str) {
    let status = fresh_status(target);
    assert!(
        status == "HTTP/1.1 200 OK" || status == "HTTP/1.1 503 Service Unavailable",
        "{attack}: a fresh client during the attack got {status:?}"
    );
    println!("{attack}: a fresh client during the attack got {status}");
}

/// After an attack: normal service.
pub fn assert_served_after(target: SocketAddr, attack: &str) {
    let started = Instant::now();
    let mut status = fresh_status(target);
    // The guest may still be closing the attack's sockets: give it a little while.
    while status != "HTTP/1.1 200 OK" && started.elapsed() < Duration::from_secs(20) {
        std::thread::sleep(Duration::from_millis(500));
        status = fresh_status(target);
    }
    assert_eq!(status, "HTTP/1.1 200 OK", "{attack}: after the attack");
}

/// Opens `count` connections without waiting for each (non-blocking connects).
fn open_many(target: SocketAddr, count: usize) -> Vec<TcpStream> {
    let mut streams = Vec::with_capacity(count);
    for _ in 0..count {
        let socket = Socket::new(Domain::IPV4, Type::STREAM, Some(Protocol::TCP)).unwrap();
        socket.set_nonblocking(true).unwrap();
        match socket.connect(&target.into()) {
            Ok(()) => {}
            Err(error)
                if error.raw_os_error() == Some(115) || error.kind() == ErrorKind::WouldBlock => {}
            Err(error) => panic!("connect: {error}"),
        }
        streams.push(TcpStream::from(socket));
    }
    // Give the handshakes a moment (those the guest holds back complete later, or never).
    std::thread::sleep(Duration::from_secs(2));
    streams
}

/// Writes what fits now; a connection that is not (yet) open or is closed takes nothing.
fn try_write(stream: &mut TcpStream, bytes: &[u8]) -> usize {
    stream.write(bytes).unwrap_or(0)
}

/// Closes `streams` with a reset each (SO_LINGER 0), so the guest frees their sockets at once.
fn reset_all(streams: Vec<TcpStream>) {
    for stream in streams {
        let socket = Socket::from(stream);
        let _ = socket.set_linger(Some(Duration::ZERO));
        drop(socket);
    }
}

/// 1,000 connections each holding a partial head: half send one header line and stop, half
/// trickle one byte every five seconds.
pub fn partial_heads(target: SocketAddr, count: usize) {
    let attack = "partial heads";
    let mut streams = open_many(target, count);
    let head = b"GET / HTTP/1.1\r\nHost: attacker\r\n";
    for (index, stream) in streams.iter_mut().enumerate() {
        if index % 2 == 0 {
            try_write(stream, head);
        } else {
            try_write(stream, &head[..1]);
        }
    }
    assert_answered_during(target, attack);
    std::thread::sleep(Duration::from_secs(3));
    for (index, stream) in streams.iter_mut().enumerate() {
        if index % 2 == 1 {
            try_write(stream, &head[1..2]);
        }
    }
    assert_answered_during(target, attack);
    reset_all(streams);
    assert_served_after(target, attack);
}

/// 1,000 connections that ask for a large response and never read it.
pub fn never_read(target: SocketAddr, count: usize, path: &str) {
    let attack = "never read";
    let mut streams = open_many(target, count);
    let request = format!("GET {path} HTTP/1.1\r\nHost: attacker\r\n\r\n");
    for stream in &mut streams {
        try_write(stream, request.as_bytes());
    }
    std::thread::sleep(Duration::from_secs(2));
    assert_answered_during(target, attack);
    reset_all(streams);
    assert_served_after(target, attack);
}

/// `count` uploads at the body limit and `count` just over it, all at once.
pub fn uploads(target: SocketAddr, count: usize, body_limit: usize) {
    let attack = "uploads";
    let mut streams = open_many(target, 2 * count);
    let body = vec![b'u'; body_limit + 1];
    let mut pending: Vec<(usize, Vec<u8>)> = streams
        .iter()
        .enumerate()
        .map(|(index, _)| {
            let length = if index % 2 == 0 {
                body_limit
            } else {
                body_limit + 1
            };
            let mut request =
                format!("POST / HTTP/1.1\r\nHost: attacker\r\nContent-Length: {length}\r\n\r\n")
                    .into_bytes();
            request.extend_from_slice(&body[..length]);
            (index, request)
        })
        .collect();
    let deadline = Instant::now() + Duration::from_secs(8);
    while !pending.is_empty() && Instant::now() < deadline {
        pending.retain_mut(|(index, request)| {
            let written = try_write(&mut streams[*index], request);
            request.drain(..written);
            !request.is_empty()
        });
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_answered_during(target, attack);
    // Every answer that comes within a few seconds is read (a held SYN may bring none).
    let mut answers: Vec<Vec<u8>> = vec![Vec::new(); streams.len()];
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline && answers.iter().any(|answer| answer.len() < 12) {
        for (stream, answer) in streams.iter_mut().zip(&mut answers) {
            let mut buffer = [0u8; 64];
            if answer.len() < 12 {
                if let Ok(count) = stream.read(&mut buffer) {
                    answer.extend_from_slice(&buffer[..count]);
                }
            }
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let mut statuses = std::collections::BTreeMap::new();
    for (index, answer) in answers.iter().enumerate() {
        let status = match answer.get(9..12) {
            Some(code) => String::from_utf8_lossy(code).into_owned(),
            None => "none".to_owned(),
        };
        let expected: &[&str] = if index % 2 == 0 {
            &["405", "201", "200", "503", "none"]
        } else {
            &["413", "503", "none"]
        };
        assert!(
            expected.contains(&status.as_str()),
            "{attack}: upload {index} got {status}"
        );
        *statuses.entry(status).or_insert(0) += 1;
    }
    println!("{attack}: statuses {statuses:?}");
    reset_all(streams);
    assert_served_after(target, attack);
}

/// `count` connections one after another, each reset right after its first bytes.
pub fn resets(target: SocketAddr, count: usize) {
    let attack = "resets";
    for index in 0..count {
        if let Ok(stream) = TcpStream::connect_timeout(&target, Duration::from_secs(5)) {
            let mut stream = stream;
            let _ = stream.write_all(b"GET / HT");
            reset_all(vec![stream]);
        }
        if index == count / 2 {
            assert_answered_during(target, attack);
        }
    }
    assert_served_after(target, attack);
}

/// `count` pipelined requests on one connection that reads nothing back.
pub fn pipelining(target: SocketAddr, count: usize) {
    let attack = "pipelining";
    let mut stream = TcpStream::connect_timeout(&target, Duration::from_secs(10)).expect("connect");
    stream.set_nonblocking(true).unwrap();
    let requests = b"GET / HTTP/1.1\r\nHost: attacker\r\n\r\n".repeat(count);
    let mut sent = 0;
    let deadline = Instant::now() + Duration::from_secs(5);
    while sent < requests.len() && Instant::now() < deadline {
        match stream.write(&requests[sent..]) {
            Ok(written) => sent += written,
            Err(error) if error.kind() == ErrorKind::WouldBlock => {
                std::thread::sleep(Duration::from_millis(20))
            }
            Err(_) => break,
        }
    }
    println!(
        "{attack}: {sent} of {} request bytes taken before the window closed",
        requests.len()
    );
    assert_answered_during(target, attack);
    reset_all(vec![stream]);
    assert_served_after(target, attack);
}

/// A legitimate client: one kept-alive connection sending `GET /` and reading each response
/// whole, for `duration`; reconnects when the connection ends. Returns the responses per
/// second and how many connections it had to open again.
pub fn legitimate_requests_per_second(target: SocketAddr, duration: Duration) -> (f64, usize) {
    let started = Instant::now();
    let mut answered = 0usize;
    let mut reconnects = 0usize;
    let mut connection: Option<TcpStream> = None;
    while started.elapsed() < duration {
        let stream = match connection.as_mut() {
            Some(stream) => stream,
            None => match TcpStream::connect_timeout(&target, Duration::from_secs(2)) {
                Ok(stream) => {
                    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
                    let _ = stream.set_nodelay(true);
                    reconnects += 1;
                    connection.insert(stream)
                }
                Err(_) => continue,
            },
        };
        if stream
            .write_all(b"GET / HTTP/1.1\r\nHost: legitimate\r\n\r\n")
            .is_err()
            || !read_one_response(stream)
        {
            connection = None;
            continue;
        }
        answered += 1;
    }
    (
        answered as f64 / started.elapsed().as_secs_f64(),
        reconnects.saturating_sub(1),
    )
}

/// Reads one whole response (head, then `Content-Length` bytes of body); whether it did.
fn read_one_response(stream: &mut TcpStream) -> bool {
    let mut received = Vec::with_capacity(512);
    let mut buffer = [0u8; 4096];
    loop {
        let Some(head_end) = received.windows(4).position(|window| window == b"\r\n\r\n") else {
            match stream.read(&mut buffer) {
                Ok(0) | Err(_) => return false,
                Ok(count) => received.extend_from_slice(&buffer[..count]),
            }
            continue;
        };
        let head = String::from_utf8_lossy(&received[..head_end]).to_ascii_lowercase();
        let length: usize = head
            .lines()
            .find_map(|line| line.strip_prefix("content-length:"))
            .and_then(|value| value.trim().parse().ok())
            .unwrap_or(0);
        while received.len() < head_end + 4 + length {
            match stream.read(&mut buffer) {
                Ok(0) | Err(_) => return false,
                Ok(count) => received.extend_from_slice(&buffer[..count]),
            }
        }
        return head.starts_with("http/1.1 200");
    }
}

/// Opens `count` connections, sends a complete `GET /` on each, and keeps them all open while
/// reading the answers: how many were served (200) and how many refused (503) at once.
pub fn hold_connections(target: SocketAddr, count: usize) -> (usize, usize) {
    let mut streams = open_many(target, count);
    for stream in &mut streams {
        try_write(stream, b"GET / HTTP/1.1\r\nHost: holder\r\n\r\n");
    }
    let mut answers: Vec<Vec<u8>> = vec![Vec::new(); streams.len()];
    // Held SYNs come back 1, 3, 7, 15, 31 s later: thousands take a while to be accepted.
    let patience = Duration::from_secs(20 + count as u64 / 200);
    let deadline = Instant::now() + patience;
    while Instant::now() < deadline && answers.iter().any(|answer| answer.len() < 12) {
        for (stream, answer) in streams.iter_mut().zip(&mut answers) {
            if answer.len() < 12 {
                let mut buffer = [0u8; 64];
                if let Ok(read) = stream.read(&mut buffer) {
                    answer.extend_from_slice(&buffer[..read]);
                }
            }
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let served = answers
        .iter()
        .filter(|answer| answer.starts_with(b"HTTP/1.1 200"))
        .count();
    let refused = answers
        .iter()
        .filter(|answer| answer.starts_with(b"HTTP/1.1 503"))
        .count();
    reset_all(streams);
    (served, refused)
}
