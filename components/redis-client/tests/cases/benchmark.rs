//! Round trips per second against the local server, beside `redis-benchmark` in the same run
//! (run with `-- --ignored benchmark`, in release mode).
use std::process::Command;
use std::time::Instant;

use sauce_redis::{Pipeline, PoolOptions};

use super::{client_with, pool};
use crate::support::harness::Case;
use crate::support::server::DEFAULT_PASSWORD;
use crate::support::spin_on;
use crate::Context;

pub fn cases() -> Vec<Case<Context>> {
    vec![Case {
        name: "benchmark_round_trips_per_second",
        ignored: true,
        run: benchmark,
    }]
}

const REQUESTS: u32 = 50_000;

fn benchmark(context: &Context) {
    let mut client = client_with(&crate::support::configuration(&context.server));
    spin_on(client.set(b"key:__rand_int__", b"xxx")).unwrap();
    let started = Instant::now();
    spin_on(async {
        for _ in 0..REQUESTS {
            client.get(b"key:__rand_int__").await.unwrap();
        }
    });
    report("client GET, one connection, sequential", started);

    let pool = pool(
        crate::support::configuration(&context.server),
        PoolOptions::DEFAULT,
    );
    let started = Instant::now();
    spin_on(async {
        for _ in 0..REQUESTS {
            pool.command(&[b"GET", b"key:__rand_int__"]).await.unwrap();
        }
    });
    report("pool GET (checkout + command + return)", started);

    let mut pipeline = Pipeline::new();
    for _ in 0..100 {
        pipeline.command(&[b"GET", b"key:__rand_int__"]);
    }
    let started = Instant::now();
    spin_on(async {
        for _ in 0..REQUESTS / 100 {
            client.pipeline(&pipeline).await.unwrap();
        }
    });
    report("client GET, pipelines of 100", started);

    let output = Command::new("redis-benchmark")
        .args([
            "-h",
            "127.0.0.1",
            "-p",
            &context.server.port().to_string(),
            "-a",
            DEFAULT_PASSWORD,
        ])
        .args([
            "-t",
            "get",
            "-c",
            "1",
            "-n",
            &REQUESTS.to_string(),
            "-q",
            "--csv",
        ])
        .output();
    match output {
        Ok(output) => println!(
            "    redis-benchmark -t get -c 1 -n {REQUESTS} (same server, same run): {}",
            String::from_utf8_lossy(&output.stdout)
                .lines()
                .last()
                .unwrap_or_default()
        ),
        Err(error) => println!("    redis-benchmark not run: {error}"),
    }
}

/// Prints requests per second since `started`.
fn report(what: &str, started: Instant) {
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "    {what}: {REQUESTS} in {seconds:.2} s = {:.0}/s",
        f64::from(REQUESTS) / seconds
    );
}
