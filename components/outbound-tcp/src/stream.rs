//! [`TcpStream`]: an open connection as `sauce_connect::Read + Write`, over the two buffers
//! its slot shares with the service.
use core::future::poll_fn;
use core::task::Poll;

use smoltcp::wire::IpEndpoint;

use crate::error::StreamError;
use crate::shared::{Phase, SharedState, Shutdown, Slot};

/// Owns a connection slot: when dropped, the slot is left to the service to close (gracefully
/// or not) and free.
pub(crate) struct SlotGuard {
    shared: SharedState,
    index: usize,
    graceful: bool,
}

impl SlotGuard {
    pub fn new(shared: SharedState, index: usize) -> SlotGuard {
        SlotGuard {
            shared,
            index,
            graceful: false,
        }
    }

    /// Runs `work` on the slot, under the lock; raises the loop's signal when it returns true.
    fn with_slot<T>(&self, work: impl FnOnce(&mut Slot) -> (T, bool)) -> T {
        let mut shared = self.shared.lock();
        let (result, wake_loop) = work(&mut shared.slots[self.index]);
        if wake_loop {
            shared.wake_loop();
        }
        result
    }
}

impl Drop for SlotGuard {
    fn drop(&mut self) {
        let graceful = self.graceful;
        self.with_slot(|slot| {
            slot.waker = None;
            slot.phase = match slot.phase {
                // Opened and kept: close it as asked.
                Phase::Open => Phase::Abandoned { graceful },
                // Cancelled while connecting, or failed: reset whatever the socket holds.
                _ => Phase::Abandoned { graceful: false },
            };
            ((), true)
        });
    }
}

/// An open outbound TCP connection.
///
/// Reads and writes are cancel-safe: one dropped before it completes moved no byte. Dropping
/// the stream closes it gracefully (rule 5 of the crate); [`abort`](Self::abort) resets it.
pub struct TcpStream {
    guard: SlotGuard,
    remote: IpEndpoint,
}

impl core::fmt::Debug for TcpStream {
    fn fmt(&self, formatter: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        formatter
            .debug_struct("TcpStream")
            .field("remote", &self.remote)
            .field("slot", &self.guard.index)
            .finish()
    }
}

impl TcpStream {
    pub(crate) fn new(mut guard: SlotGuard, remote: IpEndpoint) -> TcpStream {
        guard.graceful = true;
        TcpStream { guard, remote }
    }

    /// The server's address and port.
    pub fn remote(&self) -> IpEndpoint {
        self.remote
    }

    /// Shuts the connection down for writing: completes once every byte written before is
    /// handed to TCP and the FIN is queued after them. Reading goes on until the server closes.
    pub async fn shutdown(&mut self) -> Result<(), StreamError> {
        let guard = &self.guard;
        poll_fn(|context| {
            guard.with_slot(|slot| {
                if slot.reset {
                    return (Poll::Ready(Err(StreamError::Reset)), false);
                }
                match slot.shutdown {
                    Shutdown::Sent => (Poll::Ready(Ok(())), false),
                    Shutdown::Requested => {
                        slot.waker = Some(context.waker().clone());
                        (Poll::Pending, false)
                    }
                    Shutdown::Open => {
                        slot.shutdown = Shutdown::Requested;
                        slot.waker = Some(context.waker().clone());
                        (Poll::Pending, true)
                    }
                }
            })
        })
        .await
    }

    /// Resets the connection at once (RST): bytes not yet sent are dropped.
    pub fn abort(mut self) {
        self.guard.graceful = false;
    }
}

impl sauce_connect::ErrorType for TcpStream {
    type Error = StreamError;
}

impl sauce_connect::Read for TcpStream {
    /// Reads what has arrived, waiting for at least one byte; `Ok(0)` once the server closed
    /// and everything before its FIN was read (or when `buffer` is empty).
    async fn read(&mut self, buffer: &mut [u8]) -> Result<usize, StreamError> {
        if buffer.is_empty() {
            return Ok(0);
        }
        let guard = &self.guard;
        poll_fn(|context| {
            guard.with_slot(|slot| {
                if !slot.incoming.is_empty() {
                    let count = buffer.len().min(slot.incoming.len());
                    for (target, byte) in buffer.iter_mut().zip(slot.incoming.drain(..count)) {
                        *target = byte;
                    }
                    // Room freed: the service may take more from the socket.
                    return (Poll::Ready(Ok(count)), true);
                }
                if slot.reset {
                    (Poll::Ready(Err(StreamError::Reset)), false)
                } else if slot.peer_closed {
                    (Poll::Ready(Ok(0)), false)
                } else {
                    slot.waker = Some(context.waker().clone());
                    (Poll::Pending, false)
                }
            })
        })
        .await
    }
}

impl sauce_connect::Write for TcpStream {
    /// Copies as much of `buffer` as the outgoing buffer holds, waiting for room for at least
    /// one byte; the service hands it to TCP on its next turn.
    async fn write(&mut self, buffer: &[u8]) -> Result<usize, StreamError> {
        if buffer.is_empty() {
            return Ok(0);
        }
        let guard = &self.guard;
        let capacity = guard.shared.lock().limits.send_buffer;
        poll_fn(|context| {
            guard.with_slot(|slot| {
                if slot.reset {
                    return (Poll::Ready(Err(StreamError::Reset)), false);
                }
                if slot.shutdown != Shutdown::Open {
                    return (Poll::Ready(Err(StreamError::WriteAfterShutdown)), false);
                }
                let room = capacity.saturating_sub(slot.outgoing.len());
                if room == 0 {
                    slot.waker = Some(context.waker().clone());
                    return (Poll::Pending, false);
                }
                let count = room.min(buffer.len());
                slot.outgoing.extend(&buffer[..count]);
                (Poll::Ready(Ok(count)), true)
            })
        })
        .await
    }

    /// Completes once every byte written is handed to TCP (in the socket's send buffer, sent
    /// as the window allows).
    async fn flush(&mut self) -> Result<(), StreamError> {
        let guard = &self.guard;
        poll_fn(|context| {
            guard.with_slot(|slot| {
                if slot.reset {
                    (Poll::Ready(Err(StreamError::Reset)), false)
                } else if slot.outgoing.is_empty() {
                    (Poll::Ready(Ok(())), false)
                } else {
                    slot.waker = Some(context.waker().clone());
                    (Poll::Pending, true)
                }
            })
        })
        .await
    }
}
