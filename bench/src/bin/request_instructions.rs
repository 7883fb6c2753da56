//! Request-cost benchmark: guest instructions executed per HTTP request on one kept-alive
//! connection, under TCG on microvm: examples/hello-http's static `GET /`, and
//! examples/todo-api's `GET /todos/1` answered by a handler (issue 12: at most 1.5× the static
//! route), measured in the same invocation.
//!
//! Throughput here is shared by wrk, QEMU's threads and the host kernel on two cores, and drifts
//! by ±15 % from run to run (record 0011); the guest's own work per request does not. This
//! counts it: after the first 200 and `WARM_UP` requests, the QEMU monitor switches the log to
//! `in_asm,exec,nochain` (every block translated, with its instructions, and every block run,
//! unchained so that each run is logged), `REQUESTS` requests go by one after another, and the
//! log is switched off. Executed instructions = Σ over logged block runs of the block's
//! instruction count, for blocks of the image (at and above 1 MiB).
//!
//! A third case, examples/notes-postgres `GET /notes/1` against a Postgres the benchmark starts
//! (tests/database-servers), is the deterministic proxy of issue 14's throughput ratio (D1): the
//! guest's instructions for a request that makes one database round trip.
//!
//! `cargo run --release -p sauce-bench --bin request_instructions -- [--runs 3]`

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::os::unix::net::UnixStream;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use sauce_bench::probe::{first_ok, free_port};
use sauce_bench::process::OwnedChild;
use sauce_bench::qemu_log::{build_example, instruction_address, runs_argument, IMAGE};
use sauce_bench::{print_header, print_row, summarise};
use sauce_runner::{Accelerator, PortForward, QemuConfig};

const WARM_UP: usize = 20;
const REQUESTS: usize = 100;

/// Instructions of each translated block, by start address, and the blocks run, from a log of
/// `in_asm,exec,nochain`: `IN:` then `0xADDRESS:  …` lines for a translation; `Trace N: HOST
/// [CS_BASE/PC/FLAGS/…]` for each run.
#[cfg(test)]
fn executed_instructions(log: &str) -> u64 {
    executed_instructions_of(log, None)
}

/// [`executed_instructions`]; with `profile`, also writes each block's share there
/// (`ADDRESS INSTRUCTIONS RUNS` lines, largest first, for attributing them to functions with `nm`).
fn executed_instructions_of(log: &str, profile: Option<&Path>) -> u64 {
    let mut sizes: HashMap<u64, u64> = HashMap::new();
    let mut runs: HashMap<u64, u64> = HashMap::new();
    let mut block: Option<u64> = None;
    let mut block_starts = false;
    for line in log.lines() {
        if line.starts_with("IN:") {
            block_starts = true;
        } else if let Some(address) = instruction_address(line) {
            if block_starts {
                // A block may be translated again (switching the log on flushes the cache): its
                // latest translation counts.
                block = Some(address);
                sizes.insert(address, 0);
                block_starts = false;
            }
            if let Some(start) = block {
                *sizes.entry(start).or_default() += 1;
            }
        } else if line.starts_with("Trace ") {
            let program_counter = line
                .split('[')
                .nth(1)
                .and_then(|fields| fields.split('/').nth(1))
                .and_then(|hex| u64::from_str_radix(hex, 16).ok());
            if let Some(program_counter) = program_counter {
                *runs.entry(program_counter).or_default() += 1;
            }
        }
    }
    if let Some(path) = profile {
        // Instructions executed per block, for attributing them to functions (`nm`).
        let mut blocks: Vec<(u64, u64, u64)> = runs
            .iter()
            .filter(|(start, _)| IMAGE.contains(*start))
            .map(|(start, count)| {
                let size = sizes.get(start).copied().unwrap_or(1);
                (*start, count * size, *count)
            })
            .collect();
        blocks.sort_by_key(|(_, instructions, _)| std::cmp::Reverse(*instructions));
        let text: String = blocks
            .iter()
            .map(|(start, instructions, count)| format!("{start:#x} {instructions} {count}\n"))
            .collect();
        let _ = std::fs::write(path, text);
    }
    runs.iter()
        .filter(|(start, _)| IMAGE.contains(*start))
        .map(|(start, count)| count * sizes.get(start).copied().unwrap_or(1))
        .sum()
}

/// Sends one HMP command to the monitor socket and waits for its prompt to come back.
fn monitor(socket: &Path, command: &str) {
    let mut stream = UnixStream::connect(socket).expect("the QEMU monitor socket");
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let mut reply = Vec::new();
    let mut chunk = [0u8; 4096];
    let mut read_prompt = |stream: &mut UnixStream, reply: &mut Vec<u8>| {
        while !reply.ends_with(b"(qemu) ") {
            let count = stream.read(&mut chunk).expect("the monitor answers");
            assert!(count > 0, "the monitor closed");
            reply.extend_from_slice(&chunk[..count]);
        }
    };
    read_prompt(&mut stream, &mut reply);
    reply.clear();
    stream.write_all(format!("{command}\n").as_bytes()).unwrap();
    read_prompt(&mut stream, &mut reply);
}

/// What one case sends: a request made once first (if any), then the measured request, and
/// how the measured response's body ends; `postgres`: the example reads `DATABASE_URL`, and
/// the benchmark starts a Postgres of its own for it.
struct Case {
    example: &'static str,
    label: &'static str,
    setup: Option<&'static [u8]>,
    request: &'static [u8],
    body_end: &'static [u8],
    postgres: bool,
}

const CASES: [Case; 3] = [
    Case {
        example: "hello-http",
        label: "hello-http `GET /` (static)",
        setup: None,
        request: b"GET / HTTP/1.1\r\nHost: bench\r\n\r\n",
        body_end: b"Hello from SauceOS\n",
        postgres: false,
    },
    Case {
        example: "todo-api",
        label: "todo-api `GET /todos/1` (handler)",
        setup: Some(b"POST /todos HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\nContent-Length: 17\r\n\r\n{\"title\":\"bench\"}"),
        request: b"GET /todos/1 HTTP/1.1\r\nHost: bench\r\n\r\n",
        body_end: b"\"done\":false}",
        postgres: false,
    },
    // Issue 14's D1 proxy: each request is a round trip to Postgres (the guest's side of it:
    // the client's protocol work, the outbound socket, the pool; not the server's work).
    Case {
        example: "notes-postgres",
        label: "notes-postgres `GET /notes/1` (one Postgres query)",
        setup: Some(b"POST /notes HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\nContent-Length: 17\r\n\r\n{\"title\":\"bench\"}"),
        request: b"GET /notes/1 HTTP/1.1\r\nHost: bench\r\n\r\n",
        body_end: b"\"done\":false}",
        postgres: true,
    },
];

/// `request` on the kept-alive `stream`, read to the end of a body ending in `body`.
fn request(stream: &mut TcpStream, request: &[u8], body: &[u8]) {
    stream.write_all(request).unwrap();
    let mut response = Vec::new();
    let mut chunk = [0u8; 4096];
    while !response.ends_with(body) {
        let count = stream.read(&mut chunk).expect("the guest answers");
        assert!(count > 0, "the guest closed the connection");
        response.extend_from_slice(&chunk[..count]);
    }
}

/// Guest instructions per request of `case` in one boot of `image`, with `append` on the
/// kernel command line (empty: the default).
fn per_request(case: &Case, image: &Path, folder: &Path, append: &str) -> f64 {
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
        .args(["-d", "in_asm", "-D"])
        .arg(&log);
    command
        .arg("-monitor")
        .arg(format!("unix:{},server,nowait", socket.display()));
    command
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let qemu = OwnedChild::spawn(command, "QEMU").unwrap_or_else(|error| panic!("{error}"));
    if case.setup.is_none() {
        let answered = first_ok(
            port,
            Instant::now() + Duration::from_secs(30),
            Duration::from_secs(2),
            &AtomicBool::new(false),
        );
        assert!(
            answered.is_some(),
            "{} did not answer 200 within 30 s",
            case.example
        );
    }
    let mut stream = connected(port);
    if let Some(setup) = case.setup {
        request(&mut stream, setup, case.body_end);
    }
    for _ in 0..WARM_UP {
        request(&mut stream, case.request, case.body_end);
    }
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
    executed_instructions_of(&text, profile.as_deref()) as f64 / REQUESTS as f64
}

/// A connection to the guest once it accepts one (QEMU's forward may refuse while booting).
fn connected(port: u16) -> TcpStream {
    let give_up = Instant::now() + Duration::from_secs(30);
    loop {
        if let Ok(stream) = TcpStream::connect(("127.0.0.1", port)) {
            stream
                .set_read_timeout(Some(Duration::from_secs(30)))
                .unwrap();
            return stream;
        }
        assert!(
            Instant::now() < give_up,
            "the guest accepted no connection within 30 s"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn main() {
    let runs = runs_argument(3);
    let folder = std::env::temp_dir().join(format!("sauce-bench-request-{}", std::process::id()));
    std::fs::create_dir_all(&folder).unwrap();
    println!("# Request-cost benchmark: TCG, microvm, {runs} boots per case");
    println!("guest instructions executed per request on one kept-alive connection ({REQUESTS} requests after {WARM_UP}; record 0011)\n");
    print_header();
    let mut medians = Vec::new();
    for case in &CASES {
        // The server lives as long as the case's boots.
        let (_server, append) = if case.postgres {
            match sauce_database_servers::PostgresServer::start() {
                Ok(server) => {
                    let append = database_append(server.port());
                    (Some(server), append)
                }
                Err(missing) => {
                    println!("| {}: skipped, {missing} | | | | |", case.label);
                    continue;
                }
            }
        } else {
            (None, String::new())
        };
        let image = build_example(&folder, case.example);
        let counts: Vec<f64> = (0..runs)
            .map(|_| per_request(case, &image, &folder, &append))
            .collect();
        let summary = summarise(&counts);
        medians.push(summary.map_or(0.0, |summary| summary.median));
        print_row(
            &format!("{}: instructions per request", case.label),
            summary,
            "",
        );
    }
    if let [static_route, handler, ..] = medians[..] {
        let ratio = handler / static_route;
        print_row("handler / static route", summarise(&[ratio]), "×");
    }
    let _ = std::fs::remove_dir_all(&folder);
}

/// The kernel command line giving notes-postgres its database (the SCRAM account of the
/// server on the host's `port`, which the guest reaches at 10.0.2.2), as `sauce run --env`
/// writes it.
fn database_append(port: u16) -> String {
    use sauce_database_servers::postgres::{DATABASE, SCRAM_PASSWORD, SCRAM_USER};
    use sauce_database_servers::process::percent_encode;
    let url = format!(
        "postgres://{SCRAM_USER}:{}@10.0.2.2:{port}/{DATABASE}",
        percent_encode(SCRAM_PASSWORD)
    );
    format!("sauce sauce.env.DATABASE_URL={}", percent_encode(&url))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_each_run_block_by_its_instructions_and_leaves_out_the_firmware() {
        let log = "IN: \n0x00100000:  movl %ebx, %esi\n0x00100002:  jmp 0x100010\n\n\
                   IN: \n0x000f0000:  hlt\n\n\
                   Trace 0: 0x7f00 [0000000000000000/0000000000100000/0000c2b0/ff000200] \n\
                   Trace 0: 0x7f00 [0000000000000000/0000000000100000/0000c2b0/ff000200] \n\
                   Trace 0: 0x7f40 [0000000000000000/00000000000f0000/0000c2b0/ff000200] \n";
        assert_eq!(executed_instructions(log), 4);
        let translated_again =
            format!("{log}IN: \n0x00100000:  movl %ebx, %esi\n0x00100002:  jmp 0x100010\n\n");
        assert_eq!(
            executed_instructions(&translated_again),
            4,
            "a block translated twice counts once"
        );
    }
}
