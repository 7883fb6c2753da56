//! Shared pieces of the benchmarks.
//!
//! # Map
//! - this file: statistics ([`summarise`]) and table printing;
//! - [`wrk`]: running `wrk --latency` and reading its report;
//! - [`native_server`]: the native HTTP baseline (fixed response, keep-alive, a thread per connection);
//! - [`guest`]: a QEMU guest serving HTTP on user networking or on a TAP device;
//! - [`namespace`]: a network namespace with a TAP device, deleted when dropped;
//! - [`process`]: a child process stopped when dropped;
//! - [`qemu_log`]: reading QEMU's translation log, switching it through the monitor, building an
//!   example, `--runs`;
//! - [`vcpu_time`]: the CPU time QEMU's vCPU threads have run;
//! - [`cleanup`]: what to remove on Ctrl-C, where no destructor runs.
#![forbid(unsafe_code)]

pub mod cleanup;
pub mod guest;
pub mod namespace;
pub mod native_server;
pub mod probe;
pub mod process;
pub mod qemu_log;
pub mod vcpu_time;
pub mod wrk;

use std::time::Duration;

/// Median, minimum and maximum of a set of samples.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Summary {
    /// The middle value (mean of the two middle values for an even count).
    pub median: f64,
    /// The smallest value.
    pub minimum: f64,
    /// The largest value.
    pub maximum: f64,
}

/// Summarises `samples`; `None` when there are none.
pub fn summarise(samples: &[f64]) -> Option<Summary> {
    if samples.is_empty() {
        return None;
    }
    let mut sorted = samples.to_vec();
    sorted.sort_by(f64::total_cmp);
    let middle = sorted.len() / 2;
    let median = if sorted.len().is_multiple_of(2) {
        (sorted[middle - 1] + sorted[middle]) / 2.0
    } else {
        sorted[middle]
    };
    Some(Summary {
        median,
        minimum: sorted[0],
        maximum: sorted[sorted.len() - 1],
    })
}

/// Milliseconds in a duration, as a float.
pub fn milliseconds(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

/// Prints one table row: a label, then median, min and max with `unit`.
pub fn print_row(label: &str, summary: Option<Summary>, unit: &str) {
    match summary {
        Some(summary) => println!(
            "| {label:<44} | {:>9.3} | {:>9.3} | {:>9.3} | {unit:<4} |",
            summary.median, summary.minimum, summary.maximum
        ),
        None => println!(
            "| {label:<44} | {:>9} | {:>9} | {:>9} | {unit:<4} |",
            "-", "-", "-"
        ),
    }
}

/// Prints the header of a results table.
pub fn print_header() {
    println!(
        "| {:<44} | {:>9} | {:>9} | {:>9} | unit |",
        "measurement", "median", "min", "max"
    );
    println!(
        "|{}|{}|{}|{}|------|",
        "-".repeat(46),
        "-".repeat(11),
        "-".repeat(11),
        "-".repeat(11)
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_and_even_counts() {
        assert_eq!(summarise(&[3.0, 1.0, 2.0]).unwrap().median, 2.0);
        assert_eq!(summarise(&[4.0, 1.0, 2.0, 3.0]).unwrap().median, 2.5);
        assert_eq!(summarise(&[]), None);
        let summary = summarise(&[5.0, -1.0, 2.0]).unwrap();
        assert_eq!((summary.minimum, summary.maximum), (-1.0, 5.0));
    }
}
