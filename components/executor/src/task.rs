//! Tasks: their identity, the table that holds them and the wakers that queue them.
//!
//! Each task owns an `Arc<TaskWaker>` holding its slot index and a `queued` flag. Waking sets
//! the flag and, only if it was clear, pushes the index into the lock-free ready queue: a task
//! is never queued twice, so the queue (sized for every slot) never overflows. The executor
//! clears the flag just before polling, so a wake during the poll queues the task again.
//!
//! When a task finishes, its flag is set for good, so stale wakers (held by timers or signals)
//! never queue anything again. If the flag was already set, the slot's index is still in the
//! queue: the slot stays a "zombie" until that entry is popped, so a new task never inherits
//! a stale queue entry.

use alloc::boxed::Box;
use alloc::sync::Arc;
use alloc::task::Wake;
use alloc::vec::Vec;
use core::fmt;
use core::future::Future;
use core::pin::Pin;
use core::sync::atomic::{AtomicBool, Ordering};
use core::task::{Context, Poll, Waker};

use crossbeam_queue::ArrayQueue;

/// A boxed task body.
pub(crate) type TaskFuture = Pin<Box<dyn Future<Output = ()>>>;

/// Identifies a spawned task; never reused within one executor.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TaskId(u64);

impl TaskId {
    /// The task's number: tasks are numbered from zero in spawn order.
    pub const fn as_u64(self) -> u64 {
        self.0
    }
}

impl fmt::Display for TaskId {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "task {}", self.0)
    }
}

/// The queue of slot indices whose tasks are ready to be polled.
pub(crate) type ReadyQueue = ArrayQueue<usize>;

/// The shared part of a task that its wakers point to.
pub(crate) struct TaskWaker {
    index: usize,
    queued: AtomicBool,
    ready: Arc<ReadyQueue>,
}

impl TaskWaker {
    /// Queues the task unless it is queued already. Lock-free and allocation-free, so safe in
    /// an interrupt handler.
    fn schedule(&self) {
        if !self.queued.swap(true, Ordering::AcqRel) {
            let pushed = self.ready.push(self.index).is_ok();
            debug_assert!(pushed, "ready queue sized for every slot overflowed");
        }
    }
}

impl Wake for TaskWaker {
    fn wake(self: Arc<Self>) {
        self.schedule();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.schedule();
    }
}

struct Task {
    id: TaskId,
    /// `None` while the executor is polling it.
    future: Option<TaskFuture>,
    shared: Arc<TaskWaker>,
    waker: Waker,
}

enum Slot {
    Empty,
    Live(Task),
    /// Finished, but its index is still in the ready queue.
    Zombie,
}

/// All tasks of one executor, in a fixed number of slots.
pub(crate) struct TaskTable {
    slots: Vec<Slot>,
    empty_slots: Vec<usize>,
    live: usize,
    next_id: u64,
    ready: Arc<ReadyQueue>,
}

impl TaskTable {
    pub(crate) fn new(max_tasks: usize, ready: Arc<ReadyQueue>) -> Self {
        Self {
            slots: (0..max_tasks).map(|_| Slot::Empty).collect(),
            empty_slots: (0..max_tasks).rev().collect(),
            live: 0,
            next_id: 0,
            ready,
        }
    }

    /// Number of tasks that have not finished.
    pub(crate) fn live(&self) -> usize {
        self.live
    }

    /// Whether a slot is free for a new task.
    pub(crate) fn has_room(&self) -> bool {
        !self.empty_slots.is_empty()
    }

    /// Stores a new task and queues it for its first poll; `None` when every slot is taken.
    pub(crate) fn insert(&mut self, future: TaskFuture) -> Option<TaskId> {
        let index = self.empty_slots.pop()?;
        let id = TaskId(self.next_id);
        self.next_id += 1;
        let shared = Arc::new(TaskWaker {
            index,
            queued: AtomicBool::new(false),
            ready: self.ready.clone(),
        });
        let waker = Waker::from(shared.clone());
        shared.schedule();
        self.slots[index] = Slot::Live(Task {
            id,
            future: Some(future),
            shared,
            waker,
        });
        self.live += 1;
        Some(id)
    }

    /// Takes out the future of the task in `index` for polling, with its waker. `None` for a
    /// zombie (which this turns into an empty slot) or an empty slot.
    pub(crate) fn start_poll(&mut self, index: usize) -> Option<(TaskFuture, Waker)> {
        let slot = self.slots.get_mut(index)?;
        match slot {
            Slot::Live(task) => {
                task.shared.queued.store(false, Ordering::Release);
                Some((task.future.take()?, task.waker.clone()))
            }
            Slot::Zombie => {
                *slot = Slot::Empty;
                self.empty_slots.push(index);
                None
            }
            Slot::Empty => None,
        }
    }

    /// Puts back the future of a task that returned `Pending`.
    pub(crate) fn end_poll(&mut self, index: usize, future: TaskFuture) {
        if let Some(Slot::Live(task)) = self.slots.get_mut(index) {
            task.future = Some(future);
        }
    }

    /// Removes a task that returned `Ready` (its future already dropped by the caller).
    pub(crate) fn finish(&mut self, index: usize) -> Option<TaskId> {
        let slot = self.slots.get_mut(index)?;
        let Slot::Live(task) = core::mem::replace(slot, Slot::Empty) else {
            return None;
        };
        self.live -= 1;
        if task.shared.queued.swap(true, Ordering::AcqRel) {
            *slot = Slot::Zombie;
        } else {
            self.empty_slots.push(index);
        }
        Some(task.id)
    }
}

/// Completes after letting every other ready task run once.
pub fn yield_now() -> YieldNow {
    YieldNow { yielded: false }
}

/// The future of [`yield_now`].
#[derive(Debug)]
#[must_use = "futures do nothing unless awaited"]
pub struct YieldNow {
    yielded: bool,
}

impl Future for YieldNow {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<()> {
        if self.yielded {
            return Poll::Ready(());
        }
        self.yielded = true;
        context.waker().wake_by_ref();
        Poll::Pending
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(slots: usize) -> (TaskTable, Arc<ReadyQueue>) {
        let ready = Arc::new(ArrayQueue::new(slots + 1));
        (TaskTable::new(slots, ready.clone()), ready)
    }

    #[test]
    fn wakes_queue_a_task_once() {
        let (mut table, ready) = table(2);
        let id = table.insert(Box::pin(async {})).unwrap();
        assert_eq!(id.as_u64(), 0);
        assert_eq!(ready.len(), 1, "queued for its first poll");
        let index = ready.pop().unwrap();
        let (future, waker) = table.start_poll(index).unwrap();
        waker.wake_by_ref();
        waker.wake_by_ref();
        let clone = waker.clone();
        clone.wake();
        assert_eq!(ready.len(), 1, "three wakes, one entry");
        table.end_poll(index, future);
        assert_eq!(table.live(), 1);
    }

    #[test]
    fn a_finished_task_still_queued_leaves_a_zombie() {
        let (mut table, ready) = table(1);
        table.insert(Box::pin(async {})).unwrap();
        let index = ready.pop().unwrap();
        let (future, waker) = table.start_poll(index).unwrap();
        waker.wake_by_ref();
        drop(future);
        assert_eq!(table.finish(index).map(TaskId::as_u64), Some(0));
        assert!(
            table.insert(Box::pin(async {})).is_none(),
            "the zombie keeps its slot"
        );
        assert!(
            table.start_poll(ready.pop().unwrap()).is_none(),
            "popping frees the zombie"
        );
        waker.wake_by_ref();
        assert!(ready.is_empty(), "stale wakers queue nothing");
        let second = table.insert(Box::pin(async {})).unwrap();
        assert_eq!(second.as_u64(), 1);
        assert_eq!(second.to_string(), "task 1");
    }
}
