//! Test support: the server fixture (tests/database-servers) and its runner, a random source, joining futures.
#![allow(dead_code)]
/// The shared-server runner.
pub mod harness {
    pub use sauce_database_servers::harness::*;
}

/// The server, its accounts, free ports.
pub mod server {
    pub use sauce_database_servers::postgres::*;
    pub use sauce_database_servers::process::free_port;
}

/// The configuration of the SCRAM user on the test database.
pub fn configuration(
    server: &sauce_database_servers::PostgresServer,
) -> sauce_postgres::Configuration {
    let url = server.url(server::SCRAM_USER, server::SCRAM_PASSWORD, server::DATABASE);
    sauce_postgres::Configuration::parse(&url).expect("a valid URL")
}

use std::future::Future;
use std::pin::Pin;
use std::task::Poll;

/// A xorshift generator: deterministic randomness for nonces and jitter in tests.
pub struct TestRandom(pub u64);

impl rand_core::RngCore for TestRandom {
    fn next_u32(&mut self) -> u32 {
        self.next_u64() as u32
    }

    fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn fill_bytes(&mut self, destination: &mut [u8]) {
        for byte in destination {
            *byte = self.next_u64() as u8;
        }
    }

    fn try_fill_bytes(&mut self, destination: &mut [u8]) -> Result<(), rand_core::Error> {
        self.fill_bytes(destination);
        Ok(())
    }
}

/// Runs `future` to completion, polling again at once while it is pending (yielding the
/// thread between polls). For benchmarks: `sauce_connect::host::block_on` sleeps a
/// millisecond between polls, which would measure its sleep rather than the client.
pub fn spin_on<F: Future>(future: F) -> F::Output {
    let mut future = std::pin::pin!(future);
    let mut context = std::task::Context::from_waker(std::task::Waker::noop());
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut context) {
            return output;
        }
        std::thread::yield_now();
    }
}

/// A future run as one task of [`join_all`].
pub type Task<'a, T> = Pin<Box<dyn Future<Output = T> + 'a>>;

/// Runs futures concurrently on one thread (as the image's executor would run tasks) and
/// returns their outputs in order.
pub async fn join_all<'a, T>(futures: Vec<Task<'a, T>>) -> Vec<T> {
    let mut futures: Vec<Option<Task<'a, T>>> = futures.into_iter().map(Some).collect();
    let mut outputs: Vec<Option<T>> = futures.iter().map(|_| None).collect();
    std::future::poll_fn(|context| {
        for (future, output) in futures.iter_mut().zip(outputs.iter_mut()) {
            if let Some(running) = future {
                if let Poll::Ready(value) = running.as_mut().poll(context) {
                    *output = Some(value);
                    *future = None;
                }
            }
        }
        if futures.iter().all(Option::is_none) {
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    })
    .await;
    outputs
        .into_iter()
        .map(|output| output.expect("every future finished"))
        .collect()
}
