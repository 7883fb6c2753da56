//! Asking a guest for its first HTTP 200, as the boot benchmarks do.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// A TCP port on 127.0.0.1 that was free a moment ago.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Polls `GET /` on 127.0.0.1:`port` every 0.5 ms until it answers 200, `give_up` passes or
/// `stop` is set; each attempt waits at most `read_timeout` for the answer. Returns when the
/// 200 arrived.
pub fn first_ok(
    port: u16,
    give_up: Instant,
    read_timeout: Duration,
    stop: &AtomicBool,
) -> Option<Instant> {
    while Instant::now() < give_up && !stop.load(Ordering::SeqCst) {
        if let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) {
            let _ = stream.set_read_timeout(Some(read_timeout));
            if stream
                .write_all(b"GET / HTTP/1.1\r\nConnection: close\r\n\r\n")
                .is_ok()
            {
                let mut response = [0u8; 12];
                if stream.read_exact(&mut response).is_ok() && &response == b"HTTP/1.1 200" {
                    return Some(Instant::now());
                }
            }
        }
        std::thread::sleep(Duration::from_micros(500));
    }
    None
}
