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

/// An intent with `count` routes, written into a folder of its own.
fn many_routes(count: usize) -> std::path::PathBuf {
    let folder =
        std::env::temp_dir().join(format!("sauce-many-routes-{}-{count}", std::process::id()));
    std::fs::create_dir_all(&folder).unwrap();
    let mut text = String::from("[app]\nname = \"many\"\n\n[http]\n\n");
    for index in 0..count {
        text.push_str(&format!(
            "[[http.route]]\npath = \"/r{index}\"\nbody = \"route {index}\\n\"\n\n"
        ));
    }
    std::fs::write(folder.join("sauce.toml"), text).unwrap();
    folder
}

/// The best of three loads of `path`.
fn best_of_three(path: &Path) -> Duration {
    (0..3)
        .map(|_| {
            let start = Instant::now();
            load(path).unwrap_or_else(|error| panic!("{error}"));
            start.elapsed()
        })
        .min()
        .unwrap()
}

#[test]
fn checking_grows_linearly_with_the_routes() {
    // 20,000 routes took 25 s when every route was compared with every other; now checking is
    // linear, and 10,000 routes take about 60 ms in a release build (bench: build_time).
    let small = many_routes(2_500);
    let large = many_routes(10_000);
    let (small_time, large_time) = (best_of_three(&small), best_of_three(&large));
    println!("2,500 routes: {small_time:?}; 10,000 routes: {large_time:?}");
    let ratio = large_time.as_secs_f64() / small_time.as_secs_f64();
    assert!(
        ratio < 8.0,
        "4× the routes took {ratio:.1}× the time: not linear"
    );
    for folder in [small, large] {
        std::fs::remove_dir_all(folder).unwrap();
    }
}
