//! The pool against a real MariaDB: per-query timeouts, waiting for a busy pool, concurrency.
mod support;

use std::time::Instant;

use sauce_connect::host::{block_on, StdClock, StdConnector};
use sauce_connect::Clock;
use sauce_mysql::{params, Cause, ErrorKind, Options, Pool, PoolOptions};

type TestPool = Pool<StdConnector, StdClock, support::TestRandom>;

fn pool(server: &support::mariadb::Server, settings: PoolOptions) -> TestPool {
    let options = Options::from_url(&server.url("native", "native-secret")).unwrap();
    Pool::new(
        StdConnector::default(),
        StdClock::default(),
        support::TestRandom::default(),
        options,
        settings,
    )
}

#[test]
fn a_query_past_its_timeout_fails_and_its_connection_is_discarded() {
    let Some(server) = support::mariadb::shared() else {
        return;
    };
    let pool = pool(
        &server,
        PoolOptions {
            size: 2,
            query_timeout_ms: 200,
            ..PoolOptions::DEFAULT
        },
    );
    block_on(async {
        pool.query("SELECT 1").await.unwrap();
        assert_eq!(pool.status().open, 1);
        let started = Instant::now();
        let error = pool.query("SELECT SLEEP(5)").await.unwrap_err();
        let elapsed = started.elapsed();
        assert_eq!(error.kind(), ErrorKind::Timeout);
        assert_eq!(error.cause(), &Cause::TimedOut(200));
        assert!(
            elapsed.as_millis() >= 200 && elapsed.as_millis() < 1500,
            "{elapsed:?}"
        );
        assert_eq!(
            pool.status().open,
            0,
            "the timed-out connection is closed, not reused"
        );
        let after = pool.execute("SELECT ? + 1", params![41]).await.unwrap();
        assert_eq!(after.rows()[0].get::<i64>(0).unwrap(), 42);
    });
}

#[test]
fn a_checkout_waits_for_a_returned_connection_within_its_bound() {
    let Some(server) = support::mariadb::shared() else {
        return;
    };
    let settings = PoolOptions {
        size: 1,
        checkout_timeout_ms: 300,
        max_waiters: 1,
        ..PoolOptions::DEFAULT
    };
    let pool = pool(&server, settings);
    let clock = StdClock::default();
    let held_ms = 150;
    let outcomes = support::join_all(vec![
        Box::pin(async {
            let mut connection = pool.get().await.unwrap();
            connection.ping().await.unwrap();
            clock.sleep_ms(held_ms).await;
            drop(connection);
            0
        }),
        Box::pin(async {
            clock.sleep_ms(50).await;
            let started = clock.now_ms();
            let mut waited = pool.get().await.unwrap();
            waited.ping().await.unwrap();
            clock.now_ms() - started
        }),
    ]);
    let waited_ms = outcomes[1];
    assert!((80..300).contains(&waited_ms), "waited {waited_ms} ms");

    block_on(async {
        let _held = pool.get().await.unwrap();
        let started = clock.now_ms();
        let error = pool.get().await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Unavailable);
        assert_eq!(error.cause(), &Cause::PoolBusy(300));
        assert!(clock.now_ms() - started >= 300);
    });

    // A second waiter beyond `max_waiters` is refused at once.
    let outcomes = support::join_all(vec![
        Box::pin(async {
            let held = pool.get().await.unwrap();
            clock.sleep_ms(100).await;
            drop(held);
            None
        }),
        Box::pin(async {
            clock.sleep_ms(10).await;
            pool.get().await.err()
        }),
        Box::pin(async {
            clock.sleep_ms(30).await;
            pool.get().await.err()
        }),
    ]);
    assert_eq!(outcomes[1], None, "the first waiter gets the connection");
    assert_eq!(
        outcomes[2].as_ref().map(|error| error.cause()),
        Some(&Cause::TooManyWaiters)
    );
}

#[test]
fn many_tasks_share_a_small_pool() {
    let Some(server) = support::mariadb::shared() else {
        return;
    };
    let pool = pool(
        &server,
        PoolOptions {
            size: 3,
            ..PoolOptions::DEFAULT
        },
    );
    let tasks = (0..20i64)
        .map(|task| {
            let pool = &pool;
            Box::pin(async move {
                let mut sum = 0;
                for round in 0..5i64 {
                    let result = pool
                        .execute("SELECT ? * 100 + ?", params![task, round])
                        .await
                        .unwrap();
                    sum += result.rows()[0].get::<i64>(0).unwrap();
                    assert!(pool.status().open <= 3);
                }
                sum
            }) as std::pin::Pin<Box<dyn std::future::Future<Output = i64>>>
        })
        .collect();
    let sums = support::join_all(tasks);
    for (task, sum) in sums.into_iter().enumerate() {
        assert_eq!(sum, task as i64 * 500 + 10);
    }
    assert_eq!(pool.status().open, 3);
    assert_eq!(pool.status().waiting, 0);
}
