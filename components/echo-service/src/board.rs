//! The echo-service component's contract with the board: takes `heap`, provides a
//! `network-service` for the `tcp-ip` component to run.
use sauce_core::memory::HeapMonitor;

pub use crate::Configuration;
use crate::EchoService;

/// The service, its pool sized from the heap's share for one of `services` network services.
pub fn init(
    heap: &'static dyn HeapMonitor,
    services: usize,
    configuration: Configuration,
) -> EchoService {
    let budget = sauce_tcp_ip::board::heap_share(heap, services);
    EchoService::new(configuration, budget)
}
