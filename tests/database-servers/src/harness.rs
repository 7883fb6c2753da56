//! A small runner for tests that share one server: runs named cases, catches panics, prints
//! `N passed, N failed, N skipped` and tells the caller whether all passed.
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

/// What a run did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    /// Cases that returned.
    pub passed: usize,
    /// Cases that panicked.
    pub failed: usize,
    /// Cases not selected.
    pub skipped: usize,
}

/// Runs the cases the process's arguments select (names containing a filter; `--ignored`,
/// `--include-ignored` as libtest reads them) against `context`; returns whether all passed.
pub fn run<C>(cases: &[Case<C>], context: &C) -> bool {
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    let tally = run_with(&arguments, cases, context);
    println!();
    println!(
        "{} passed, {} failed, {} skipped",
        tally.passed, tally.failed, tally.skipped
    );
    tally.failed == 0
}

/// Runs the cases `arguments` select against `context`.
pub fn run_with<C>(arguments: &[String], cases: &[Case<C>], context: &C) -> Tally {
    let only_ignored = arguments.iter().any(|argument| argument == "--ignored");
    let include_ignored = arguments
        .iter()
        .any(|argument| argument == "--include-ignored");
    let filters: Vec<&String> = arguments
        .iter()
        .filter(|argument| !argument.starts_with("--"))
        .collect();
    let mut tally = Tally::default();
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
            tally.skipped += 1;
            continue;
        }
        let started = Instant::now();
        let outcome = catch_unwind(AssertUnwindSafe(|| (case.run)(context)));
        let elapsed = started.elapsed().as_secs_f64();
        match outcome {
            Ok(()) => {
                tally.passed += 1;
                println!("test {} ... ok ({elapsed:.2} s)", case.name);
            }
            Err(_) => {
                tally.failed += 1;
                println!("test {} ... FAILED ({elapsed:.2} s)", case.name);
            }
        }
    }
    tally
}

/// Prints why the whole suite is skipped, in the closing-line form.
pub fn skip(reason: &dyn core::fmt::Display, cases: usize) {
    println!("skipped: {reason}");
    println!("0 passed, 0 failed, {cases} skipped");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cases() -> Vec<Case<u32>> {
        vec![
            Case {
                name: "adds",
                ignored: false,
                run: |context| assert_eq!(context + 1, 42),
            },
            Case {
                name: "fails",
                ignored: false,
                run: |context| assert_eq!(*context, 0),
            },
            Case {
                name: "benchmark",
                ignored: true,
                run: |_| {},
            },
        ]
    }

    fn arguments(words: &[&str]) -> Vec<String> {
        words.iter().map(|word| (*word).to_owned()).collect()
    }

    #[test]
    fn panics_fail_and_filters_and_ignored_select() {
        let cases = cases();
        let all = run_with(&[], &cases, &41);
        assert_eq!((all.passed, all.failed, all.skipped), (1, 1, 1));
        let named = run_with(&arguments(&["add"]), &cases, &41);
        assert_eq!((named.passed, named.failed, named.skipped), (1, 0, 2));
        let ignored = run_with(&arguments(&["--ignored"]), &cases, &41);
        assert_eq!((ignored.passed, ignored.failed, ignored.skipped), (1, 0, 2));
        let everything = run_with(&arguments(&["--include-ignored"]), &cases, &41);
        assert_eq!(
            (everything.passed, everything.failed, everything.skipped),
            (2, 1, 0)
        );
    }
}
