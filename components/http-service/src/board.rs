//! The http-service component's contract with the board: takes `http-server` and `heap`,
//! provides a `network-service` for the `tcp-ip` component to run.
use sauce_core::memory::HeapMonitor;
use sauce_http_server::Server;

use crate::report::LogLine;
use crate::{HttpService, Limits};

/// `[config.*]` of component.toml: the generated board fills every field from the
/// manifest's defaults or the intent's `[http]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Configuration {
    /// The TCP port served (`[http] port`).
    pub port: u16,
    /// Each socket's receive buffer.
    pub receive_buffer: usize,
    /// Each socket's send buffer: response bytes in flight per connection.
    pub send_buffer: usize,
    /// Connections one peer address may hold at once (0: no separate cap).
    pub connections_per_peer: usize,
}

impl Configuration {
    /// component.toml's defaults.
    pub const DEFAULT: Configuration = Configuration {
        port: 80,
        receive_buffer: crate::service::DEFAULT_RECEIVE_BUFFER,
        send_buffer: crate::service::DEFAULT_SEND_BUFFER,
        connections_per_peer: 0,
    };
}

/// The service of `server`, its pool sized from the heap's share for one of `services`
/// network services: every buffer of every socket fits at once, so no client can exhaust the
/// heap (docs/design/0012). It logs its counters through `log` once a second when they
/// change. The app's requests go to `app` (`app-dispatch`, when the image has app code).
pub fn init(
    server: Server,
    heap: &'static dyn HeapMonitor,
    services: usize,
    configuration: Configuration,
    log: LogLine,
    app: Option<alloc::boxed::Box<dyn crate::app::AppDispatch>>,
) -> HttpService {
    let budget = sauce_tcp_ip::board::heap_share(heap, services);
    let limits = Limits::for_memory_of(
        &server,
        configuration.receive_buffer,
        configuration.send_buffer,
        budget,
    )
    .with_connections_per_peer(configuration.connections_per_peer);
    let service = HttpService::with_limits(server, configuration.port, limits)
        .with_buffer_sizes(configuration.receive_buffer, configuration.send_buffer)
        .with_report(log, heap);
    match app {
        Some(app) => service.with_app(app),
        None => service,
    }
}
