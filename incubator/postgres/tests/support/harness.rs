//! A small test runner for tests that share one server: runs named cases, catches panics,
//! prints `N passed, N failed` and exits non-zero on a failure.
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::Instant;

/// One test case.
pub struct Case<C> {
    /// Its name.
    pub name: &'static str,
    /// Run only with `--ignored` or `--include-ignored` (benchmarks).
    pub ignored: bool,
    /// The test.
    pub run: fn(&C),
}

/// Runs the selected cases against `context`; returns whether all passed.
pub fn run<C>(cases: &[Case<C>], context: &C) -> bool {
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    let only_ignored = arguments.iter().any(|argument| argument == "--ignored");
    let include_ignored = arguments
        .iter()
        .any(|argument| argument == "--include-ignored");
    let filters: Vec<&String> = arguments
        .iter()
        .filter(|argument| !argument.starts_with("--"))
        .collect();
    let (mut passed, mut failed, mut skipped) = (0, 0, 0);
    for case in cases {
        let selected_by_name = filters.is_empty()
            || filters
                .iter()
                .any(|filter| case.name.contains(filter.as_str()));
        let selected_by_kind = if case.ignored {
            only_ignored || include_ignored
        } else {
            !only_ignored
        };
        if !selected_by_name || !selected_by_kind {
            skipped += 1;
            continue;
        }
        let started = Instant::now();
        let outcome = catch_unwind(AssertUnwindSafe(|| (case.run)(context)));
        let elapsed = started.elapsed().as_secs_f64();
        match outcome {
            Ok(()) => {
                passed += 1;
                println!("test {} ... ok ({elapsed:.2} s)", case.name);
            }
            Err(_) => {
                failed += 1;
                println!("test {} ... FAILED ({elapsed:.2} s)", case.name);
            }
        }
    }
    println!();
    println!("{passed} passed, {failed} failed, {skipped} skipped");
    failed == 0
}

/// Prints why the suite is skipped, in the closing-line form.
pub fn skip(reason: &str, cases: usize) {
    println!("skipped: {reason}");
    println!("0 passed, 0 failed, {cases} skipped");
}
