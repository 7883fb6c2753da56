//! Round trips per second against the local server (run with `-- --ignored benchmark`).
use std::time::Instant;

use sauce_postgres::PoolOptions;

use super::{client, pool};
use crate::support::harness::Case;
use crate::support::spin_on;
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
    spin_on(async {
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
    let pool = pool(
        crate::support::configuration(&context.server),
        PoolOptions::DEFAULT,
    );
    let started = Instant::now();
    spin_on(async {
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
    pgbench(context, ROUND_TRIPS);
}

/// The same statement from libpq (`pgbench -M extended`: Parse/Bind/Describe/Execute/Sync per
/// transaction, like this client), one connection, same server, same run.
fn pgbench(context: &Context, transactions: u32) {
    let script = std::env::temp_dir().join(format!("sauce-pgbench-{}.sql", std::process::id()));
    std::fs::write(&script, "\\set n random(1, 1000000)\nSELECT :n::int4;\n").unwrap();
    let output = std::process::Command::new(context.server.binary("pgbench"))
        .args([
            "-h",
            "127.0.0.1",
            "-p",
            &context.server.port().to_string(),
            "-U",
            "postgres",
        ])
        .args([
            "-n",
            "-c",
            "1",
            "-M",
            "extended",
            "-t",
            &transactions.to_string(),
            "-f",
        ])
        .arg(&script)
        .arg("postgres")
        .output();
    let _ = std::fs::remove_file(&script);
    match output {
        Ok(output) => {
            let text = String::from_utf8_lossy(&output.stdout);
            let tps = text
                .lines()
                .find(|line| line.starts_with("tps"))
                .unwrap_or("no tps line");
            println!("    pgbench -M extended -c 1 (libpq, same server, same run): {tps}");
        }
        Err(error) => println!("    pgbench not run: {error}"),
    }
}
