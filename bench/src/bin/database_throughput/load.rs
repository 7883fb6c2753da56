//! wrk runs that also count the answers by status (a Lua script sums each thread's counts at
//! the end), so a target answering 503s fast is seen as such, not as throughput.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use sauce_bench::namespace::Namespace;
use sauce_bench::wrk::{self, Load, WrkReport};

/// The script: a count per status in each thread, summed and printed as `status N: M` lines.
const SCRIPT: &str = r#"
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(arguments) statuses = {} end
function response(status, headers, body) statuses[status] = (statuses[status] or 0) + 1 end
function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      total[status] = (total[status] or 0) + count
    end
  end
  for status, count in pairs(total) do io.write(string.format("status %d: %d\n", status, count)) end
end
"#;

/// One run: wrk's figures, the answers per status, and wrk's socket error line if any.
pub struct Measured {
    /// What wrk reported.
    pub report: WrkReport,
    /// Answers per HTTP status.
    pub statuses: BTreeMap<u16, u64>,
    /// wrk's `Socket errors:` line, when it printed one.
    pub socket_errors: Option<String>,
}

impl Measured {
    /// Answers with status 200 per second of the run.
    pub fn successes_per_second(&self, load: &Load) -> f64 {
        let successes = self.statuses.get(&200).copied().unwrap_or(0);
        successes as f64 / load.duration.as_secs_f64()
    }

    /// `200: N, 503: M` and the socket errors, for the log.
    pub fn describe(&self) -> String {
        let mut parts: Vec<String> = self
            .statuses
            .iter()
            .map(|(status, count)| format!("{status}: {count}"))
            .collect();
        if let Some(errors) = &self.socket_errors {
            parts.push(format!("socket errors {errors}"));
        }
        parts.join(", ")
    }
}

/// Writes the script into `folder`; returns its path.
pub fn script(folder: &Path) -> Result<PathBuf, String> {
    let path = folder.join("statuses.lua");
    std::fs::write(&path, SCRIPT).map_err(|error| error.to_string())?;
    Ok(path)
}

/// Runs wrk with `load` on `url` inside `namespace`, counting statuses with `script`.
pub fn run(
    namespace: &Namespace,
    load: &Load,
    url: &str,
    script: &Path,
) -> Result<Measured, String> {
    let mut command = namespace.command("wrk");
    let mut arguments = load.arguments(url);
    let url = arguments.pop().unwrap_or_default();
    command.args(arguments).arg("-s").arg(script).arg(url);
    let output = command
        .output()
        .map_err(|error| format!("cannot start wrk: {error}"))?;
    let text = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        return Err(format!("wrk failed ({}): {text}", output.status));
    }
    let report = wrk::parse(&text)?;
    let (statuses, socket_errors) = counts(&text);
    Ok(Measured {
        report,
        statuses,
        socket_errors,
    })
}

/// The `status N: M` lines the script printed, and wrk's `Socket errors:` line.
fn counts(text: &str) -> (BTreeMap<u16, u64>, Option<String>) {
    let mut statuses = BTreeMap::new();
    let mut socket_errors = None;
    for line in text.lines().map(str::trim) {
        if let Some((status, count)) = line
            .strip_prefix("status ")
            .and_then(|rest| rest.split_once(": "))
        {
            if let (Ok(status), Ok(count)) = (status.parse(), count.parse()) {
                statuses.insert(status, count);
            }
        } else if let Some(errors) = line.strip_prefix("Socket errors:") {
            socket_errors = Some(errors.trim().to_owned());
        }
    }
    (statuses, socket_errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_and_socket_errors_are_read() {
        let text = "  12 requests in 5.00s, 1.2KB read\n  Socket errors: connect 0, read 2, write 0, timeout 1\n\
                    Requests/sec: 2.40\nstatus 503: 4\nstatus 200: 8\nstatus x: 1\n";
        let (statuses, socket_errors) = counts(text);
        assert_eq!(statuses, BTreeMap::from([(200, 8), (503, 4)]));
        assert_eq!(
            socket_errors.as_deref(),
            Some("connect 0, read 2, write 0, timeout 1")
        );
        let measured = Measured {
            report: WrkReport {
                requests_per_second: 2.4,
                p99_milliseconds: 1.0,
                errors: 7,
                requests: 12,
            },
            statuses,
            socket_errors,
        };
        let load = Load {
            threads: 1,
            connections: 1,
            duration: std::time::Duration::from_secs(4),
        };
        assert_eq!(measured.successes_per_second(&load), 2.0);
        assert_eq!(
            measured.describe(),
            "200: 8, 503: 4, socket errors connect 0, read 2, write 0, timeout 1"
        );
    }
}
