use super::*;
use crate::fake_platform::FakePlatform;
use crate::signal::{InterruptSignal, WaitUntil};
use crate::task::yield_now;
use crate::timer::{now, sleep, sleep_until};
use alloc::vec::Vec;
use core::cell::Cell;
use core::time::Duration;
use sauce_core::time::Instant;

const MILLISECOND: u64 = 1_000_000;

#[test]
fn a_ring_of_a_thousand_tasks_passes_a_token_ten_times() {
    const TASKS: usize = 1000;
    const LAPS: usize = 10;
    let platform = FakePlatform::leaked();
    let mut executor = Executor::new(TASKS);
    let signals: Rc<Vec<InterruptSignal>> =
        Rc::new((0..TASKS).map(|_| InterruptSignal::new()).collect());
    let passes = Rc::new(Cell::new(0));
    for position in 0..TASKS {
        let (signals, passes) = (signals.clone(), passes.clone());
        executor
            .spawn(async move {
                for _ in 0..LAPS {
                    signals[position].wait().await;
                    passes.set(passes.get() + 1);
                    signals[(position + 1) % TASKS].notify();
                }
            })
            .unwrap();
    }
    assert_eq!(executor.spawn(async {}), Err(SpawnError::TooManyTasks));
    signals[0].notify();
    executor.run_until_all_done(platform);
    assert_eq!(passes.get(), TASKS * LAPS);
    assert_eq!(executor.task_count(), 0);
    assert_eq!(platform.halts(), 0, "always something ready");
}

#[test]
fn sleep_waits_for_the_simulated_clock_and_arms_the_exact_deadline() {
    let platform = FakePlatform::leaked();
    let mut executor = Executor::new(4);
    let woke_at = executor.block_on(platform, async {
        sleep(Duration::from_millis(10)).await;
        now()
    });
    assert!(woke_at >= Instant::from_nanoseconds(10 * MILLISECOND));
    assert_eq!(platform.arm_history(), [Some(10 * MILLISECOND), None]);
    assert_eq!(platform.halts(), 1);
}

#[test]
fn sleepers_wake_in_deadline_order() {
    let platform = FakePlatform::leaked();
    platform.advance(5 * MILLISECOND);
    let mut executor = Executor::new(8);
    let order = Rc::new(RefCell::new(Vec::new()));
    for milliseconds in [30, 10, 20, 10] {
        let order = order.clone();
        executor
            .spawn(async move {
                let start = now();
                sleep(Duration::from_millis(milliseconds)).await;
                let elapsed = now() - start;
                assert!(elapsed >= Duration::from_millis(milliseconds));
                order
                    .borrow_mut()
                    .push((milliseconds, now().as_nanoseconds()));
            })
            .unwrap();
    }
    executor.run_until_all_done(platform);
    let expected =
        [(10, 15), (10, 15), (20, 25), (30, 35)].map(|(sleep, at)| (sleep, at * MILLISECOND));
    assert_eq!(*order.borrow(), expected);
    let armed: Vec<_> = platform.arm_history().into_iter().flatten().collect();
    assert_eq!(
        armed,
        [15 * MILLISECOND, 25 * MILLISECOND, 35 * MILLISECOND]
    );
}

#[test]
fn sleep_until_a_past_instant_completes_at_once() {
    let platform = FakePlatform::leaked();
    platform.advance(MILLISECOND);
    let mut executor = Executor::new(1);
    executor.block_on(platform, sleep_until(Instant::from_nanoseconds(10)));
    assert_eq!(platform.halts(), 0);
}

#[test]
fn a_simulated_interrupt_wakes_a_waiting_task() {
    static RECEIVED: InterruptSignal = InterruptSignal::new();
    let platform = FakePlatform::leaked();
    platform.raise_at(5 * MILLISECOND, || RECEIVED.notify());
    let mut executor = Executor::new(2);
    let woke_at = Rc::new(Cell::new(None));
    let record = woke_at.clone();
    executor
        .spawn(async move {
            RECEIVED.wait().await;
            record.set(Some(now()));
        })
        .unwrap();
    executor.run_until_all_done(platform);
    assert_eq!(
        woke_at.get(),
        Some(Instant::from_nanoseconds(5 * MILLISECOND))
    );
    assert_eq!(platform.halts(), 1);
    assert!(
        platform.arm_history().iter().all(Option::is_none),
        "no timer was needed"
    );
}

#[test]
fn an_interrupt_just_before_the_idle_check_is_not_lost() {
    static SIGNAL: InterruptSignal = InterruptSignal::new();
    let platform = FakePlatform::leaked();
    platform.on_next_disable(|| SIGNAL.notify());
    let mut executor = Executor::new(1);
    executor.spawn(SIGNAL.wait()).unwrap();
    // Were the queue checked before interrupts were disabled, the executor would halt with
    // nothing to wake it, and the simulated machine would panic.
    executor.run_until_all_done(platform);
    assert_eq!(platform.halts(), 0, "the check saw the wake-up");
}

#[test]
fn an_interrupt_while_interrupts_are_disabled_ends_the_halt() {
    static SIGNAL: InterruptSignal = InterruptSignal::new();
    let platform = FakePlatform::leaked();
    let mut executor = Executor::new(1);
    executor.spawn(SIGNAL.wait()).unwrap();
    // Arrives once interrupts are masked: the CPU holds it until `sti; hlt`.
    platform.raise_after_next_disable(|| SIGNAL.notify());
    executor.run_until_all_done(platform);
    assert_eq!(platform.halts(), 1);
    assert_eq!(
        platform.now_nanoseconds(),
        0,
        "woken by the held interrupt, not a timer"
    );
}

#[test]
fn tasks_spawn_tasks() {
    let platform = FakePlatform::leaked();
    let mut executor = Executor::new(200);
    let spawner = executor.spawner();
    let finished = Rc::new(Cell::new(0));
    let (root_spawner, root_finished) = (spawner.clone(), finished.clone());
    executor
        .spawn(async move {
            for _ in 0..10 {
                let (child_spawner, child_finished) = (root_spawner.clone(), root_finished.clone());
                root_spawner
                    .spawn(async move {
                        for _ in 0..10 {
                            let grandchild_finished = child_finished.clone();
                            child_spawner
                                .spawn(async move {
                                    yield_now().await;
                                    grandchild_finished.set(grandchild_finished.get() + 1);
                                })
                                .unwrap();
                        }
                        child_finished.set(child_finished.get() + 1);
                    })
                    .unwrap();
            }
            root_finished.set(root_finished.get() + 1);
        })
        .unwrap();
    executor.run_until_all_done(platform);
    assert_eq!(finished.get(), 111);
    drop(executor);
    assert_eq!(spawner.spawn(async {}), Err(SpawnError::ExecutorGone));
}

#[test]
fn repeated_wakes_poll_a_task_once() {
    let platform = FakePlatform::leaked();
    let mut executor = Executor::new(1);
    let polls = Rc::new(Cell::new(0));
    let counter = polls.clone();
    executor
        .spawn(core::future::poll_fn(move |context| {
            counter.set(counter.get() + 1);
            if counter.get() == 1 {
                for _ in 0..5 {
                    context.waker().wake_by_ref();
                }
                Poll::Pending
            } else {
                Poll::Ready(())
            }
        }))
        .unwrap();
    executor.run_until_all_done(platform);
    assert_eq!(polls.get(), 2);
}

#[test]
fn yielding_tasks_take_turns() {
    let platform = FakePlatform::leaked();
    let mut executor = Executor::new(2);
    let trace = Rc::new(RefCell::new(Vec::new()));
    for name in ['a', 'b'] {
        let trace = trace.clone();
        executor
            .spawn(async move {
                for _ in 0..3 {
                    trace.borrow_mut().push(name);
                    yield_now().await;
                }
            })
            .unwrap();
    }
    executor.run_until_all_done(platform);
    assert_eq!(*trace.borrow(), ['a', 'b', 'a', 'b', 'a', 'b']);
}

#[test]
fn block_on_runs_spawned_tasks_and_leaves_unfinished_ones() {
    let platform = FakePlatform::leaked();
    let mut executor = Executor::new(4);
    let flag = Rc::new(Cell::new(false));
    let set = flag.clone();
    executor
        .spawn(async move {
            sleep(Duration::from_millis(1)).await;
            set.set(true);
        })
        .unwrap();
    executor.spawn(sleep(Duration::from_secs(3600))).unwrap();
    let answer = executor.block_on(platform, async {
        sleep(Duration::from_millis(2)).await;
        42
    });
    assert_eq!(answer, 42);
    assert!(flag.get());
    assert_eq!(executor.task_count(), 1, "the hour-long sleeper remains");
    assert_eq!(
        platform.arm_history().last(),
        Some(&None),
        "timer disarmed on exit"
    );
}

#[test]
fn running_with_no_task_returns_at_once() {
    let platform = FakePlatform::leaked();
    Executor::new(0).run_until_all_done(platform);
    assert_eq!(platform.halts(), 0);
    assert_eq!(
        format!("{:?}", Executor::new(1)),
        "Executor { tasks: 0, .. }"
    );
}

#[test]
fn wait_until_ends_at_the_deadline_or_the_interrupt_whichever_comes_first() {
    static NIC: InterruptSignal = InterruptSignal::new();
    let platform = FakePlatform::leaked();
    let mut executor = Executor::new(4);
    // Nothing arrives: the deadline ends the wait.
    let notified = executor.block_on(
        platform,
        NIC.wait_until(Instant::from_nanoseconds(5 * MILLISECOND)),
    );
    assert!(!notified);
    assert!(platform.now_nanoseconds() >= 5 * MILLISECOND);
    // An interrupt at 7 ms ends a wait whose deadline is 50 ms away.
    platform.raise_at(7 * MILLISECOND, || NIC.notify());
    let notified = executor.block_on(
        platform,
        NIC.wait_until(Instant::from_nanoseconds(50 * MILLISECOND)),
    );
    assert!(notified);
    let woke = platform.now_nanoseconds();
    assert!(
        (7 * MILLISECOND..50 * MILLISECOND).contains(&woke),
        "woke at {woke} ns"
    );
    assert_eq!(
        executor.timers.len(),
        0,
        "the early-woken wait took its timer out"
    );
    assert_eq!(executor.timers.next_deadline(), None);
}

#[test]
fn a_task_woken_early_a_thousand_times_is_never_woken_by_its_stale_deadlines() {
    static NIC: InterruptSignal = InterruptSignal::new();
    let platform = FakePlatform::leaked();
    let mut executor = Executor::new(4);
    let polls = Rc::new(Cell::new(0u32));
    let counted = polls.clone();
    // Every wait's deadline is 1 ms ahead, and an interrupt ends each one first.
    let waits = executor.block_on(platform, async move {
        let mut interrupted = 0;
        for _ in 0..1000 {
            NIC.notify();
            let deadline = Instant::from_nanoseconds(now().as_nanoseconds() + MILLISECOND);
            interrupted += u32::from(NIC.wait_until(deadline).await);
            counted.set(counted.get() + 1);
        }
        interrupted
    });
    assert_eq!(waits, 1000);
    assert_eq!(executor.timers.len(), 0);
    assert_eq!(polls.get(), 1000);
}

#[test]
fn a_spawner_says_whether_a_slot_is_free() {
    let platform = FakePlatform::leaked();
    let mut executor = Executor::new(1);
    let spawner = executor.spawner();
    assert!(spawner.has_room());
    spawner.spawn(async {}).unwrap();
    assert!(!spawner.has_room());
    assert_eq!(spawner.spawn(async {}), Err(SpawnError::TooManyTasks));
    executor.run_until_all_done(platform);
    assert!(spawner.has_room(), "a finished task frees its slot");
    drop(executor);
    assert!(!spawner.has_room(), "no room in an executor that is gone");
}
