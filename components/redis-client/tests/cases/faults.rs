//! Faults: the server killed mid-command and restarted; the server down at first use.
use std::time::{Duration, Instant};

use sauce_connect::host::block_on;
use sauce_redis::{Error, ErrorKind, PoolOptions, Value};

use super::{case, pool, TestPool};
use crate::support::harness::Case;
use crate::support::server::{free_port, RedisServer};
use crate::Context;

pub fn cases() -> Vec<Case<Context>> {
    vec![
        case(
            "fault_server_killed_mid_command_then_the_pool_reconnects",
            killed_mid_command,
        ),
        case(
            "fault_server_down_at_first_use_is_unavailable_then_recovers",
            down_at_first_use,
        ),
    ]
}

/// Retries `PING` until it succeeds; returns how long that took.
fn until_answering(pool: &TestPool, limit: Duration) -> Duration {
    let started = Instant::now();
    loop {
        match block_on(pool.command(&[b"PING"])) {
            Ok(reply) => {
                assert_eq!(reply, Value::Status("PONG".into()));
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

fn options() -> PoolOptions {
    PoolOptions {
        size: 2,
        timeout_ms: 5_000,
        backoff_initial_ms: 50,
        backoff_max_ms: 1_000,
    }
}

fn killed_mid_command(_: &Context) {
    let mut server = RedisServer::start().expect("the server starts");
    let pool = pool(crate::support::configuration(&server), options());
    block_on(pool.command(&[b"PING"])).unwrap();
    let outcome = std::thread::scope(|scope| {
        scope.spawn(|| {
            std::thread::sleep(Duration::from_millis(300));
            server.kill();
        });
        block_on(pool.command(&[b"BLPOP", b"never", b"10"]))
    });
    let error = outcome.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Unavailable, "{error}");
    assert_eq!(pool.status().open, 0);
    let error = block_on(pool.command(&[b"PING"])).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Unavailable, "{error}");
    server.resume();
    let recovery = until_answering(&pool, Duration::from_secs(10));
    println!("    recovered {recovery:?} after the server came back");
}

fn down_at_first_use(context: &Context) {
    let port = free_port();
    let mut configuration = crate::support::configuration(&context.server);
    configuration.port = port;
    let pool = pool(configuration, options());
    let first = block_on(pool.command(&[b"PING"])).unwrap_err();
    assert!(matches!(first, Error::Connect(_)), "{first}");
    assert_eq!(first.kind().http_status(), 503);
    let second = block_on(pool.command(&[b"PING"])).unwrap_err();
    assert!(matches!(second, Error::Backoff { .. }), "{second}");
    assert!(second
        .retry_after_ms()
        .is_some_and(|milliseconds| milliseconds <= 50));
    let _server = RedisServer::start_on(port).expect("the server starts");
    let recovery = until_answering(&pool, Duration::from_secs(10));
    println!("    answered {recovery:?} after the server was up");
}
