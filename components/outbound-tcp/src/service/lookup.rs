//! One lookup slot, one turn: start the DNS query, take its answer, or give up at the deadline.
use sauce_tcp_ip::{Activity, Sockets};
use smoltcp::iface::SocketHandle;
use smoltcp::socket::dns::{self, GetQueryResultError, StartQueryError};
use smoltcp::wire::{DnsQueryType, IpAddress};

use crate::error::ConnectError;
use crate::shared::{Lookup, LookupPhase};

/// The DNS socket, if the service has one, and whether it has servers to ask now.
pub(super) struct Resolver {
    pub socket: Option<SocketHandle>,
    /// False while the configuration leaves the servers to a lease that named none yet: new
    /// lookups fail at once (queries under way are still followed and cancelled).
    pub has_servers: bool,
}

/// Serves one lookup; `deadline` is the service's for it.
pub(super) fn serve(
    lookup: &mut Lookup,
    deadline: &mut Option<u64>,
    resolver: Resolver,
    sockets: &mut Sockets<'_>,
    now_ms: u64,
    timeout_ms: u64,
) -> Activity {
    let finish = |lookup: &mut Lookup, deadline: &mut Option<u64>, answer| {
        lookup.phase = LookupPhase::Done(answer);
        *deadline = None;
        if let Some(waker) = lookup.waker.take() {
            waker.wake();
        }
        Activity {
            progressed: true,
            deadline_ms: None,
        }
    };
    let dns_socket = resolver.socket;
    match &lookup.phase {
        LookupPhase::Free | LookupPhase::Done(_) => Activity::default(),
        LookupPhase::Abandoned(query) => {
            if let (Some(query), Some(handle)) = (query, dns_socket) {
                sockets.get_mut::<dns::Socket>(handle).cancel_query(*query);
            }
            lookup.phase = LookupPhase::Free;
            *deadline = None;
            Activity::default()
        }
        LookupPhase::Requested { name } => {
            let Some(handle) = dns_socket.filter(|_| resolver.has_servers) else {
                return finish(lookup, deadline, Err(ConnectError::NoDnsServer));
            };
            let (interface, set) = sockets.interface_and_set();
            let started = set.get_mut::<dns::Socket>(handle).start_query(
                interface.context(),
                name,
                DnsQueryType::A,
            );
            match started {
                Ok(query) => {
                    lookup.phase = LookupPhase::Started(query);
                    let at = now_ms.saturating_add(timeout_ms);
                    *deadline = Some(at);
                    Activity {
                        progressed: true,
                        deadline_ms: Some(at),
                    }
                }
                Err(StartQueryError::NoFreeSlot) => {
                    finish(lookup, deadline, Err(ConnectError::TooManyLookups))
                }
                Err(StartQueryError::InvalidName | StartQueryError::NameTooLong) => {
                    finish(lookup, deadline, Err(ConnectError::InvalidName))
                }
            }
        }
        LookupPhase::Started(query) => {
            let query = *query;
            let Some(handle) = dns_socket else {
                return finish(lookup, deadline, Err(ConnectError::NoDnsServer));
            };
            let socket = sockets.get_mut::<dns::Socket>(handle);
            match socket.get_query_result(query) {
                Ok(addresses) => {
                    let first = addresses.iter().find_map(|address| match address {
                        IpAddress::Ipv4(address) => Some(*address),
                        #[allow(unreachable_patterns)]
                        _ => None,
                    });
                    finish(lookup, deadline, first.ok_or(ConnectError::NameNotFound))
                }
                Err(GetQueryResultError::Failed) => {
                    finish(lookup, deadline, Err(ConnectError::NameNotFound))
                }
                Err(GetQueryResultError::Pending) => {
                    let at = deadline.unwrap_or(now_ms);
                    if now_ms >= at {
                        socket.cancel_query(query);
                        finish(lookup, deadline, Err(ConnectError::ResolveTimedOut))
                    } else {
                        Activity {
                            progressed: false,
                            deadline_ms: Some(at),
                        }
                    }
                }
            }
        }
    }
}
