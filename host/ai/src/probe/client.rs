//! A small HTTP/1.1 client for probing a booted image: one connection per probe, `Connection:
//! close`, bounded reads, and a parser that never panics on what the guest sends.

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use super::Probe;

/// The most bytes read of one answer.
pub const MAX_RESPONSE_SIZE: usize = 1 << 20;

/// An answer, as far as probes look at it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProbeResponse {
    /// The status code.
    pub status: u16,
    /// The headers, as sent.
    pub headers: Vec<(String, String)>,
    /// The body, de-chunked.
    pub body: Vec<u8>,
}

impl ProbeResponse {
    /// The first header named `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(header, _)| header.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// Reads an answer from raw bytes; `head_request` means there is no body to read.
    pub fn parse(bytes: &[u8], head_request: bool) -> Result<ProbeResponse, String> {
        let end = find(bytes, b"\r\n\r\n").ok_or("the answer has no complete header")?;
        let head = std::str::from_utf8(&bytes[..end]).map_err(|_| "the header is not UTF-8")?;
        let mut lines = head.split("\r\n");
        let status_line = lines.next().unwrap_or("");
        let mut parts = status_line.splitn(3, ' ');
        let version = parts.next().unwrap_or("");
        if !version.starts_with("HTTP/1.") {
            return Err(format!(
                "not an HTTP/1.x status line: {}",
                status_line.escape_debug()
            ));
        }
        let status = parts
            .next()
            .and_then(|status| status.parse::<u16>().ok())
            .filter(|status| (100..600).contains(status))
            .ok_or_else(|| format!("no status code in {}", status_line.escape_debug()))?;
        let mut headers = Vec::new();
        for line in lines {
            let (name, value) = line
                .split_once(':')
                .ok_or_else(|| format!("a header line without `:`: {}", line.escape_debug()))?;
            headers.push((name.trim().to_owned(), value.trim().to_owned()));
        }
        let mut response = ProbeResponse {
            status,
            headers,
            body: Vec::new(),
        };
        let rest = bytes.get(end + 4..).unwrap_or(&[]);
        if head_request || status == 204 || status == 304 {
            return Ok(response);
        }
        let chunked = response
            .header("transfer-encoding")
            .is_some_and(|value| value.to_ascii_lowercase().contains("chunked"));
        response.body = if chunked {
            dechunk(rest)?
        } else if let Some(length) = response.header("content-length") {
            let length: usize = length.parse().map_err(|_| {
                format!("Content-Length is not a number: {}", length.escape_debug())
            })?;
            rest.get(..length)
                .ok_or_else(|| format!("the body ended after {} of {length} bytes", rest.len()))?
                .to_vec()
        } else {
            rest.to_vec()
        };
        Ok(response)
    }
}

/// A probe whose answer was wrong, or that got none.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProbeFailure {
    /// The probe.
    pub probe: Probe,
    /// What went wrong.
    pub message: String,
}

/// Sends every probe to `address`; returns the failures (empty when all passed).
pub fn run_probes(address: SocketAddr, probes: &[Probe], timeout: Duration) -> Vec<ProbeFailure> {
    probes
        .iter()
        .filter_map(|probe| {
            let outcome = send(address, probe, timeout)
                .map_err(|error| format!("no answer: {error}"))
                .and_then(|response| probe.verify(&response));
            outcome.err().map(|message| ProbeFailure {
                probe: probe.clone(),
                message,
            })
        })
        .collect()
}

/// Sends one probe and reads its answer.
pub fn send(
    address: SocketAddr,
    probe: &Probe,
    timeout: Duration,
) -> Result<ProbeResponse, String> {
    let io_error = |error: io::Error| error.to_string();
    let mut stream = TcpStream::connect_timeout(&address, timeout).map_err(io_error)?;
    stream.set_read_timeout(Some(timeout)).map_err(io_error)?;
    stream.set_write_timeout(Some(timeout)).map_err(io_error)?;
    let mut request = format!(
        "{} {} HTTP/1.1\r\nHost: {address}\r\nUser-Agent: sauce-ai-probe\r\nAccept: */*\r\nConnection: close\r\n",
        probe.method, probe.path
    );
    if let Some(content_type) = probe.body_content_type() {
        request.push_str(&format!("Content-Type: {content_type}\r\n"));
    }
    let body = probe.body.as_deref().unwrap_or("");
    if !body.is_empty() || ["POST", "PUT", "PATCH"].contains(&probe.method.as_str()) {
        request.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    request.push_str("\r\n");
    request.push_str(body);
    stream.write_all(request.as_bytes()).map_err(io_error)?;
    let mut bytes = Vec::new();
    stream
        .take(MAX_RESPONSE_SIZE as u64)
        .read_to_end(&mut bytes)
        .map_err(io_error)?;
    ProbeResponse::parse(&bytes, probe.method == "HEAD")
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

fn dechunk(mut rest: &[u8]) -> Result<Vec<u8>, String> {
    let mut body = Vec::new();
    loop {
        let line_end = find(rest, b"\r\n").ok_or("a chunk size line is incomplete")?;
        let size_text =
            std::str::from_utf8(&rest[..line_end]).map_err(|_| "a chunk size is not text")?;
        let size_text = size_text.split(';').next().unwrap_or("").trim();
        let size = usize::from_str_radix(size_text, 16).map_err(|_| {
            format!(
                "a chunk size is not hexadecimal: {}",
                size_text.escape_debug()
            )
        })?;
        rest = &rest[line_end + 2..];
        if size == 0 {
            return Ok(body);
        }
        let chunk = rest.get(..size).ok_or("the body ended inside a chunk")?;
        body.extend_from_slice(chunk);
        rest = rest
            .get(size + 2..)
            .ok_or("a chunk is not followed by CRLF")?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::probe::ProbeOrigin;
    use std::net::TcpListener;
    use std::thread;

    #[test]
    fn parses_lengths_and_chunks() {
        let response = ProbeResponse::parse(
            b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello extra",
            false,
        )
        .unwrap();
        assert_eq!(
            (response.status, response.body.as_slice()),
            (200, &b"hello"[..])
        );
        assert_eq!(response.header("content-type"), Some("text/plain"));
        let chunked = ProbeResponse::parse(
            b"HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2;x=y\r\nde\r\n0\r\n\r\n",
            false,
        )
        .unwrap();
        assert_eq!(chunked.body, b"abcde");
        let head =
            ProbeResponse::parse(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n", true).unwrap();
        assert!(head.body.is_empty());
    }

    #[test]
    fn rejects_broken_answers() {
        for bytes in [
            &b""[..],
            b"HTTP/1.1 200 OK\r\n",
            b"SSH-2.0\r\n\r\n",
            b"HTTP/1.1 abc OK\r\n\r\n",
            b"HTTP/1.1 200 OK\r\nbroken\r\n\r\n",
            b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc",
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nffffffff\r\nab",
        ] {
            assert!(ProbeResponse::parse(bytes, false).is_err(), "{bytes:?}");
        }
    }

    #[test]
    fn probes_a_live_server() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let address = listener.local_addr().unwrap();
        let server = thread::spawn(move || {
            for _ in 0..2 {
                let (mut stream, _) = listener.accept().unwrap();
                let mut request = [0u8; 1024];
                let read = stream.read(&mut request).unwrap();
                let request = String::from_utf8_lossy(&request[..read]).into_owned();
                let answer = if request.starts_with("POST /orders")
                    && request.contains("Content-Type: application/json")
                {
                    "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: 8\r\n\r\n{\"id\":1}"
                } else {
                    "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"
                };
                stream.write_all(answer.as_bytes()).unwrap();
            }
        });
        let probes: Vec<Probe> = [
            "POST /orders {\"item\":1} -> 201 application/json",
            "GET /missing -> 200",
        ]
        .iter()
        .map(|line| {
            Probe::parse_line(line, ProbeOrigin::Proposed)
                .unwrap()
                .unwrap()
        })
        .collect();
        let failures = run_probes(address, &probes, Duration::from_secs(5));
        server.join().unwrap();
        assert_eq!(failures.len(), 1, "{failures:?}");
        assert_eq!(failures[0].probe.path, "/missing");
        assert_eq!(failures[0].message, "expected status 200, got 404");
    }

    proptest::proptest! {
        #[test]
        fn parsing_never_panics(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..300)) {
            let _ = ProbeResponse::parse(&bytes, false);
            let mut with_head = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
            with_head.extend_from_slice(&bytes);
            let _ = ProbeResponse::parse(&with_head, false);
        }
    }
}
