//! Round trips per second against the local server (run with `-- --ignored benchmark`).
use std::time::Instant;

use sauce_connect::host::block_on;
use sauce_postgres::PoolOptions;

use super::{client, pool};
use crate::support::harness::Case;
use crate::Context;

pub fn cases() -> Vec<Case<Context>> {
    vec![Case {
        name: "benchmark_round_trips_per_second",
        ignored: true,
        run: benchmark,
    }]
}

/// Sequential `SELECT $1::int4` on one client, then through the pool.
fn benchmark(context: &Context) {
    const ROUND_TRIPS: u32 = 20_000;
    let mut client = client(context);
    let started = Instant::now();
    block_on(async {
        for number in 0..ROUND_TRIPS as i32 {
            let row = client
                .query_one("SELECT $1::int4", &[&number])
                .await
                .unwrap();
            assert_eq!(row.get::<i32>(0).unwrap(), number);
        }
    });
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "    client: {ROUND_TRIPS} extended-protocol round trips in {seconds:.2} s = {:.0}/s",
        f64::from(ROUND_TRIPS) / seconds
    );
    let pool = pool(context.server.configuration(), PoolOptions::DEFAULT);
    let started = Instant::now();
    block_on(async {
        for number in 0..ROUND_TRIPS as i32 {
            let row = pool.query_one("SELECT $1::int4", &[&number]).await.unwrap();
            assert_eq!(row.get::<i32>(0).unwrap(), number);
        }
    });
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "    pool: {ROUND_TRIPS} round trips (checkout + query + return) in {seconds:.2} s = {:.0}/s",
        f64::from(ROUND_TRIPS) / seconds
    );
}
