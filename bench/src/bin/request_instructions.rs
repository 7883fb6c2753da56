//! Request-cost benchmark: guest instructions executed per HTTP request on one kept-alive
//! connection, under TCG on microvm, each case next to hello-http's static `GET /` measured in
//! the same invocation:
//! - examples/todo-api `GET /todos/1`, answered by a handler (issue 12: at most 1.5× the static
//!   route);
//! - examples/notes-postgres `GET /notes/1` (one query) and examples/cache-redis `GET /hits`
//!   (one `INCR`), each against a real server the benchmark starts on the host
//!   (tests/database-servers), reached by the guest at 10.0.2.2 through QEMU user networking:
//!   the deterministic proxies of issue 14's throughput ratios (D1, D2), which this host's
//!   emulated guest cannot reach. Each request makes one database round trip; the guest's
//!   instructions include the client's protocol work (encoding, parsing, the pool, the outbound
//!   socket), not the server's. A case whose server binary is missing is skipped, saying why.
//!
//! Throughput here is shared by wrk, QEMU's threads and the host kernel on two cores, and drifts
//! by ±15 % from run to run (record 0011); the guest's own work per request does not. This
//! counts it: after a setup request (if any), `WARM_UP` requests and `TIMED` timed ones, the
//! QEMU monitor switches the log to `in_asm,exec,nochain` (every block translated, with its
//! instructions, and every block run, unchained so that each run is logged), `REQUESTS`
//! requests go by one after another, and the log is switched off. Executed instructions = Σ
//! over logged block runs of the block's instruction count, for blocks of the image (at and
//! above 1 MiB).
//!
//! For reference, the rate at which this host's TCG executes guest instructions: hello-http's
//! instructions per request × the `TIMED` requests (run before logging, with every block
//! translated already) ÷ the CPU time QEMU's vCPU thread spent on them (its `schedstat`), and ÷
//! their wall time (which also holds the guest's idle time, waiting for the host's side).
//!
//! `cargo run --release -p sauce-bench --bin request_instructions -- [--runs 3] [--examples hello-http,todo-api]`
//! (`--examples`: only the cases of these examples; the first case, the static route, is the
//! baseline of the ratios and always runs).

use std::any::Any;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use sauce_bench::probe::free_port;
use sauce_bench::process::OwnedChild;
use sauce_bench::qemu_log::{build_example, executed_instructions, monitor, runs_argument};
use sauce_bench::vcpu_time::{vcpu_run_time, NAMED_THREADS};
use sauce_bench::{print_header, print_row, summarise};
use sauce_database_servers::process::percent_encode;
use sauce_database_servers::{postgres, redis, Missing, PostgresServer, RedisServer};
use sauce_runner::{Accelerator, PortForward, QemuConfig};

const WARM_UP: usize = 20;
const TIMED: usize = 500;
const REQUESTS: usize = 100;

/// The database a case's example reads its URL for.
#[derive(Clone, Copy, PartialEq)]
enum Database {
    None,
    Postgres,
    Redis,
}

/// What one case sends: a request made once first (if any), then the measured request, and
/// how the measured response's body ends.
struct Case {
    example: &'static str,
    label: &'static str,
    setup: Option<&'static [u8]>,
    request: &'static [u8],
    body_end: &'static [u8],
    database: Database,
}

const CASES: [Case; 4] = [
    Case {
        example: "hello-http",
        label: "hello-http `GET /` (static)",
        setup: None,
        request: b"GET / HTTP/1.1\r\nHost: bench\r\n\r\n",
        body_end: b"Hello from SauceOS\n",
        database: Database::None,
    },
    Case {
        example: "todo-api",
        label: "todo-api `GET /todos/1` (handler)",
        setup: Some(b"POST /todos HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\nContent-Length: 17\r\n\r\n{\"title\":\"bench\"}"),
        request: b"GET /todos/1 HTTP/1.1\r\nHost: bench\r\n\r\n",
        body_end: b"\"done\":false}",
        database: Database::None,
    },
    Case {
        example: "notes-postgres",
        label: "notes-postgres `GET /notes/1` (Postgres)",
        setup: Some(b"POST /notes HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\nContent-Length: 17\r\n\r\n{\"title\":\"bench\"}"),
        request: b"GET /notes/1 HTTP/1.1\r\nHost: bench\r\n\r\n",
        body_end: b"\"done\":false}",
        database: Database::Postgres,
    },
    Case {
        example: "cache-redis",
        label: "cache-redis `GET /hits` (Redis)",
        setup: None,
        request: b"GET /hits HTTP/1.1\r\nHost: bench\r\n\r\n",
        body_end: b"}",
        database: Database::Redis,
    },
];

/// `request` on the kept-alive `stream`, read to the end of a body ending in `body`; panics
/// unless the status is 2xx (a 503 from a guest that lost its database would count the wrong
/// path).
fn request(stream: &mut TcpStream, request: &[u8], body: &[u8]) {
    stream.write_all(request).unwrap();
    let mut response = Vec::new();
    let mut chunk = [0u8; 4096];
    while !response.ends_with(body) {
        let count = stream.read(&mut chunk).expect("the guest answers");
        assert!(count > 0, "the guest closed the connection");
        response.extend_from_slice(&chunk[..count]);
    }
    assert!(
        response.starts_with(b"HTTP/1.1 2"),
        "the guest answered {}",
        String::from_utf8_lossy(&response)
    );
}

/// One boot of a case: instructions per measured request, and the `TIMED` requests' wall and
/// vCPU times.
struct Measurement {
    instructions: f64,
    wall: Duration,
    vcpu: Option<Duration>,
}

/// Measures `case` in one boot of `image`, with `append` on the kernel command line (empty:
/// the default).
fn measure(case: &Case, image: &Path, folder: &Path, append: &str) -> Measurement {
    let log = folder.join("exec.log");
    let socket = folder.join("monitor.sock");
    let _ = std::fs::remove_file(&log);
    let _ = std::fs::remove_file(&socket);
    let port = free_port();
    let mut config = QemuConfig::new(image);
    config.append = append.to_owned();
    config.port_forwards = vec![PortForward {
        host: port,
        guest: 80,
    }];
    let mut command = Command::new(&config.binary);
    command
        .args(config.arguments(Accelerator::Tcg))
        .args(["-name", NAMED_THREADS, "-d", "in_asm", "-D"])
        .arg(&log)
        .arg("-monitor")
        .arg(format!("unix:{},server,nowait", socket.display()))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let mut qemu = OwnedChild::spawn(command, "QEMU").unwrap_or_else(|error| panic!("{error}"));
    let pid = qemu.child().id();
    let mut stream = answering(port);
    if let Some(setup) = case.setup {
        request(&mut stream, setup, case.body_end);
    }
    for _ in 0..WARM_UP {
        request(&mut stream, case.request, case.body_end);
    }
    let vcpu_before = vcpu_run_time(pid);
    let started = Instant::now();
    for _ in 0..TIMED {
        request(&mut stream, case.request, case.body_end);
    }
    let wall = started.elapsed();
    let vcpu = vcpu_run_time(pid)
        .zip(vcpu_before)
        .map(|(after, before)| after.saturating_sub(before));
    monitor(&socket, "log in_asm,exec,nochain");
    for _ in 0..REQUESTS {
        request(&mut stream, case.request, case.body_end);
    }
    monitor(&socket, "log none");
    drop(qemu);
    let text =
        String::from_utf8_lossy(&std::fs::read(&log).expect("QEMU wrote its log")).into_owned();
    // SAUCE_BENCH_PROFILE=FOLDER (which must exist): each case's blocks in
    // FOLDER/<example>.blocks, as `ADDRESS INSTRUCTIONS RUNS` lines.
    let profile = std::env::var_os("SAUCE_BENCH_PROFILE")
        .map(|folder| Path::new(&folder).join(format!("{}.blocks", case.example)));
    let instructions = executed_instructions(&text, profile.as_deref()) as f64 / REQUESTS as f64;
    Measurement {
        instructions,
        wall,
        vcpu,
    }
}

/// A kept-alive connection to the guest once it answers HTTP (QEMU's forward accepts, then
/// drops, connections while the guest boots): until then, a `GET /` every 50 ms, whatever
/// its status (the database examples have no `/`).
fn answering(port: u16) -> TcpStream {
    let give_up = Instant::now() + Duration::from_secs(30);
    let answers = || {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
        stream.set_read_timeout(Some(Duration::from_secs(2))).ok()?;
        stream
            .write_all(b"GET / HTTP/1.1\r\nConnection: close\r\n\r\n")
            .ok()?;
        let mut version = [0u8; 9];
        stream.read_exact(&mut version).ok()?;
        (&version == b"HTTP/1.1 ").then_some(())
    };
    while answers().is_none() {
        assert!(
            Instant::now() < give_up,
            "the guest answered no HTTP request within 30 s"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let stream = TcpStream::connect(("127.0.0.1", port)).expect("the guest accepts");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    stream
}

/// Starts the case's database server (kept alive as long as the returned value) and the kernel
/// command line that gives the guest its URL, as `sauce run --env` writes it.
fn start_database(database: Database) -> Result<(Option<Box<dyn Any>>, String), Missing> {
    Ok(match database {
        Database::None => (None, String::new()),
        Database::Postgres => {
            let server = PostgresServer::start()?;
            let url = server.url_at(
                "10.0.2.2",
                postgres::SCRAM_USER,
                postgres::SCRAM_PASSWORD,
                postgres::DATABASE,
            );
            (
                Some(Box::new(server)),
                environment_append("DATABASE_URL", &url),
            )
        }
        Database::Redis => {
            let server = RedisServer::start()?;
            let url = server.url_at("10.0.2.2", None, redis::DEFAULT_PASSWORD, "");
            (
                Some(Box::new(server)),
                environment_append("REDIS_URL", &url),
            )
        }
    })
}

/// The kernel command line setting the guest's environment variable `key` to `value`.
fn environment_append(key: &str, value: &str) -> String {
    format!("sauce sauce.env.{key}={}", percent_encode(value))
}

fn main() {
    let runs = runs_argument(3);
    let folder = std::env::temp_dir().join(format!("sauce-bench-request-{}", std::process::id()));
    std::fs::create_dir_all(&folder).unwrap();
    println!("# Request-cost benchmark: TCG, microvm, {runs} boots per case");
    println!("guest instructions executed per request on one kept-alive connection ({REQUESTS} requests after {}; record 0011); database cases make one round trip per request to a server on the host (the guest's side only)\n", WARM_UP + TIMED);
    print_header();
    let mut medians: Vec<(&str, f64)> = Vec::new();
    let mut static_route: Vec<Measurement> = Vec::new();
    let chosen = chosen_examples();
    for (index, case) in CASES.iter().enumerate() {
        if index > 0
            && chosen
                .as_ref()
                .is_some_and(|chosen| !chosen.contains(&case.example))
        {
            continue;
        }
        let (_server, append) = match start_database(case.database) {
            Ok(started) => started,
            Err(missing) => {
                println!("| {}: skipped, {missing} | | | | |", case.label);
                continue;
            }
        };
        let image = build_example(&folder, case.example);
        let measurements: Vec<Measurement> = (0..runs)
            .map(|_| measure(case, &image, &folder, &append))
            .collect();
        let counts: Vec<f64> = measurements.iter().map(|m| m.instructions).collect();
        let summary = summarise(&counts);
        print_row(
            &format!("{}: instructions per request", case.label),
            summary,
            "",
        );
        if let Some(summary) = summary {
            medians.push((case.label, summary.median));
        }
        if case.database == Database::None && case.setup.is_none() {
            static_route = measurements;
        }
    }
    if let Some((_, static_median)) = medians.first().copied() {
        for (label, median) in &medians[1..] {
            let ratio = median / static_median;
            print_row(
                &format!("{label} / static (medians)"),
                summarise(&[ratio]),
                "×",
            );
        }
    }
    print_tcg_rate(&static_route);
    let _ = std::fs::remove_dir_all(&folder);
}

/// The examples named after `--examples` (comma-separated), if given.
fn chosen_examples() -> Option<Vec<&'static str>> {
    let listed = std::env::args()
        .skip_while(|argument| argument != "--examples")
        .nth(1)?;
    Some(
        CASES
            .iter()
            .map(|case| case.example)
            .filter(|example| listed.split(',').any(|name| name == *example))
            .collect(),
    )
}

/// The reference rows: million guest instructions per second of the vCPU thread's CPU time and
/// of wall time, over hello-http's `TIMED` unlogged requests.
fn print_tcg_rate(measurements: &[Measurement]) {
    let executed = |m: &Measurement| m.instructions * TIMED as f64 / 1e6;
    let per_vcpu: Vec<f64> = measurements
        .iter()
        .filter_map(|m| Some(executed(m) / m.vcpu?.as_secs_f64()))
        .collect();
    let per_wall: Vec<f64> = measurements
        .iter()
        .map(|m| executed(m) / m.wall.as_secs_f64())
        .collect();
    print_row(
        "TCG rate, hello-http: per vCPU-thread CPU s",
        summarise(&per_vcpu),
        "M/s",
    );
    print_row(
        "TCG rate, hello-http: per wall s (with idle)",
        summarise(&per_wall),
        "M/s",
    );
}
