//! [`Executor`]: polls ready tasks, fires timers, and halts the core when nothing is ready.
//!
//! One turn of every run loop:
//! 1. wake the tasks whose timers have expired;
//! 2. poll the tasks that were ready when the turn began (a task that keeps waking itself
//!    cannot starve timers or the others);
//! 3. if nothing is ready: disable interrupts, check the ready queue and the earliest timer
//!    once more, arm the platform timer for that deadline, then `wait_for_interrupt` (which
//!    enables interrupts and halts in one step). A wake-up arriving after interrupts were
//!    disabled stays pending in the CPU and ends the halt at once: none is lost.

use alloc::boxed::Box;
use alloc::rc::{Rc, Weak};
use alloc::sync::Arc;
use alloc::task::Wake;
use core::cell::RefCell;
use core::fmt;
use core::future::Future;
use core::pin::pin;
use core::sync::atomic::{AtomicBool, Ordering};
use core::task::{Context, Poll, Waker};

use crossbeam_queue::ArrayQueue;

use crate::context::{self, RunningExecutor};
use crate::platform::Platform;
use crate::task::{ReadyQueue, TaskId, TaskTable};
use crate::timer::TimerQueue;

/// Why a task could not be spawned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SpawnError {
    /// All `max_tasks` slots hold unfinished tasks.
    TooManyTasks,
    /// The executor behind this [`Spawner`] was dropped.
    ExecutorGone,
}

impl fmt::Display for SpawnError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(match self {
            Self::TooManyTasks => "too many tasks: every slot holds an unfinished task",
            Self::ExecutorGone => "the executor was dropped",
        })
    }
}

/// A cooperative executor for one core.
///
/// Tasks are `'static` futures that need not be `Send`. Spawning allocates (the boxed future
/// and its waker); polling, waking and idling do not.
pub struct Executor {
    table: Rc<RefCell<TaskTable>>,
    ready: Arc<ReadyQueue>,
    timers: Arc<TimerQueue>,
}

impl fmt::Debug for Executor {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("Executor")
            .field("tasks", &self.task_count())
            .finish_non_exhaustive()
    }
}

impl Executor {
    /// An executor with room for `max_tasks` unfinished tasks at once.
    pub fn new(max_tasks: usize) -> Self {
        // One entry per slot at most (see `task`), plus one so that a push from an interrupt
        // handler never lands on the entry a pop is still releasing.
        let ready = Arc::new(ArrayQueue::new(max_tasks + 1));
        Self {
            table: Rc::new(RefCell::new(TaskTable::new(max_tasks, ready.clone()))),
            ready,
            timers: Arc::new(TimerQueue::default()),
        }
    }

    /// A handle that spawns tasks onto this executor, from anywhere on this core, including
    /// from inside its tasks.
    pub fn spawner(&self) -> Spawner {
        Spawner {
            table: Rc::downgrade(&self.table),
        }
    }

    /// Adds a task; it first runs at the next turn of a run loop.
    pub fn spawn(&self, future: impl Future<Output = ()> + 'static) -> Result<TaskId, SpawnError> {
        spawn_into(&self.table, future)
    }

    /// Number of tasks that have not finished.
    pub fn task_count(&self) -> usize {
        self.table.borrow().live()
    }

    /// Runs until every task has finished.
    pub fn run_until_all_done(&mut self, platform: &'static dyn Platform) {
        let _entered = self.enter(platform);
        loop {
            self.run_turn(platform);
            if self.task_count() == 0 {
                return;
            }
            self.idle(platform, || false);
        }
    }

    /// Runs forever; once every task has finished, the core just handles interrupts.
    pub fn run(&mut self, platform: &'static dyn Platform) -> ! {
        let _entered = self.enter(platform);
        loop {
            self.run_turn(platform);
            self.idle(platform, || false);
        }
    }

    /// Runs `future` to completion on this core, running the spawned tasks meanwhile, and
    /// returns its output. Unfinished tasks stay in the executor for the next run.
    pub fn block_on<F: Future>(&mut self, platform: &'static dyn Platform, future: F) -> F::Output {
        let _entered = self.enter(platform);
        let main = Arc::new(MainWaker {
            woken: AtomicBool::new(true),
        });
        let waker = Waker::from(main.clone());
        let mut future = pin!(future);
        loop {
            if main.woken.swap(false, Ordering::AcqRel) {
                if let Poll::Ready(output) = future.as_mut().poll(&mut Context::from_waker(&waker))
                {
                    return output;
                }
            }
            self.run_turn(platform);
            self.idle(platform, || main.woken.load(Ordering::Acquire));
        }
    }

    fn enter(&self, platform: &'static dyn Platform) -> context::Entered {
        context::enter(RunningExecutor {
            platform,
            timers: self.timers.clone(),
        })
    }

    /// Fires expired timers, then polls the tasks ready at this point.
    fn run_turn(&mut self, platform: &'static dyn Platform) {
        self.timers.wake_expired(platform.now_nanoseconds());
        for _ in 0..self.ready.len() {
            let Some(index) = self.ready.pop() else { break };
            self.poll_task(index);
        }
    }

    fn poll_task(&mut self, index: usize) {
        // The table is not borrowed while the task runs, so the task may spawn.
        let Some((mut future, waker)) = self.table.borrow_mut().start_poll(index) else {
            return;
        };
        let poll = future.as_mut().poll(&mut Context::from_waker(&waker));
        if poll.is_ready() {
            // Dropped before borrowing the table: its destructor may spawn too.
            drop(future);
            self.table.borrow_mut().finish(index);
        } else {
            self.table.borrow_mut().end_poll(index, future);
        }
    }

    /// Halts until an interrupt, unless work is ready or a timer is due.
    fn idle(&self, platform: &'static dyn Platform, other_work: impl Fn() -> bool) {
        platform.disable_interrupts();
        let next_deadline = self.timers.next_deadline();
        let timer_due =
            next_deadline.is_some_and(|deadline| deadline <= platform.now_nanoseconds());
        if timer_due || !self.ready.is_empty() || other_work() {
            platform.enable_interrupts();
            return;
        }
        platform.arm_timer(next_deadline);
        platform.wait_for_interrupt();
    }
}

/// Spawns tasks onto an [`Executor`]; cheap to clone and hand to tasks.
///
/// It holds the executor weakly, so a task keeping a spawner does not keep the executor alive.
#[derive(Clone)]
pub struct Spawner {
    table: Weak<RefCell<TaskTable>>,
}

impl fmt::Debug for Spawner {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.debug_struct("Spawner").finish_non_exhaustive()
    }
}

impl Spawner {
    /// Adds a task; it first runs at the next turn of the executor's run loop.
    pub fn spawn(&self, future: impl Future<Output = ()> + 'static) -> Result<TaskId, SpawnError> {
        let table = self.table.upgrade().ok_or(SpawnError::ExecutorGone)?;
        spawn_into(&table, future)
    }

    /// Whether a task spawned now would find a free slot (false once the executor is gone).
    pub fn has_room(&self) -> bool {
        self.table
            .upgrade()
            .is_some_and(|table| table.borrow().has_room())
    }
}

fn spawn_into(
    table: &RefCell<TaskTable>,
    future: impl Future<Output = ()> + 'static,
) -> Result<TaskId, SpawnError> {
    // Never borrowed while user code runs (see `Executor::poll_task`), so this cannot fail.
    table
        .borrow_mut()
        .insert(Box::pin(future))
        .ok_or(SpawnError::TooManyTasks)
}

/// The waker of the future given to [`Executor::block_on`], which is not a task.
struct MainWaker {
    woken: AtomicBool,
}

impl Wake for MainWaker {
    fn wake(self: Arc<Self>) {
        self.woken.store(true, Ordering::Release);
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.woken.store(true, Ordering::Release);
    }
}

#[cfg(test)]
mod tests;
