//! The native baseline: a small HTTP/1.1 server on the host that answers every request with
//! one fixed response (the guest's own bytes, captured at the start of the benchmark), on
//! keep-alive connections, one thread per connection.
//!
//! It reads request heads only (up to the blank line): enough for `wrk`'s `GET`s, pipelined or
//! not. A head larger than [`MAX_HEAD`] closes the connection.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;

/// The largest request head accepted.
pub const MAX_HEAD: usize = 16 * 1024;

/// Accepts connections on `listener` for ever, answering each request with `response`.
pub fn serve(listener: TcpListener, response: Arc<[u8]>) -> std::io::Result<()> {
    loop {
        let (stream, _) = listener.accept()?;
        let response = Arc::clone(&response);
        std::thread::spawn(move || {
            let _ = serve_connection(stream, &response);
        });
    }
}

/// Where the first complete request head in `buffer` ends (after its blank line).
fn head_end(buffer: &[u8]) -> Option<usize> {
    buffer
        .windows(4)
        .position(|window| window == b"\r\n\r\n")
        .map(|start| start + 4)
}

/// Serves one connection until the client closes it or sends an oversized head.
fn serve_connection(mut stream: TcpStream, response: &[u8]) -> std::io::Result<()> {
    stream.set_nodelay(true)?;
    let mut pending = Vec::with_capacity(4096);
    let mut chunk = [0u8; 4096];
    let mut answers = Vec::with_capacity(response.len() * 4);
    loop {
        let count = stream.read(&mut chunk)?;
        if count == 0 {
            return Ok(());
        }
        pending.extend_from_slice(&chunk[..count]);
        while let Some(end) = head_end(&pending) {
            pending.drain(..end);
            answers.extend_from_slice(response);
        }
        if pending.len() > MAX_HEAD {
            return Ok(());
        }
        if !answers.is_empty() {
            stream.write_all(&answers)?;
            answers.clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    const RESPONSE: &[u8] = b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nhi\n";

    fn start() -> u16 {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        std::thread::spawn(move || serve(listener, Arc::from(RESPONSE)));
        port
    }

    fn read_exactly(stream: &mut TcpStream, count: usize) -> Vec<u8> {
        let mut bytes = vec![0; count];
        stream.read_exact(&mut bytes).unwrap();
        bytes
    }

    #[test]
    fn answers_requests_on_a_kept_alive_connection_including_pipelined_and_split_ones() {
        let port = start();
        let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        stream
            .write_all(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n")
            .unwrap();
        assert_eq!(read_exactly(&mut stream, RESPONSE.len()), RESPONSE);
        stream
            .write_all(b"GET / HTTP/1.1\r\n\r\nGET / HTTP/1.1\r\n\r\nGET / HT")
            .unwrap();
        assert_eq!(
            read_exactly(&mut stream, 2 * RESPONSE.len()),
            [RESPONSE, RESPONSE].concat()
        );
        stream.write_all(b"TP/1.1\r\n\r\n").unwrap();
        assert_eq!(read_exactly(&mut stream, RESPONSE.len()), RESPONSE);
    }

    #[test]
    fn closes_a_connection_whose_head_never_ends() {
        let port = start();
        let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        let _ = stream.write_all(&vec![b'a'; MAX_HEAD + 10]);
        let mut rest = Vec::new();
        assert_eq!(
            stream
                .read_to_end(&mut rest)
                .map(|_| rest.len())
                .unwrap_or(0),
            0
        );
    }

    #[test]
    fn finds_the_end_of_a_head() {
        assert_eq!(head_end(b"GET / HTTP/1.1\r\n\r\nrest"), Some(18));
        assert_eq!(head_end(b"GET / HTTP/1.1\r\n"), None);
    }
}
