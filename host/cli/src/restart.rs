//! `sauce run --restart on-failure[:N]`: boot the guest again when it fails (a panic, a fault,
//! a reset), as Docker's restart policy does. A SauceOS guest boots in milliseconds, so a
//! crash costs the clients little more than a dropped connection.

use std::time::{Duration, Instant};

use sauce_runner::GuestExit;

/// When to boot a guest again.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum RestartPolicy {
    /// Never (the default): the run ends with the guest.
    #[default]
    No,
    /// After a failure (exit code 3: panic, fault, reset), up to `retries` times in a row
    /// (`None`: without limit). Never after success, a timeout or Ctrl-C.
    OnFailure {
        /// Restarts allowed in a row; a guest that ran for [`HEALTHY_RUN`] resets the count.
        retries: Option<u32>,
    },
}

/// A guest that ran this long before failing counts as healthy: the retry count and the
/// backoff start over.
pub const HEALTHY_RUN: Duration = Duration::from_secs(10);
/// The first wait before a restart; it doubles after each quick failure, up to [`LONGEST_WAIT`].
const FIRST_WAIT: Duration = Duration::from_millis(100);
const LONGEST_WAIT: Duration = Duration::from_secs(5);

impl RestartPolicy {
    /// Reads `no`, `on-failure` or `on-failure:N`.
    pub fn parse(text: &str) -> Result<RestartPolicy, String> {
        match text.split_once(':') {
            None if text == "no" => Ok(RestartPolicy::No),
            None if text == "on-failure" => Ok(RestartPolicy::OnFailure { retries: None }),
            Some(("on-failure", count)) => count
                .parse::<u32>()
                .map(|retries| RestartPolicy::OnFailure {
                    retries: Some(retries),
                })
                .map_err(|_| {
                    format!("`{count}` is not a number of restarts; write e.g. `on-failure:5`")
                }),
            _ => Err(format!(
                "`{text}` is not a restart policy: write `no`, `on-failure` or `on-failure:N`"
            )),
        }
    }
}

/// Runs `boot` (one guest, start to end) until it ends in a way `policy` does not restart;
/// returns the last exit. Between restarts it waits, doubling from 100 ms to 5 s while the
/// guest keeps failing quickly.
pub fn run_with_restarts<E>(
    policy: RestartPolicy,
    mut boot: impl FnMut() -> Result<GuestExit, E>,
) -> Result<GuestExit, E> {
    let mut restarts_in_a_row = 0u32;
    let mut wait = FIRST_WAIT;
    loop {
        let started = Instant::now();
        let exit = boot()?;
        let RestartPolicy::OnFailure { retries } = policy else {
            return Ok(exit);
        };
        if !matches!(exit, GuestExit::Failure | GuestExit::Reset) {
            return Ok(exit);
        }
        if started.elapsed() >= HEALTHY_RUN {
            restarts_in_a_row = 0;
            wait = FIRST_WAIT;
        }
        if retries.is_some_and(|retries| restarts_in_a_row >= retries) {
            eprintln!(
                "sauce: the guest failed {} time(s) in a row; not restarting again (--restart)",
                restarts_in_a_row + 1
            );
            return Ok(exit);
        }
        restarts_in_a_row += 1;
        eprintln!(
            "sauce: restarting the guest in {} ms (restart {restarts_in_a_row}{}, --restart on-failure)",
            wait.as_millis(),
            retries.map_or_else(String::new, |retries| format!(" of {retries}"))
        );
        std::thread::sleep(wait);
        wait = (wait * 2).min(LONGEST_WAIT);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policies_parse_like_dockers() {
        assert_eq!(RestartPolicy::parse("no"), Ok(RestartPolicy::No));
        assert_eq!(
            RestartPolicy::parse("on-failure"),
            Ok(RestartPolicy::OnFailure { retries: None })
        );
        assert_eq!(
            RestartPolicy::parse("on-failure:3"),
            Ok(RestartPolicy::OnFailure { retries: Some(3) })
        );
        assert!(RestartPolicy::parse("always").is_err());
        assert!(RestartPolicy::parse("on-failure:x")
            .unwrap_err()
            .contains("on-failure:5"));
    }

    #[test]
    fn failures_are_restarted_up_to_the_limit_and_nothing_else_is() {
        let mut boots = 0;
        let exit: Result<GuestExit, ()> =
            run_with_restarts(RestartPolicy::OnFailure { retries: Some(2) }, || {
                boots += 1;
                Ok(GuestExit::Failure)
            });
        assert_eq!((exit, boots), (Ok(GuestExit::Failure), 3));
        let mut boots = 0;
        let exit: Result<GuestExit, ()> =
            run_with_restarts(RestartPolicy::OnFailure { retries: None }, || {
                boots += 1;
                Ok(if boots < 3 {
                    GuestExit::Reset
                } else {
                    GuestExit::Success
                })
            });
        assert_eq!((exit, boots), (Ok(GuestExit::Success), 3));
        for ending in [
            GuestExit::Timeout,
            GuestExit::Interrupted,
            GuestExit::Success,
        ] {
            let mut boots = 0;
            let _: Result<GuestExit, ()> =
                run_with_restarts(RestartPolicy::OnFailure { retries: None }, || {
                    boots += 1;
                    Ok(ending)
                });
            assert_eq!(boots, 1, "{ending:?} is not restarted");
        }
        let mut boots = 0;
        let _: Result<GuestExit, ()> = run_with_restarts(RestartPolicy::No, || {
            boots += 1;
            Ok(GuestExit::Failure)
        });
        assert_eq!(boots, 1);
    }
}
