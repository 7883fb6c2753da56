//! Executor tests: timer accuracy and many tasks passing a token.

use crate::Context;
use alloc::rc::Rc;
use core::cell::Cell;
use core::time::Duration;
use alloc::vec::Vec;
use sauce_executor::{sleep, InterruptSignal};
use sauce_runtime::{clock, println};

/// `sleep(10 ms)` takes at least 9 ms of guest time (TSC) and returns: under TCG the guest's
/// clock follows the host's, so a loaded host (CI runs tests in parallel) can make the wake-up
/// late by the time the vCPU thread was not scheduled — up to 250 ms is tolerated, never early.
pub fn sleep_10_ms(context: &mut Context) {
    let platform = sauce_executor::kernel::platform();
    for _ in 0..3 {
        let started = clock::now_nanoseconds();
        context.executor.block_on(platform, sleep(Duration::from_millis(10)));
        let elapsed = clock::now_nanoseconds() - started;
        println!("sleep(10 ms) took {} µs", elapsed / 1000);
        assert!(
            (9_000_000..=250_000_000).contains(&elapsed),
            "sleep(10 ms) took {elapsed} ns"
        );
    }
}

/// 1,000 tasks pass a token around a ring ten times: each waits on its own signal and wakes
/// the next, so every hand-over goes through a waker and the ready queue.
pub fn thousand_tasks_ping_pong(context: &mut Context) {
    const TASKS: usize = 1000;
    const ROUNDS: usize = 10;
    let signals: Rc<Vec<InterruptSignal>> = Rc::new((0..TASKS).map(|_| InterruptSignal::new()).collect());
    let hand_overs = Rc::new(Cell::new(0usize));
    for index in 0..TASKS {
        let signals = signals.clone();
        let hand_overs = hand_overs.clone();
        context
            .executor
            .spawn(async move {
                for _ in 0..ROUNDS {
                    signals[index].wait().await;
                    hand_overs.set(hand_overs.get() + 1);
                    signals[(index + 1) % TASKS].notify();
                }
            })
            .expect("room for 1,000 tasks");
    }
    signals[0].notify();
    let started = clock::now_nanoseconds();
    context.executor.run_until_all_done(sauce_executor::kernel::platform());
    println!("{} hand-overs in {} µs", hand_overs.get(), (clock::now_nanoseconds() - started) / 1000);
    assert_eq!(hand_overs.get(), TASKS * ROUNDS);
}
