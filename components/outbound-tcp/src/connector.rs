//! [`TcpConnector`]: the handle tasks open connections and resolve names with.
use core::future::poll_fn;
use core::task::Poll;

use smoltcp::wire::{IpAddress, IpEndpoint, Ipv4Address};

use crate::error::ConnectError;
use crate::shared::{LookupPhase, Phase, SharedState};
use crate::stream::{SlotGuard, TcpStream};
use crate::Limits;

/// Opens outbound connections through the [`OutboundService`](crate::OutboundService) it was
/// made with; cheap to clone (all clones share the service), `Send + Sync`.
#[derive(Clone)]
pub struct TcpConnector {
    pub(crate) shared: SharedState,
}

impl core::fmt::Debug for TcpConnector {
    fn fmt(&self, formatter: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        formatter
            .debug_struct("TcpConnector")
            .field("limits", &self.limits())
            .finish_non_exhaustive()
    }
}

impl TcpConnector {
    /// The bounds and timeouts the service keeps.
    pub fn limits(&self) -> Limits {
        self.shared.lock().limits
    }

    /// Opens a connection to `address`:`port`, within the service's connect timeout.
    pub async fn connect_to(
        &self,
        address: Ipv4Address,
        port: u16,
    ) -> Result<TcpStream, ConnectError> {
        if port == 0 || address.is_unspecified() {
            return Err(ConnectError::Unaddressable);
        }
        let remote = IpEndpoint::new(IpAddress::Ipv4(address), port);
        let index = {
            let mut shared = self.shared.lock();
            if !shared.running {
                return Err(ConnectError::NotRunning);
            }
            let limits = shared.limits;
            let index = shared
                .slots
                .iter()
                .position(|slot| slot.phase == Phase::Free)
                .ok_or(ConnectError::TooManyConnections)?;
            shared.slots[index].claim(remote, &limits)?;
            shared.wake_loop();
            index
        };
        // From here on, dropping the guard (this future cancelled, or the connection failed)
        // gives the slot back through the service.
        let guard = SlotGuard::new(self.shared.clone(), index);
        poll_fn(|context| {
            let mut shared = self.shared.lock();
            let slot = &mut shared.slots[index];
            match slot.phase {
                Phase::Open => Poll::Ready(Ok(())),
                Phase::Failed(error) => Poll::Ready(Err(error)),
                _ => {
                    slot.waker = Some(context.waker().clone());
                    Poll::Pending
                }
            }
        })
        .await?;
        Ok(TcpStream::new(guard, remote))
    }

    /// The first IPv4 address of `name` from the DNS servers, within the service's resolve
    /// timeout; an address written out (`"10.0.2.2"`) is returned as it is.
    pub async fn resolve(&self, name: &str) -> Result<Ipv4Address, ConnectError> {
        if let Ok(address) = name.parse::<Ipv4Address>() {
            return Ok(address);
        }
        let index = {
            let mut shared = self.shared.lock();
            if !shared.running {
                return Err(ConnectError::NotRunning);
            }
            if !shared.has_dns_server {
                return Err(ConnectError::NoDnsServer);
            }
            let index = shared
                .lookups
                .iter()
                .position(|lookup| matches!(lookup.phase, LookupPhase::Free))
                .ok_or(ConnectError::TooManyLookups)?;
            let mut text = alloc::string::String::new();
            text.try_reserve_exact(name.len())
                .map_err(|_| ConnectError::OutOfMemory)?;
            text.push_str(name);
            shared.lookups[index].phase = LookupPhase::Requested { name: text };
            shared.wake_loop();
            index
        };
        let guard = LookupGuard {
            shared: &self.shared,
            index,
        };
        let answer = poll_fn(|context| {
            let mut shared = self.shared.lock();
            let lookup = &mut shared.lookups[index];
            match &lookup.phase {
                LookupPhase::Done(answer) => {
                    let answer = *answer;
                    lookup.phase = LookupPhase::Free;
                    Poll::Ready(answer)
                }
                _ => {
                    lookup.waker = Some(context.waker().clone());
                    Poll::Pending
                }
            }
        })
        .await;
        core::mem::forget(guard);
        answer
    }
}

impl sauce_connect::Connector for TcpConnector {
    type Stream = TcpStream;
    type Error = ConnectError;

    /// Connects to `host` (an IPv4 address, or a name resolved first) on `port`.
    async fn connect(&self, host: &str, port: u16) -> Result<TcpStream, ConnectError> {
        let address = self.resolve(host).await?;
        self.connect_to(address, port).await
    }
}

/// Gives a lookup's slot back when its future is dropped before the answer.
struct LookupGuard<'a> {
    shared: &'a SharedState,
    index: usize,
}

impl Drop for LookupGuard<'_> {
    fn drop(&mut self) {
        let mut shared = self.shared.lock();
        let lookup = &mut shared.lookups[self.index];
        lookup.waker = None;
        lookup.phase = match core::mem::replace(&mut lookup.phase, LookupPhase::Free) {
            LookupPhase::Started(query) => LookupPhase::Abandoned(Some(query)),
            LookupPhase::Requested { .. } | LookupPhase::Done(_) | LookupPhase::Free => {
                LookupPhase::Free
            }
            abandoned @ LookupPhase::Abandoned(_) => abandoned,
        };
        shared.wake_loop();
    }
}
