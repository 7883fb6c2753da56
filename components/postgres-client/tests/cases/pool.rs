//! The pool: timeouts, waiting for a busy pool, the health rule, reuse.
use sauce_connect::host::block_on;
use sauce_postgres::{Error, ErrorKind, PoolOptions};

use super::{case, pool};
use crate::support::harness::Case;
use crate::support::{join_all, Task};
use crate::Context;

pub fn cases() -> Vec<Case<Context>> {
    vec![
        case("pool_reuses_connections", reuse),
        case("pool_query_timeout_discards_the_connection", timeout),
        case("pool_checkout_waits_for_a_busy_connection", waits),
        case(
            "pool_checkout_wait_is_bounded_by_the_timeout",
            wait_times_out,
        ),
        case(
            "pool_transaction_left_open_is_rolled_back_before_reuse",
            open_transaction,
        ),
    ]
}

fn options(size: usize, timeout_ms: u64) -> PoolOptions {
    PoolOptions {
        size,
        timeout_ms,
        ..PoolOptions::DEFAULT
    }
}

fn reuse(context: &Context) {
    let pool = pool(
        crate::support::configuration(&context.server),
        options(2, 5_000),
    );
    block_on(async {
        let first: i32 = pool
            .query_one("SELECT pg_backend_pid()", &[])
            .await
            .unwrap()
            .get(0)
            .unwrap();
        let second: i32 = pool
            .query_one("SELECT pg_backend_pid()", &[])
            .await
            .unwrap()
            .get(0)
            .unwrap();
        assert_eq!(first, second, "the idle connection is reused");
        assert_eq!(pool.status().open, 1);
        assert_eq!(pool.status().idle, 1);
    });
}

fn timeout(context: &Context) {
    let pool = pool(
        crate::support::configuration(&context.server),
        options(2, 300),
    );
    block_on(async {
        let before: i32 = pool
            .query_one("SELECT pg_backend_pid()", &[])
            .await
            .unwrap()
            .get(0)
            .unwrap();
        let started = std::time::Instant::now();
        let error = pool.execute("SELECT pg_sleep(5)", &[]).await.unwrap_err();
        let elapsed = started.elapsed();
        assert!(matches!(error, Error::Timeout(300)), "{error}");
        assert_eq!(error.kind(), ErrorKind::Timeout);
        assert!(elapsed.as_millis() < 1_000, "{elapsed:?}");
        assert_eq!(
            pool.status().open,
            0,
            "the timed-out connection is discarded"
        );
        let after: i32 = pool
            .query_one("SELECT pg_backend_pid()", &[])
            .await
            .unwrap()
            .get(0)
            .unwrap();
        assert_ne!(before, after, "a new connection serves the next query");
    });
}

fn waits(context: &Context) {
    let pool = pool(
        crate::support::configuration(&context.server),
        options(1, 5_000),
    );
    block_on(async {
        let started = std::time::Instant::now();
        let tasks: Vec<Task<'_, Result<u64, Error>>> = vec![
            Box::pin(pool.execute("SELECT pg_sleep(0.3)", &[])),
            Box::pin(pool.execute("SELECT pg_sleep(0.3)", &[])),
            Box::pin(pool.execute("SELECT 1", &[])),
        ];
        let outcomes = join_all(tasks).await;
        assert!(outcomes.iter().all(Result::is_ok), "{outcomes:?}");
        assert!(
            started.elapsed().as_millis() >= 600,
            "one connection serves them in turn"
        );
        assert_eq!(pool.status().open, 1);
    });
}

fn wait_times_out(context: &Context) {
    let pool = pool(
        crate::support::configuration(&context.server),
        options(1, 400),
    );
    block_on(async {
        let tasks: Vec<Task<'_, Result<u64, Error>>> = vec![
            Box::pin(pool.execute("SELECT pg_sleep(0.2)", &[])),
            Box::pin(pool.execute("SELECT pg_sleep(0.3)", &[])),
        ];
        let outcomes = join_all(tasks).await;
        assert!(outcomes[0].is_ok(), "{outcomes:?}");
        // The second waited 0.2 s for the connection and then needed 0.3 s more.
        assert!(
            matches!(outcomes[1], Err(Error::Timeout(400))),
            "{outcomes:?}"
        );
    });
}

fn open_transaction(context: &Context) {
    let pool = pool(
        crate::support::configuration(&context.server),
        options(1, 5_000),
    );
    block_on(async {
        pool.batch_execute("DROP TABLE IF EXISTS left_open; CREATE TABLE left_open (n int4)")
            .await
            .unwrap();
        pool.run(async |client| {
            client.batch_execute("BEGIN").await?;
            client
                .execute("INSERT INTO left_open VALUES ($1)", &[&1])
                .await
        })
        .await
        .unwrap();
        let count: i64 = pool
            .query_one("SELECT count(*) FROM left_open", &[])
            .await
            .unwrap()
            .get(0)
            .unwrap();
        assert_eq!(count, 0);
        let status = pool
            .run(async |client| Ok(client.transaction_status()))
            .await
            .unwrap();
        assert_eq!(status, sauce_postgres::TransactionStatus::Idle);
    });
}
