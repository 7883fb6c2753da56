//! The two halves of the benchmark: each boots its example on the namespace's TAP next to its
//! server, checks what both targets answer, then alternates the measured runs.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use sauce_bench::namespace::{self, Namespace};
use sauce_bench::process::OwnedChild;
use sauce_bench::wrk::Load;
use sauce_bench::{summarise, Summary};
use sauce_builder::BuildContext;

use crate::guest::Guest;
use crate::load::{self, Measured};
use crate::servers::{Postgres, Redis};
use crate::Options;

/// The native server's address inside the namespace.
const NATIVE_ADDRESS: &str = "172.16.0.1:8080";
/// The pool size of both examples' `[[database]]`.
pub const GUEST_POOL: u32 = 4;
/// The note every request reads.
const NOTE_PATH: &str = "/notes/7";
/// Requests per `redis-benchmark` run.
pub const REDIS_REQUESTS: u32 = 200_000;

/// This program inside the namespace, with `arguments`.
fn myself(namespace: &Namespace, arguments: &[&str]) -> Result<Command, String> {
    let program = std::env::current_exe().map_err(|error| error.to_string())?;
    let mut command = namespace.command(program);
    command.args(arguments);
    Ok(command)
}

/// The body `GET path` answers at `address`, asked from inside the namespace.
fn fetch(namespace: &Namespace, address: &str, path: &str) -> Result<String, String> {
    let output = myself(namespace, &["--fetch", address, path])?
        .output()
        .map_err(|error| error.to_string())?;
    if !output.status.success() {
        return Err(String::from_utf8_lossy(&output.stderr).trim().to_owned());
    }
    Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

/// Starts the native notes server inside the namespace and waits until it listens.
fn start_native(namespace: &Namespace, url: &str) -> Result<OwnedChild, String> {
    let connections = GUEST_POOL.to_string();
    let mut command = myself(
        namespace,
        &["--serve-notes", NATIVE_ADDRESS, url, &connections],
    )?;
    command.stdin(Stdio::null()).stdout(Stdio::piped());
    let mut server = OwnedChild::spawn(command, "the native server")?;
    let stdout = server
        .child()
        .stdout
        .take()
        .ok_or("the native server has no stdout")?;
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .map_err(|error| error.to_string())?;
    if line.trim() != "listening" {
        return Err("the native server did not start (see its error above)".to_owned());
    }
    Ok(server)
}

/// Runs `redis-benchmark -t get` inside the namespace; GET requests per second.
fn redis_benchmark(namespace: &Namespace, redis: &Redis, clients: u32) -> Result<f64, String> {
    let output = namespace
        .command("redis-benchmark")
        .args(redis.benchmark_arguments())
        .args(["-t", "get", "--csv", "-c", &clients.to_string()])
        .args(["-n", &REDIS_REQUESTS.to_string()])
        .output()
        .map_err(|error| {
            format!("cannot run redis-benchmark: {error} (apt-get install redis-tools)")
        })?;
    let text = String::from_utf8_lossy(&output.stdout);
    text.lines()
        .find_map(|line| {
            let mut fields = line.split(',').map(|field| field.trim_matches('"'));
            (fields.next() == Some("GET")).then(|| fields.next()?.parse().ok())?
        })
        .ok_or_else(|| format!("no GET figure in redis-benchmark's output: {text}"))
}

/// One row of the results: what, its samples, the unit.
pub struct Row {
    /// What was measured.
    pub label: String,
    /// One sample per run.
    pub samples: Vec<f64>,
    /// Its unit.
    pub unit: &'static str,
}

impl Row {
    fn new(label: &str, samples: Vec<f64>, unit: &'static str) -> Row {
        Row {
            label: label.to_owned(),
            samples,
            unit,
        }
    }

    /// Median, minimum and maximum of the samples.
    pub fn summary(&self) -> Option<Summary> {
        summarise(&self.samples)
    }
}

/// Answers with status 200 per second, run by run.
fn successes(runs: &[Measured], load: &Load) -> Vec<f64> {
    runs.iter()
        .map(|run| run.successes_per_second(load))
        .collect()
}

/// Answers of any status per second, run by run.
fn answers(runs: &[Measured]) -> Vec<f64> {
    runs.iter()
        .map(|run| run.report.requests_per_second)
        .collect()
}

fn tails(runs: &[Measured]) -> Vec<f64> {
    runs.iter().map(|run| run.report.p99_milliseconds).collect()
}

/// Copies examples/`name` to `folder` and builds its image there.
pub fn build(folder: &Path, name: &str) -> Result<PathBuf, String> {
    let project = folder.join(name);
    let source = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../examples")
        .join(name);
    let status = Command::new("cp")
        .arg("-r")
        .arg(&source)
        .arg(&project)
        .status()
        .map_err(|error| error.to_string())?;
    if !status.success() {
        return Err(format!("cannot copy {}", source.display()));
    }
    let _ = std::fs::remove_dir_all(project.join("target"));
    let intent =
        sauce_intent::load(&project.join("sauce.toml")).map_err(|error| format!("{error:?}"))?;
    let image = folder.join(format!("{name}.elf"));
    BuildContext::from_environment()
        .map_err(|error| error.to_string())?
        .build_app(&intent, &image)
        .map_err(|error| error.to_string())?;
    Ok(image)
}

/// Prints the distinct warnings the guest logged (why it answered 503s), at most five, and
/// its HTTP service's last report line (its 503 counters).
fn print_warnings(guest: &Guest) {
    let mut seen: Vec<String> = Vec::new();
    for line in guest.log().lines() {
        let line = line.trim().to_owned();
        if line.contains("warn") && !seen.contains(&line) && seen.len() < 5 {
            seen.push(line);
        }
    }
    for line in seen {
        println!("guest: {line}");
    }
    if let Some(line) = guest
        .log()
        .lines()
        .rev()
        .find(|line| line.contains("open (peak"))
    {
        println!("guest's last HTTP report: {}", line.trim());
    }
}

/// The notes half: guest and native alternate on `GET NOTE_PATH`.
pub fn measure_postgres(
    options: &Options,
    image: &Path,
    script: &Path,
    rows: &mut Vec<Row>,
) -> Result<(), String> {
    let namespace = Namespace::create("database")?;
    let postgres = Postgres::start(&namespace)?;
    let guest = Guest::start(
        image,
        options.machine,
        options.accelerator,
        &namespace,
        &[("DATABASE_URL", postgres.url())],
    )?;
    let native = start_native(&namespace, &postgres.url())?;
    let guest_address = format!("{}:80", namespace::GUEST_ADDRESS);
    let guest_body = fetch(&namespace, &guest_address, NOTE_PATH)
        .map_err(|error| format!("{error}\nserial:\n{}", guest.log()))?;
    let native_body = fetch(&namespace, NATIVE_ADDRESS, NOTE_PATH)?;
    if guest_body != native_body {
        return Err(format!(
            "the bodies differ: guest {guest_body}, native {native_body}"
        ));
    }
    println!("both answer GET {NOTE_PATH} with {guest_body}");
    let guest_url = format!("http://{guest_address}{NOTE_PATH}");
    let native_url = format!("http://{NATIVE_ADDRESS}{NOTE_PATH}");
    let warm_up = Load {
        duration: Duration::from_secs(2),
        ..options.load.clone()
    };
    load::run(&namespace, &warm_up, &guest_url, script)?;
    load::run(&namespace, &warm_up, &native_url, script)?;
    let (mut guest_reports, mut native_reports) = (Vec::new(), Vec::new());
    for run in 1..=options.runs {
        let guest = load::run(&namespace, &options.load, &guest_url, script)?;
        let native = load::run(&namespace, &options.load, &native_url, script)?;
        eprintln!(
            "postgres run {run}: guest {:.0} answers/s ({}), native {:.0} answers/s ({})",
            guest.report.requests_per_second,
            guest.describe(),
            native.report.requests_per_second,
            native.describe()
        );
        guest_reports.push(guest);
        native_reports.push(native);
    }
    print_warnings(&guest);
    drop((native, guest));
    rows.push(Row::new(
        "GET /notes/{id}: guest 200s/s",
        successes(&guest_reports, &options.load),
        "r/s",
    ));
    rows.push(Row::new(
        "GET /notes/{id}: native 200s/s",
        successes(&native_reports, &options.load),
        "r/s",
    ));
    rows.push(Row::new(
        "GET /notes/{id}: guest answers/s (any status)",
        answers(&guest_reports),
        "r/s",
    ));
    rows.push(Row::new(
        "GET /notes/{id}: guest p99 latency",
        tails(&guest_reports),
        "ms",
    ));
    rows.push(Row::new(
        "GET /notes/{id}: native p99 latency",
        tails(&native_reports),
        "ms",
    ));
    Ok(())
}

/// The Redis half: the guest's `GET /hits` and native `redis-benchmark -t get` alternate.
pub fn measure_redis(
    options: &Options,
    image: &Path,
    script: &Path,
    rows: &mut Vec<Row>,
) -> Result<(), String> {
    let namespace = Namespace::create("redis")?;
    let redis = Redis::start(&namespace)?;
    let guest = Guest::start(
        image,
        options.machine,
        options.accelerator,
        &namespace,
        &[("REDIS_URL", redis.url())],
    )?;
    let guest_address = format!("{}:80", namespace::GUEST_ADDRESS);
    let body = fetch(&namespace, &guest_address, "/hits")
        .map_err(|error| format!("{error}\nserial:\n{}", guest.log()))?;
    println!("the guest answers GET /hits with {body}");
    let guest_url = format!("http://{guest_address}/hits");
    let warm_up = Load {
        duration: Duration::from_secs(2),
        ..options.load.clone()
    };
    load::run(&namespace, &warm_up, &guest_url, script)?;
    redis_benchmark(&namespace, &redis, options.load.connections)?;
    let (mut guest_reports, mut wide, mut narrow) = (Vec::new(), Vec::new(), Vec::new());
    for run in 1..=options.runs {
        let report = load::run(&namespace, &options.load, &guest_url, script)?;
        let at_connections = redis_benchmark(&namespace, &redis, options.load.connections)?;
        let at_pool = redis_benchmark(&namespace, &redis, GUEST_POOL)?;
        eprintln!(
            "redis run {run}: guest {:.0} answers/s ({}), redis-benchmark {at_connections:.0}/s at {} clients, {at_pool:.0}/s at {GUEST_POOL}",
            report.report.requests_per_second,
            report.describe(),
            options.load.connections
        );
        guest_reports.push(report);
        wide.push(at_connections);
        narrow.push(at_pool);
    }
    print_warnings(&guest);
    rows.push(Row::new(
        "Redis: guest GET /hits 200s/s (1 INCR each)",
        successes(&guest_reports, &options.load),
        "r/s",
    ));
    rows.push(Row::new(
        &format!(
            "Redis: redis-benchmark GET, {} clients",
            options.load.connections
        ),
        wide,
        "r/s",
    ));
    rows.push(Row::new(
        &format!("Redis: redis-benchmark GET, {GUEST_POOL} clients"),
        narrow,
        "r/s",
    ));
    rows.push(Row::new(
        "Redis: guest GET /hits p99 latency",
        tails(&guest_reports),
        "ms",
    ));
    Ok(())
}
