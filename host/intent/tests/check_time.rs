//! `sauce check` must answer in under 50 ms (issue 4): this measures what it does, loading and
//! validating an intent, for `examples/hello-http` and for a site with files and a folder.
//! Run with `--nocapture` to see the figures (median, min, max over 50 runs).

use std::path::Path;
use std::time::{Duration, Instant};

use sauce_intent::load;

const RUNS: usize = 50;
const LIMIT: Duration = Duration::from_millis(50);

/// Median, minimum and maximum time of `load(path)` over [`RUNS`] runs.
fn measure(path: &Path) -> (Duration, Duration, Duration) {
    let mut times: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let start = Instant::now();
            load(path).unwrap_or_else(|error| panic!("{error}"));
            start.elapsed()
        })
        .collect();
    times.sort();
    (times[RUNS / 2], times[0], times[RUNS - 1])
}

#[test]
fn checking_an_intent_takes_under_50_milliseconds() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for intent in ["../../examples/hello-http", "tests/valid/static-site"] {
        let (median, minimum, maximum) = measure(&root.join(intent));
        println!("load + validate {intent}: median {median:?}, min {minimum:?}, max {maximum:?} ({RUNS} runs)");
        assert!(median < LIMIT, "{intent}: median {median:?}");
    }
}
