//! Shared helpers of the integration tests: a random source, connection shortcuts and the
//! private MariaDB servers of tests/database-servers.
#![allow(dead_code)] // Each test binary uses a different part.

pub mod scripted;

/// Private MariaDB servers (tests/database-servers), skipping with the reason when none is
/// installed.
pub mod mariadb {
    use std::sync::Arc;

    pub use sauce_database_servers::MariadbServer as Server;

    /// The server shared by the tests of this binary, or `None` after printing why not.
    pub fn shared() -> Option<Arc<Server>> {
        Server::shared()
            .map_err(|missing| eprintln!("skipped: {missing}"))
            .ok()
    }

    /// A server of the test's own, or `None` after printing why not.
    pub fn start() -> Option<Server> {
        Server::start()
            .map_err(|missing| eprintln!("skipped: {missing}"))
            .ok()
    }
}

use sauce_connect::host::{block_on, StdConnector, StdStream};
use sauce_mysql::{Connection, Error, Options, Random};

/// SplitMix64 seeded from the clock and a counter: unpredictable enough for tests (not for
/// keys; an image uses the CPU's RDRAND).
#[derive(Debug)]
pub struct TestRandom(u64);

impl Default for TestRandom {
    fn default() -> Self {
        static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|duration| duration.as_nanos() as u64)
            .unwrap_or(0);
        TestRandom(nanos ^ COUNTER.fetch_add(0x9e37_79b9, std::sync::atomic::Ordering::Relaxed))
    }
}

impl Random for TestRandom {
    fn fill_bytes(&mut self, bytes: &mut [u8]) {
        for chunk in bytes.chunks_mut(8) {
            self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut mixed = self.0;
            mixed = (mixed ^ (mixed >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            mixed = (mixed ^ (mixed >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            mixed ^= mixed >> 31;
            chunk.copy_from_slice(&mixed.to_le_bytes()[..chunk.len()]);
        }
    }
}

/// Opens a connection with `options` (blocking).
pub fn connect(options: &Options) -> Result<Connection<StdStream>, Error> {
    block_on(Connection::open(
        &StdConnector::default(),
        options,
        &mut TestRandom::default(),
    ))
}

/// Polls every future in turn until all are done (a tiny single-threaded executor for tests
/// that need tasks to interleave); returns their outputs in order.
pub fn join_all<T>(
    futures: Vec<std::pin::Pin<Box<dyn std::future::Future<Output = T> + '_>>>,
) -> Vec<T> {
    use std::task::{Context, Poll, Waker};
    let mut futures: Vec<_> = futures.into_iter().map(Some).collect();
    let mut outputs: Vec<Option<T>> = futures.iter().map(|_| None).collect();
    let mut context = Context::from_waker(Waker::noop());
    while outputs.iter().any(Option::is_none) {
        for (slot, output) in futures.iter_mut().zip(outputs.iter_mut()) {
            if let Some(future) = slot {
                if let Poll::Ready(value) = future.as_mut().poll(&mut context) {
                    *output = Some(value);
                    *slot = None;
                }
            }
        }
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
    outputs.into_iter().flatten().collect()
}
