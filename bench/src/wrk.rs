//! Running `wrk` and reading its report: requests per second, the 99th-percentile latency
//! (`--latency`), and every error it counted.

use std::process::Command;
use std::time::Duration;

/// One `wrk` run's figures.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct WrkReport {
    /// `Requests/sec:`.
    pub requests_per_second: f64,
    /// The `99%` row of the latency distribution, in milliseconds.
    pub p99_milliseconds: f64,
    /// Socket errors (connect, read, write, timeout) plus non-2xx/3xx responses.
    pub errors: u64,
    /// Requests completed in the run.
    pub requests: u64,
}

/// How to load the server.
#[derive(Clone, Debug)]
pub struct Load {
    /// Client threads (`-t`).
    pub threads: u32,
    /// Connections kept open (`-c`).
    pub connections: u32,
    /// How long to run (`-d`, whole seconds).
    pub duration: Duration,
}

impl Load {
    /// The arguments after `wrk` for loading `url`.
    pub fn arguments(&self, url: &str) -> Vec<String> {
        vec![
            format!("-t{}", self.threads),
            format!("-c{}", self.connections),
            format!("-d{}s", self.duration.as_secs().max(1)),
            "--latency".to_owned(),
            url.to_owned(),
        ]
    }
}

/// Runs `command` (a `wrk` invocation, possibly wrapped in `ip netns exec`) and reads its report.
pub fn run(mut command: Command) -> Result<WrkReport, String> {
    let output = command.output().map_err(|error| {
        format!("cannot start wrk: {error} (install it with `apt-get install wrk`)")
    })?;
    let text = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        let errors = String::from_utf8_lossy(&output.stderr);
        return Err(format!("wrk failed ({}): {text}{errors}", output.status));
    }
    parse(&text)
}

/// A duration as wrk prints it (`812.00us`, `3.84ms`, `1.02s`, `1.50m`), in milliseconds.
fn milliseconds(text: &str) -> Option<f64> {
    let split = text.find(|character: char| character.is_ascii_alphabetic())?;
    let (number, unit) = text.split_at(split);
    let number: f64 = number.parse().ok()?;
    let scale = match unit {
        "us" => 0.001,
        "ms" => 1.0,
        "s" => 1000.0,
        "m" => 60_000.0,
        "h" => 3_600_000.0,
        _ => return None,
    };
    Some(number * scale)
}

/// Reads a `wrk --latency` report.
pub fn parse(report: &str) -> Result<WrkReport, String> {
    let mut requests_per_second = None;
    let mut p99_milliseconds = None;
    let mut errors = 0;
    let mut requests = None;
    for line in report.lines().map(str::trim) {
        if let Some(value) = line.strip_prefix("Requests/sec:") {
            requests_per_second = value.trim().parse::<f64>().ok();
        } else if let Some(value) = line.strip_prefix("99%") {
            p99_milliseconds = milliseconds(value.trim());
        } else if let Some(counts) = line.strip_prefix("Socket errors:") {
            // "connect 0, read 0, write 0, timeout 12"
            for part in counts.split(',') {
                let count = part
                    .split_whitespace()
                    .nth(1)
                    .and_then(|count| count.parse::<u64>().ok());
                errors += count.ok_or_else(|| format!("unreadable wrk line {line:?}"))?;
            }
        } else if let Some(count) = line.strip_prefix("Non-2xx or 3xx responses:") {
            errors += count
                .trim()
                .parse::<u64>()
                .map_err(|_| format!("unreadable wrk line {line:?}"))?;
        } else if let Some((count, _)) = line.split_once(" requests in ") {
            requests = count.trim().parse::<u64>().ok();
        }
    }
    match (requests_per_second, p99_milliseconds, requests) {
        (Some(requests_per_second), Some(p99_milliseconds), Some(requests)) => Ok(WrkReport {
            requests_per_second,
            p99_milliseconds,
            errors,
            requests,
        }),
        _ => Err(format!(
            "wrk printed no Requests/sec, 99% or request count (was --latency given?):\n{report}"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CLEAN: &str = "Running 5s test @ http://172.16.0.2/
  2 threads and 32 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     1.94ms  621.49us  10.14ms   75.10%
    Req/Sec     8.28k     1.70k   14.40k    79.00%
  Latency Distribution
     50%    2.00ms
     75%    2.27ms
     90%    2.48ms
     99%    3.84ms
  82389 requests in 5.00s, 9.11MB read
Requests/sec:  16469.30
Transfer/sec:      1.82MB
";

    #[test]
    fn reads_a_clean_report() {
        let report = parse(CLEAN).unwrap();
        assert_eq!(
            report,
            WrkReport {
                requests_per_second: 16469.30,
                p99_milliseconds: 3.84,
                errors: 0,
                requests: 82389
            }
        );
    }

    #[test]
    fn counts_socket_errors_and_bad_statuses_and_converts_units() {
        let text = CLEAN
            .replace("99%    3.84ms", "99%  812.00us")
            .replace("Requests/sec:", "  Socket errors: connect 1, read 2, write 3, timeout 4\n  Non-2xx or 3xx responses: 5\nRequests/sec:");
        let report = parse(&text).unwrap();
        assert_eq!(report.errors, 15);
        assert!((report.p99_milliseconds - 0.812).abs() < 1e-9);
        assert_eq!(milliseconds("1.02s"), Some(1020.0));
        assert_eq!(milliseconds("2.00m"), Some(120_000.0));
        assert_eq!(milliseconds("3.0parsecs"), None);
    }

    #[test]
    fn a_report_without_latency_is_an_error_that_says_why() {
        let error = parse(&CLEAN.replace("99%    3.84ms", "")).unwrap_err();
        assert!(error.contains("--latency"), "{error}");
        assert!(parse("").is_err());
        assert!(parse(
            &CLEAN
                .replace("timeout", "x")
                .replace("Requests/sec:", "Socket errors: connect x\nRequests/sec:")
        )
        .is_err());
    }

    #[test]
    fn load_arguments() {
        let load = Load {
            threads: 2,
            connections: 32,
            duration: Duration::from_secs(10),
        };
        assert_eq!(
            load.arguments("http://h/"),
            ["-t2", "-c32", "-d10s", "--latency", "http://h/"]
        );
    }
}
