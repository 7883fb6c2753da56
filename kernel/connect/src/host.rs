//! Host implementations: non-blocking `std::net` streams, a monotonic clock, and a `block_on`
//! that polls every millisecond. Enough to drive clients against real servers in tests.
use std::future::Future;
use std::io::{self, Read as _, Write as _};
use std::net::{TcpStream, ToSocketAddrs};
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

use crate::{Clock, Connector, ErrorType};

/// Connects with `std::net::TcpStream` (blocking connect with a timeout, then non-blocking I/O).
#[derive(Clone, Copy, Debug)]
pub struct StdConnector {
    /// How long `connect` may take.
    pub connect_timeout: Duration,
}

impl Default for StdConnector {
    fn default() -> Self {
        StdConnector {
            connect_timeout: Duration::from_secs(5),
        }
    }
}

impl Connector for StdConnector {
    type Stream = StdStream;
    type Error = io::Error;

    async fn connect(&self, host: &str, port: u16) -> Result<StdStream, io::Error> {
        let mut last = io::Error::new(io::ErrorKind::NotFound, format!("`{host}` has no address"));
        for address in (host, port).to_socket_addrs()? {
            match TcpStream::connect_timeout(&address, self.connect_timeout) {
                Ok(stream) => {
                    stream.set_nonblocking(true)?;
                    stream.set_nodelay(true)?;
                    return Ok(StdStream { stream });
                }
                Err(error) => last = error,
            }
        }
        Err(last)
    }
}

/// A non-blocking TCP stream: reads and writes return `Pending` (and ask to be polled again)
/// when the socket would block.
#[derive(Debug)]
pub struct StdStream {
    stream: TcpStream,
}

impl StdStream {
    /// The underlying socket (for tests that reset or shut it down).
    pub fn socket(&self) -> &TcpStream {
        &self.stream
    }
}

impl ErrorType for StdStream {
    type Error = io::Error;
}

/// Turns `WouldBlock` into `Pending`, waking at once so the polling `block_on` tries again.
async fn retry<T>(mut operation: impl FnMut() -> io::Result<T>) -> io::Result<T> {
    core::future::poll_fn(|context: &mut Context<'_>| match operation() {
        Err(error) if error.kind() == io::ErrorKind::WouldBlock => {
            context.waker().wake_by_ref();
            Poll::Pending
        }
        Err(error) if error.kind() == io::ErrorKind::Interrupted => {
            context.waker().wake_by_ref();
            Poll::Pending
        }
        other => Poll::Ready(other),
    })
    .await
}

impl crate::Read for StdStream {
    async fn read(&mut self, buffer: &mut [u8]) -> Result<usize, io::Error> {
        if buffer.is_empty() {
            return Ok(0);
        }
        retry(|| self.stream.read(buffer)).await
    }
}

impl crate::Write for StdStream {
    async fn write(&mut self, buffer: &[u8]) -> Result<usize, io::Error> {
        if buffer.is_empty() {
            return Ok(0);
        }
        retry(|| self.stream.write(buffer)).await
    }

    async fn flush(&mut self) -> Result<(), io::Error> {
        retry(|| self.stream.flush()).await
    }
}

/// Milliseconds since the clock was made.
#[derive(Clone, Copy, Debug)]
pub struct StdClock {
    start: Instant,
}

impl Default for StdClock {
    fn default() -> Self {
        StdClock {
            start: Instant::now(),
        }
    }
}

impl Clock for StdClock {
    fn now_ms(&self) -> u64 {
        u64::try_from(self.start.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    async fn sleep_ms(&self, milliseconds: u64) {
        let deadline = Instant::now() + Duration::from_millis(milliseconds);
        core::future::poll_fn(|context: &mut Context<'_>| {
            if Instant::now() >= deadline {
                Poll::Ready(())
            } else {
                context.waker().wake_by_ref();
                Poll::Pending
            }
        })
        .await
    }
}

/// Runs `future` to completion on this thread, polling it every millisecond while it is
/// pending (the host streams and clock wake at once rather than registering with a reactor).
pub fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = std::pin::pin!(future);
    let mut context = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut context) {
            return output;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{with_timeout, Read, TimedOut, Write};

    #[test]
    fn a_stream_echoes_through_a_local_listener() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let server = std::thread::spawn(move || {
            let (mut socket, _) = listener.accept().unwrap();
            let mut buffer = [0u8; 5];
            socket.read_exact(&mut buffer).unwrap();
            socket.write_all(&buffer).unwrap();
        });
        let echoed = block_on(async {
            let mut stream = StdConnector::default()
                .connect("127.0.0.1", port)
                .await
                .unwrap();
            stream.write_all(b"hello").await.unwrap();
            let mut buffer = [0u8; 5];
            stream.read_exact(&mut buffer).await.unwrap();
            buffer
        });
        assert_eq!(&echoed, b"hello");
        server.join().unwrap();
    }

    #[test]
    fn a_read_that_never_completes_times_out() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let clock = StdClock::default();
        let outcome = block_on(async {
            let mut stream = StdConnector::default()
                .connect("127.0.0.1", port)
                .await
                .unwrap();
            let mut buffer = [0u8; 1];
            with_timeout(&clock, 50, stream.read(&mut buffer)).await
        });
        assert!(matches!(outcome, Err(TimedOut)));
        assert!(clock.now_ms() >= 50);
        drop(listener);
    }
}
