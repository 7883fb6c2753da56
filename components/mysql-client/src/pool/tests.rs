//! Pool tests with an in-memory connector of scripted servers and a manual clock.
use alloc::collections::VecDeque;
use alloc::string::String;
use alloc::vec::Vec;
use core::cell::{Cell, RefCell};

use sauce_connect::{Clock, Connector};

use super::{Pool, PoolOptions};
use crate::connection::tests::{block_on, Script, ScriptedStream, OK};
use crate::error::{Cause, ErrorKind};
use crate::random::tests::SplitMix;
use crate::Options;

/// A clock the test moves; sleeping moves it too, so timeouts fire at once.
#[derive(Debug, Default)]
struct ManualClock {
    now: Cell<u64>,
}

impl ManualClock {
    fn advance(&self, milliseconds: u64) {
        self.now.set(self.now.get() + milliseconds);
    }
}

impl Clock for &ManualClock {
    fn now_ms(&self) -> u64 {
        self.now.get()
    }

    async fn sleep_ms(&self, milliseconds: u64) {
        self.advance(milliseconds);
    }
}

/// Hands out the scripted servers it was given, in order; `None` refuses the connection.
#[derive(Debug, Default)]
struct ScriptedConnector {
    servers: RefCell<VecDeque<Option<ScriptedStream>>>,
    attempts: Cell<usize>,
}

impl ScriptedConnector {
    fn with(servers: Vec<Option<ScriptedStream>>) -> Self {
        ScriptedConnector {
            servers: RefCell::new(servers.into()),
            attempts: Cell::new(0),
        }
    }
}

impl Connector for &ScriptedConnector {
    type Stream = ScriptedStream;
    type Error = String;

    async fn connect(&self, _host: &str, _port: u16) -> Result<ScriptedStream, String> {
        self.attempts.set(self.attempts.get() + 1);
        match self.servers.borrow_mut().pop_front() {
            Some(Some(stream)) => Ok(stream),
            _ => Err(String::from("connection refused")),
        }
    }
}

/// A server that authenticates, then answers `pings` pings, then closes.
fn server(pings: usize) -> ScriptedStream {
    let mut script = Script::connected(true);
    for _ in 0..pings {
        script.packet(1, OK);
    }
    script.stream()
}

fn settings() -> PoolOptions {
    PoolOptions {
        size: 2,
        backoff_initial_ms: 100,
        backoff_max_ms: 1_000,
        ..PoolOptions::DEFAULT
    }
}

type TestPool<'a> = Pool<&'a ScriptedConnector, &'a ManualClock, SplitMix>;

fn pool<'a>(
    connector: &'a ScriptedConnector,
    clock: &'a ManualClock,
    settings: PoolOptions,
) -> TestPool<'a> {
    let options = Options::new("db", 3306, "app", "secret");
    Pool::new(connector, clock, SplitMix(3), options, settings)
}

#[test]
fn failed_attempts_back_off_exponentially_up_to_the_cap() {
    let connector = ScriptedConnector::default();
    let clock = ManualClock::default();
    let pool = pool(&connector, &clock, settings());
    let mut ceilings = Vec::new();
    for failure in 1..=6u32 {
        let error = block_on(pool.get()).unwrap_err();
        assert!(matches!(error.cause(), Cause::Connect(_)), "{error}");
        assert_eq!(pool.status().failures, failure);
        let waiting = block_on(pool.get()).unwrap_err();
        let retry_after = waiting.retry_after_ms().unwrap();
        assert_eq!(waiting.kind(), ErrorKind::Unavailable);
        let ceiling = (100u64 << (failure - 1)).min(1_000);
        assert!(
            retry_after >= ceiling / 2 && retry_after <= ceiling,
            "{failure}: {retry_after}"
        );
        ceilings.push(ceiling);
        clock.advance(retry_after);
    }
    assert_eq!(ceilings, [100, 200, 400, 800, 1_000, 1_000]);
    assert_eq!(connector.attempts.get(), 6, "no attempt during a backoff");
}

#[test]
fn a_success_resets_the_backoff_and_connections_are_reused() {
    let connector = ScriptedConnector::with(alloc::vec![None, Some(server(2))]);
    let clock = ManualClock::default();
    let pool = pool(&connector, &clock, settings());
    assert!(block_on(pool.get()).is_err());
    clock.advance(100);
    block_on(async {
        pool.get().await.unwrap().ping().await.unwrap();
        pool.get().await.unwrap().ping().await.unwrap();
    });
    assert_eq!(connector.attempts.get(), 2);
    assert_eq!(pool.status().failures, 0);
    assert_eq!(pool.status().idle, 1);
}

#[test]
fn a_lost_connection_closes_its_idle_siblings() {
    let connector = ScriptedConnector::with(alloc::vec![Some(server(0)), Some(server(0))]);
    let clock = ManualClock::default();
    let pool = pool(&connector, &clock, settings());
    block_on(async {
        let mut first = pool.get().await.unwrap();
        let second = pool.get().await.unwrap();
        drop(second);
        assert_eq!(
            pool.status(),
            super::PoolStatus {
                open: 2,
                idle: 1,
                waiting: 0,
                failures: 0
            }
        );
        let error = first.ping().await.unwrap_err();
        assert_eq!(error.cause(), &Cause::Closed);
    });
    assert_eq!(pool.status().open, 0);
    assert_eq!(pool.status().idle, 0);
}

#[test]
fn an_idle_connection_is_pinged_and_replaced_when_the_ping_fails() {
    let connector = ScriptedConnector::with(alloc::vec![Some(server(0)), Some(server(1))]);
    let clock = ManualClock::default();
    let pool = pool(
        &connector,
        &clock,
        PoolOptions {
            ping_after_idle_ms: 10,
            ..settings()
        },
    );
    block_on(async {
        drop(pool.get().await.unwrap());
        clock.advance(20);
        let mut replaced = pool.get().await.unwrap();
        replaced.ping().await.unwrap();
    });
    assert_eq!(
        connector.attempts.get(),
        2,
        "the dead idle connection was replaced"
    );
}

#[test]
fn a_timed_out_operation_discards_its_connection() {
    let connector = ScriptedConnector::with(alloc::vec![Some(server(0).stalling())]);
    let clock = ManualClock::default();
    let pool = pool(
        &connector,
        &clock,
        PoolOptions {
            query_timeout_ms: 250,
            ..settings()
        },
    );
    let error =
        block_on(async { pool.get().await.unwrap().query("SELECT SLEEP(5)").await }).unwrap_err();
    assert_eq!(
        (error.kind(), error.cause()),
        (ErrorKind::Timeout, &Cause::TimedOut(250))
    );
    assert_eq!(pool.status().open, 0);
}

#[test]
fn a_connect_that_times_out_gives_its_slot_back() {
    let stalled = ScriptedStream::new(Vec::new(), 1).stalling();
    let connector = ScriptedConnector::with(alloc::vec![Some(stalled)]);
    let clock = ManualClock::default();
    let pool = pool(
        &connector,
        &clock,
        PoolOptions {
            connect_timeout_ms: 500,
            ..settings()
        },
    );
    let error = block_on(pool.get()).unwrap_err();
    assert_eq!(
        (error.kind(), error.cause()),
        (ErrorKind::Unavailable, &Cause::TimedOut(500))
    );
    assert_eq!(pool.status().open, 0);
    assert_eq!(pool.status().failures, 1);
}
