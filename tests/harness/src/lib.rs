//! In-guest test harness: runs test functions inside a booted kernel and reports over serial
//! and the exit device.
//!
//! Contract with the host-side runner (host/runner `in_guest`):
//! 1. The command line selects one test with `test=NAME`; without it every test expected to
//!    pass runs, in order.
//! 2. Each test prints `sauce-test: start NAME` before it runs and `sauce-test: pass NAME
//!    (N µs)` after it returns. A test fails by panicking: the panic handler prints the
//!    message and location and the VM exits with failure.
//! 3. After the last test the harness prints `sauce-test: summary passed=N` and exits with
//!    success.
//! 4. A test declared [`Expectation::Fault`] must never return: it exists to show that a
//!    fault is reported (page fault, W^X violation, stack overflow). If it returns, the
//!    harness prints `sauce-test: fault expected but none happened NAME` and fails the VM. The
//!    host checks the fault's report and the failure exit.
#![no_std]

/// What a test is expected to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expectation {
    /// Returns normally.
    Pass,
    /// Ends the VM with a reported fault; run only when selected by name.
    Fault,
}

/// One in-guest test.
#[derive(Clone, Copy, Debug)]
pub struct TestCase<Context> {
    /// Name used on the command line and in reports.
    pub name: &'static str,
    /// What the test is expected to do.
    pub expectation: Expectation,
    /// The test body.
    pub run: fn(&mut Context),
}

/// What the harness needs from a test context.
#[cfg(target_os = "none")]
pub trait TestContext {
    /// The platform, for the command line.
    fn platform(&self) -> &sauce_runtime::Platform;
}

#[cfg(target_os = "none")]
mod harness {
    use super::{Expectation, TestCase, TestContext};
    use core::fmt::Write;
    use sauce_arch_x86_64::console::FixedText;
    use sauce_runtime::platform::exit;
    use sauce_runtime::{clock, println, Exit};

    /// Runs the test named on the command line, or every passing test, then exits.
    pub fn run_tests<Context: TestContext>(
        context: &mut Context,
        tests: &[TestCase<Context>],
    ) -> ! {
        let mut name = FixedText::<64>::new();
        let selected = match context.platform().command_line().get("test") {
            Some(text) => {
                let _ = name.write_str(text);
                Some(name.as_str())
            }
            None => None,
        };
        let mut passed = 0;
        for test in tests {
            let chosen = match selected {
                Some(name) => name == test.name,
                None => test.expectation == Expectation::Pass,
            };
            if !chosen {
                continue;
            }
            println!("sauce-test: start {}", test.name);
            let started = clock::now_nanoseconds();
            (test.run)(context);
            if test.expectation == Expectation::Fault {
                println!("sauce-test: fault expected but none happened {}", test.name);
                exit(Exit::Failure);
            }
            println!(
                "sauce-test: pass {} ({} µs)",
                test.name,
                (clock::now_nanoseconds() - started) / 1000
            );
            passed += 1;
        }
        if passed == 0 {
            println!("sauce-test: no test named {}", selected.unwrap_or("(none)"));
            exit(Exit::Failure);
        }
        println!("sauce-test: summary passed={passed}");
        exit(Exit::Success)
    }
}

#[cfg(target_os = "none")]
pub use harness::run_tests;
