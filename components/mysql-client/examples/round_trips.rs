//! Benchmark: simple-query round trips per second on one connection against a local server,
//! beside `mariadb-slap` (the C client) doing the same in the same run.
//!
//! `cargo run --release --example round_trips` starts a private MariaDB (as the tests do);
//! `MYSQL_URL=mysql://user:password@host:port/db` measures an existing server instead.
//! `ROUND_TRIPS_SECONDS` sets how long each measurement runs (default 3).
//!
//! The stream here is a *blocking* `std::net::TcpStream`, so every future completes on its
//! first poll and the figures measure the client and the server, not an executor. (The
//! `sauce_connect::host::block_on` of the tests sleeps 1 ms whenever a read would block, which
//! caps any client driven by it near 1,000 round trips per second.)

use std::future::Future;
use std::io::{self, Read as _, Write as _};
use std::net::TcpStream;
use std::process::Command;
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

use sauce_mysql::{params, Connection, Options, Random};

/// A blocking TCP stream: reads wait in the kernel, so no future is ever pending.
struct BlockingStream(TcpStream);

impl sauce_connect::ErrorType for BlockingStream {
    type Error = io::Error;
}

impl sauce_connect::Read for BlockingStream {
    async fn read(&mut self, buffer: &mut [u8]) -> io::Result<usize> {
        self.0.read(buffer)
    }
}

impl sauce_connect::Write for BlockingStream {
    async fn write(&mut self, buffer: &[u8]) -> io::Result<usize> {
        self.0.write(buffer)
    }

    async fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

/// Never used for RSA here (`mysql_native_password`); required by the signature.
struct NoEntropy;

impl Random for NoEntropy {
    fn fill_bytes(&mut self, bytes: &mut [u8]) {
        bytes.fill(0);
    }
}

fn ready<F: Future>(future: F) -> F::Output {
    let mut future = std::pin::pin!(future);
    match future
        .as_mut()
        .poll(&mut Context::from_waker(Waker::noop()))
    {
        Poll::Ready(output) => output,
        Poll::Pending => unreachable!("blocking streams never leave a future pending"),
    }
}

/// Runs `operation` for `duration`; returns (round trips, seconds).
fn measure(duration: Duration, mut operation: impl FnMut()) -> (u64, f64) {
    for _ in 0..200 {
        operation();
    }
    let started = Instant::now();
    let mut count = 0u64;
    while started.elapsed() < duration {
        for _ in 0..100 {
            operation();
        }
        count += 100;
    }
    (count, started.elapsed().as_secs_f64())
}

fn row(name: &str, (count, seconds): (u64, f64)) {
    let rate = count as f64 / seconds;
    println!(
        "| {name:<44} | {count:>9} | {seconds:>6.2} | {rate:>9.0} | {:>7.1} |",
        1e6 / rate
    );
}

/// `mariadb-slap` running `SELECT 1` `count` times on one connection: its own timing.
fn slap(options: &Options, count: u64) -> Option<f64> {
    let output = Command::new("mariadb-slap")
        .arg(format!("--host={}", options.host))
        .arg(format!("--port={}", options.port))
        .arg(format!("--user={}", options.user))
        .arg(format!("--password={}", options.password))
        .arg("--protocol=tcp")
        .arg(format!(
            "--create-schema={}",
            options.database.as_deref().unwrap_or("sauce")
        ))
        .arg("--query=SELECT 1")
        .arg(format!("--number-of-queries={count}"))
        .args(["--concurrency=1", "--iterations=1"])
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&output.stdout);
    let line = text
        .lines()
        .find(|line| line.contains("Average number of seconds"))?;
    line.split_whitespace()
        .find_map(|word| word.parse::<f64>().ok())
}

fn main() {
    let seconds = std::env::var("ROUND_TRIPS_SECONDS")
        .ok()
        .and_then(|text| text.parse().ok())
        .unwrap_or(3);
    let duration = Duration::from_secs(seconds);
    let server;
    let options = match std::env::var("MYSQL_URL") {
        Ok(url) => Options::from_url(&url).expect("MYSQL_URL"),
        Err(_) => {
            server = sauce_database_servers::MariadbServer::start()
                .expect("mariadbd is needed (or set MYSQL_URL)");
            Options::from_url(&server.url("native", "native-secret")).unwrap()
        }
    };
    let stream = TcpStream::connect((options.host.as_str(), options.port)).expect("connect");
    stream.set_nodelay(true).unwrap();
    let mut connection: Connection<BlockingStream> = ready(Connection::connect(
        BlockingStream(stream),
        &options,
        &mut NoEntropy,
    ))
    .expect("authenticate");
    println!(
        "server {}, one connection over loopback TCP, {seconds} s each\n",
        connection.server_version()
    );
    println!("| operation                                    | round trips | seconds | per second | µs each |");
    println!("|---|---:|---:|---:|---:|");
    let text = measure(duration, || {
        let result = ready(connection.query("SELECT 1")).unwrap();
        assert_eq!(result.rows()[0].get::<i64>(0).unwrap(), 1);
    });
    row("sauce-mysql text `SELECT 1` (COM_QUERY)", text);
    let prepared = measure(duration, || {
        let result = ready(connection.execute("SELECT ?", params![1])).unwrap();
        assert_eq!(result.len(), 1);
    });
    row("sauce-mysql prepared `SELECT ?` (cached)", prepared);
    let ping = measure(duration, || ready(connection.ping()).unwrap());
    row("sauce-mysql COM_PING", ping);
    let count = (text.0 as f64 / text.1 * seconds as f64) as u64;
    match slap(&options, count.max(1000)) {
        Some(elapsed) => row(
            "mariadb-slap `SELECT 1` (libmariadb, baseline)",
            (count.max(1000), elapsed),
        ),
        None => println!("| mariadb-slap baseline: not available |"),
    }
}
