//! Faults with a real MariaDB of their own: the server killed mid-query and restarted, and the
//! server down when the pool is first used.
mod support;

use std::cell::RefCell;
use std::time::{Duration, Instant};

use sauce_connect::host::{block_on, StdClock, StdConnector};
use sauce_connect::Clock;
use sauce_mysql::{Cause, ErrorKind, Options, Pool, PoolOptions};

fn pool_for(
    server: &support::mariadb::Server,
) -> Pool<StdConnector, StdClock, support::TestRandom> {
    let options = Options::from_url(&server.url("native", "native-secret")).unwrap();
    let settings = PoolOptions {
        size: 2,
        query_timeout_ms: 15_000,
        connect_timeout_ms: 2_000,
        backoff_initial_ms: 50,
        backoff_max_ms: 400,
        ..PoolOptions::DEFAULT
    };
    Pool::new(
        StdConnector::default(),
        StdClock::default(),
        support::TestRandom::default(),
        options,
        settings,
    )
}

/// Queries until one succeeds; returns how long that took and how many attempts failed
/// (each must be `Unavailable`).
fn wait_for_recovery(
    pool: &Pool<StdConnector, StdClock, support::TestRandom>,
) -> (Duration, usize) {
    let started = Instant::now();
    let mut failures = 0;
    loop {
        match block_on(pool.query("SELECT 1")) {
            Ok(_) => return (started.elapsed(), failures),
            Err(error) => {
                assert_eq!(error.kind(), ErrorKind::Unavailable, "{error}");
                failures += 1;
                assert!(
                    started.elapsed() < Duration::from_secs(30),
                    "no recovery: {error}"
                );
                std::thread::sleep(Duration::from_millis(20));
            }
        }
    }
}

#[test]
fn the_server_killed_mid_query_fails_it_and_the_pool_reconnects_after_a_restart() {
    let Some(server) = support::mariadb::start() else {
        return;
    };
    let server = RefCell::new(server);
    let pool = pool_for(&server.borrow());
    let clock = StdClock::default();
    // Two connections open, one idle when the server dies.
    let warm = support::join_all(vec![
        Box::pin(async { pool.query("SELECT SLEEP(0.1)").await.is_ok() }),
        Box::pin(async { pool.query("SELECT SLEEP(0.1)").await.is_ok() }),
    ]);
    assert_eq!(warm, [true, true]);
    assert_eq!(pool.status().idle, 2);

    let outcomes = support::join_all(vec![
        Box::pin(async {
            let started = clock.now_ms();
            let error = pool.query("SELECT SLEEP(10)").await.unwrap_err();
            Some((error, clock.now_ms() - started))
        }),
        Box::pin(async {
            clock.sleep_ms(300).await;
            server.borrow_mut().kill();
            None
        }),
    ]);
    let (error, elapsed_ms) = outcomes.into_iter().flatten().next().unwrap();
    assert_eq!(error.kind(), ErrorKind::Unavailable, "{error}");
    assert!(
        matches!(error.cause(), Cause::Closed | Cause::Io(_)),
        "{error}"
    );
    assert!(elapsed_ms < 5_000, "the failure took {elapsed_ms} ms");
    assert_eq!(
        pool.status().open,
        0,
        "the broken connection and its idle sibling are closed"
    );

    let down = block_on(pool.query("SELECT 1")).unwrap_err();
    assert_eq!(down.kind(), ErrorKind::Unavailable, "{down}");
    let again = block_on(pool.query("SELECT 1")).unwrap_err();
    assert!(again.retry_after_ms().is_some(), "backing off: {again}");

    server.borrow_mut().launch();
    let (took, failures) = wait_for_recovery(&pool);
    eprintln!("recovered {took:?} after the restart ({failures} attempts failed meanwhile)");
    assert!(took < Duration::from_secs(5), "recovery took {took:?}");
    assert_eq!(pool.status().failures, 0);
}

#[test]
fn a_database_down_at_first_use_is_unavailable_until_it_comes_up() {
    let Some(mut server) = support::mariadb::start() else {
        return;
    };
    server.kill();
    let pool = pool_for(&server);
    let first = block_on(pool.query("SELECT 1")).unwrap_err();
    assert_eq!(first.kind(), ErrorKind::Unavailable);
    assert!(matches!(first.cause(), Cause::Connect(_)), "{first}");
    let second = block_on(pool.query("SELECT 1")).unwrap_err();
    assert_eq!(second.kind(), ErrorKind::Unavailable);
    let retry_after = second.retry_after_ms().expect("a Retry-After hint");
    assert!(retry_after <= 50, "{retry_after}");
    assert!(second.to_string().contains("could not connect"), "{second}");

    std::thread::sleep(Duration::from_millis(500));
    server.launch();
    let (took, _) = wait_for_recovery(&pool);
    assert!(took < Duration::from_secs(5), "recovery took {took:?}");
    let result = block_on(pool.query("SELECT CURRENT_USER()")).unwrap();
    assert_eq!(result.rows()[0].get::<String>(0).unwrap(), "native@%");
}
