//! Faults: the server killed mid-query and restarted; the server down at first use.
use std::time::{Duration, Instant};

use sauce_connect::host::block_on;
use sauce_postgres::{Error, ErrorKind, PoolOptions};

use super::{case, pool, TestPool};
use crate::support::harness::Case;
use crate::support::server::{free_port, PostgresServer};
use crate::Context;

pub fn cases() -> Vec<Case<Context>> {
    vec![
        case(
            "fault_server_killed_mid_query_then_the_pool_reconnects",
            killed_mid_query,
        ),
        case(
            "fault_server_down_at_first_use_is_unavailable_then_recovers",
            down_at_first_use,
        ),
    ]
}

/// Retries `SELECT 1` until it succeeds; returns how long that took.
fn until_answering(pool: &TestPool, limit: Duration) -> Duration {
    let started = Instant::now();
    loop {
        let outcome = block_on(pool.query_one("SELECT 1::int4", &[]));
        match outcome {
            Ok(row) => {
                assert_eq!(row.get::<i32>(0).unwrap(), 1);
                return started.elapsed();
            }
            Err(error) => {
                assert_eq!(error.kind(), ErrorKind::Unavailable, "{error}");
                assert!(
                    started.elapsed() < limit,
                    "no recovery within {limit:?}: {error}"
                );
                std::thread::sleep(Duration::from_millis(20));
            }
        }
    }
}

fn killed_mid_query(_: &Context) {
    let mut server = PostgresServer::start().expect("the server starts");
    let options = PoolOptions {
        size: 2,
        timeout_ms: 10_000,
        backoff_initial_ms: 50,
        backoff_max_ms: 1_000,
    };
    let pool = pool(crate::support::configuration(&server), options);
    block_on(pool.execute("SELECT 1", &[])).unwrap();
    let error = std::thread::scope(|scope| {
        scope.spawn(|| {
            std::thread::sleep(Duration::from_millis(300));
            server.crash();
        });
        block_on(pool.execute("SELECT pg_sleep(20)", &[]))
    });
    let error = error.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Unavailable, "{error}");
    assert_eq!(pool.status().open, 0, "the broken connection is gone");
    // While the server is down, the pool answers Unavailable at once.
    let started = Instant::now();
    let error = block_on(pool.execute("SELECT 1", &[])).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Unavailable, "{error}");
    assert!(started.elapsed() < Duration::from_secs(2));
    server.resume();
    let recovery = until_answering(&pool, Duration::from_secs(10));
    println!("    recovered {recovery:?} after the server came back");
}

fn down_at_first_use(context: &Context) {
    let port = free_port();
    let mut configuration = crate::support::configuration(&context.server);
    configuration.port = port;
    let options = PoolOptions {
        size: 2,
        timeout_ms: 2_000,
        backoff_initial_ms: 200,
        backoff_max_ms: 1_000,
    };
    let pool = pool(configuration, options);
    let first = block_on(pool.execute("SELECT 1", &[])).unwrap_err();
    assert!(matches!(first, Error::Connect(_)), "{first}");
    assert_eq!(first.kind(), ErrorKind::Unavailable);
    assert_eq!(first.kind().http_status(), 503);
    let second = block_on(pool.execute("SELECT 1", &[])).unwrap_err();
    match &second {
        Error::Backoff { retry_after_ms, .. } => assert!(*retry_after_ms <= 200, "{second}"),
        other => panic!("expected a backoff, got {other}"),
    }
    assert!(second.retry_after_ms().is_some());
    let _server = PostgresServer::start_on(port).expect("the server starts");
    let recovery = until_answering(&pool, Duration::from_secs(10));
    println!("    answered {recovery:?} after the server was up");
    assert_eq!(pool.status().open, 1);
}
