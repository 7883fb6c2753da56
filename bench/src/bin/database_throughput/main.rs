//! Database throughput over a TAP in a namespace the benchmark creates (root), each guest next
//! to a native baseline in the same invocation, runs alternating, a 2 s warm-up of each first:
//! - `GET /notes/{id}` on examples/notes-postgres (`wrk --latency`, 10 s at 32 connections, 2
//!   threads) against a native tokio + tokio-postgres process serving the same route from the
//!   same Postgres (as many connections as the guest's pool);
//! - Redis round trips per second from examples/cache-redis (`GET /hits`: one `INCR` round
//!   trip through the guest's pool per request, measured with the same wrk load) against
//!   `redis-benchmark -t get` run natively on the same server, at wrk's connection count and at
//!   the guest's pool size.
//!
//! Postgres and Redis listen inside the namespace (172.16.0.1), where the guest on the TAP
//! (172.16.0.2), wrk, redis-benchmark and the native process all reach them the same way.
//!
//! `cargo run --release -p sauce-bench --bin database_throughput -- [--runs 3] [--seconds 10]
//!  [--connections 32] [--threads 2] [--machine microvm|q35] [--accel tcg|kvm]
//!  [--parts postgres,redis]`

mod guest;
mod load;
mod measure;
mod native;
mod servers;

use std::process::Command;
use std::time::Duration;

use measure::{build, measure_postgres, measure_redis, Row, GUEST_POOL, REDIS_REQUESTS};
use sauce_bench::wrk::Load;
use sauce_bench::{cleanup, print_header, print_row};
use sauce_runner::{Accelerator, Machine};

/// What the command line asks for.
struct Options {
    runs: usize,
    load: Load,
    machine: Machine,
    accelerator: Accelerator,
    postgres: bool,
    redis: bool,
}

fn value_of(arguments: &[String], flag: &str) -> Option<String> {
    arguments
        .iter()
        .position(|argument| argument == flag)
        .and_then(|index| arguments.get(index + 1))
        .cloned()
}

fn number<T: std::str::FromStr>(arguments: &[String], flag: &str, default: T) -> Result<T, String> {
    value_of(arguments, flag).map_or(Ok(default), |text| {
        text.parse()
            .map_err(|_| format!("{flag} takes a number, not {text:?}"))
    })
}

fn options(arguments: &[String]) -> Result<Options, String> {
    let machine = match value_of(arguments, "--machine").as_deref() {
        None | Some("microvm") => Machine::Microvm,
        Some("q35") => Machine::Q35,
        Some(other) => return Err(format!("--machine takes microvm or q35, not {other:?}")),
    };
    let accelerator = match value_of(arguments, "--accel").as_deref() {
        None | Some("tcg") => Accelerator::Tcg,
        Some("kvm") => Accelerator::Kvm,
        Some(other) => return Err(format!("--accel takes tcg or kvm, not {other:?}")),
    };
    let parts = value_of(arguments, "--parts").unwrap_or_else(|| "postgres,redis".to_owned());
    let named = |part: &str| parts.split(',').any(|name| name == part);
    if parts
        .split(',')
        .any(|name| name != "postgres" && name != "redis")
    {
        return Err(format!(
            "--parts takes postgres, redis or both, not {parts:?}"
        ));
    }
    Ok(Options {
        runs: number(arguments, "--runs", 3)?.max(1),
        load: Load {
            threads: number(arguments, "--threads", 2)?,
            connections: number(arguments, "--connections", 32)?,
            duration: Duration::from_secs(number(arguments, "--seconds", 10)?),
        },
        machine,
        accelerator,
        postgres: named("postgres"),
        redis: named("redis"),
    })
}

fn ratio(rows: &[Row], guest: &str, native: &str) -> Option<f64> {
    let median = |label: &str| {
        rows.iter()
            .find(|row| row.label.starts_with(label))
            .and_then(Row::summary)
            .map(|summary| summary.median)
    };
    median(guest)
        .zip(median(native))
        .map(|(guest, native)| guest / native)
}

fn run_benchmark(options: &Options) -> Result<(), String> {
    Command::new("wrk")
        .arg("--version")
        .output()
        .map_err(|error| format!("cannot run wrk: {error} (install it: `apt-get install wrk`)"))?;
    cleanup::install_signal_handler();
    let folder = std::env::temp_dir().join(format!("sauce-bench-database-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&folder);
    std::fs::create_dir_all(&folder).map_err(|error| error.to_string())?;
    println!(
        "# Database throughput over a TAP in a namespace, {:?} under {:?}",
        options.machine, options.accelerator
    );
    println!(
        "wrk -t{} -c{} -d{}s --latency, {} counted runs per target after a 2 s warm-up; guest and native alternate",
        options.load.threads,
        options.load.connections,
        options.load.duration.as_secs(),
        options.runs
    );
    println!("Postgres and Redis listen on 172.16.0.1 inside the namespace; the guest is 172.16.0.2 on its TAP");
    println!(
        "native GET /notes/{{id}} = tokio (multi-thread) + tokio-postgres, {GUEST_POOL} connections used in turn, the statement prepared once each"
    );
    println!("throughput counts answers with status 200 only (a Lua script counts statuses in both targets' runs)");
    println!(
        "native Redis = redis-benchmark -t get --csv -n {REDIS_REQUESTS}; the guest's pool has {GUEST_POOL} connections\n"
    );
    let mut rows = Vec::new();
    let mut outcome = load::script(&folder).map(|_| ());
    let script = folder.join("statuses.lua");
    if options.postgres && outcome.is_ok() {
        outcome = build(&folder, "notes-postgres")
            .and_then(|image| measure_postgres(options, &image, &script, &mut rows));
    }
    if options.redis && outcome.is_ok() {
        outcome = build(&folder, "cache-redis")
            .and_then(|image| measure_redis(options, &image, &script, &mut rows));
    }
    let _ = std::fs::remove_dir_all(&folder);
    outcome?;
    println!();
    print_header();
    for row in &rows {
        print_row(&row.label, row.summary(), row.unit);
    }
    println!();
    if let Some(ratio) = ratio(&rows, "GET /notes/{id}: guest", "GET /notes/{id}: native") {
        println!("GET /notes/{{id}}: guest/native 200s per second (medians) = {ratio:.2}");
    }
    if let Some(ratio) = ratio(&rows, "Redis: guest", "Redis: redis-benchmark GET, 4") {
        println!(
            "Redis: guest round trips / redis-benchmark at the pool's size (medians) = {ratio:.3}"
        );
    }
    Ok(())
}

fn main() {
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    let outcome = match arguments.first().map(String::as_str) {
        Some("--serve-notes") => native::serve(&arguments[1..]),
        Some("--fetch") => guest::fetch(&arguments[1..]),
        _ => options(&arguments).and_then(|options| run_benchmark(&options)),
    };
    if let Err(error) = outcome {
        eprintln!("error: {error}");
        std::process::exit(1);
    }
}
