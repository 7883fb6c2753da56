//! The pool: reuse, timeouts, waiting for a busy connection.
use sauce_connect::host::block_on;
use sauce_redis::{Error, ErrorKind, PoolOptions, Value};

use super::{case, pool};
use crate::support::harness::Case;
use crate::support::{join_all, Task};
use crate::Context;

pub fn cases() -> Vec<Case<Context>> {
    vec![
        case("pool_reuses_connections", reuse),
        case("pool_timeout_discards_the_connection", timeout),
        case("pool_checkout_waits_for_a_busy_connection", waits),
    ]
}

fn options(size: usize, timeout_ms: u64) -> PoolOptions {
    PoolOptions {
        size,
        timeout_ms,
        ..PoolOptions::DEFAULT
    }
}

/// The server's id of the connection that runs the command.
fn client_id(pool: &super::TestPool) -> i64 {
    match block_on(pool.command(&[b"CLIENT", b"ID"])).unwrap() {
        Value::Integer(id) => id,
        other => panic!("{other:?}"),
    }
}

fn reuse(context: &Context) {
    let pool = pool(
        crate::support::configuration(&context.server),
        options(2, 2_000),
    );
    assert_eq!(client_id(&pool), client_id(&pool));
    assert_eq!(pool.status().open, 1);
    let hits = block_on(pool.run(async |client| {
        client.del(&[b"pool:hits"]).await?;
        client.incr(b"pool:hits").await
    }))
    .unwrap();
    assert_eq!(hits, 1);
}

fn timeout(context: &Context) {
    let pool = pool(
        crate::support::configuration(&context.server),
        options(2, 300),
    );
    let before = client_id(&pool);
    let started = std::time::Instant::now();
    let error = block_on(pool.command(&[b"BLPOP", b"pool:never", b"5"])).unwrap_err();
    assert!(matches!(error, Error::Timeout(300)), "{error}");
    assert_eq!(error.kind(), ErrorKind::Timeout);
    assert!(started.elapsed().as_millis() < 1_000);
    assert_eq!(
        pool.status().open,
        0,
        "the timed-out connection is discarded"
    );
    assert_ne!(client_id(&pool), before);
}

fn waits(context: &Context) {
    let pool = pool(
        crate::support::configuration(&context.server),
        options(1, 2_000),
    );
    block_on(async {
        let started = std::time::Instant::now();
        let tasks: Vec<Task<'_, Result<Value, Error>>> = vec![
            Box::pin(pool.command(&[b"BLPOP", b"pool:never", b"0.3"])),
            Box::pin(pool.command(&[b"BLPOP", b"pool:never", b"0.3"])),
            Box::pin(pool.command(&[b"PING"])),
        ];
        let outcomes = join_all(tasks).await;
        assert!(outcomes.iter().all(Result::is_ok), "{outcomes:?}");
        assert!(started.elapsed().as_millis() >= 600);
        assert_eq!(pool.status().open, 1);
    });
}
