//! The server: a router and a configuration, making connections and refusing extra ones.
use crate::configuration::Configuration;
use crate::connection::Connection;
use crate::route::Router;

/// The bytes sent to a connection beyond [`Configuration::max_connections`]: the same bytes
/// [`Response::SERVICE_UNAVAILABLE`](crate::Response::SERVICE_UNAVAILABLE) would produce with
/// `Connection: close` (a unit test keeps them equal).
const OVERLOADED: &[u8] = b"HTTP/1.1 503 Service Unavailable\r\n\
Server: SauceOS\r\n\
Content-Type: text/plain; charset=utf-8\r\n\
Content-Length: 20\r\n\
Retry-After: 1\r\n\
Connection: close\r\n\
\r\n\
Service Unavailable\n";

/// An HTTP server: the routes of the image and the limits every connection keeps.
#[derive(Clone, Copy, Debug)]
pub struct Server {
    router: Router,
    configuration: Configuration,
    /// Wall-clock Unix milliseconds at the glue's `now_ms` 0: responses carry `Date`.
    wall_offset_ms: Option<u64>,
}

impl Server {
    /// A server answering with `router` within `configuration`'s limits.
    pub const fn new(router: Router, configuration: Configuration) -> Server {
        Server {
            router,
            configuration,
            wall_offset_ms: None,
        }
    }

    /// The same server knowing the wall clock: Unix milliseconds at the glue's `now_ms` 0
    /// (the image's boot). Every response then carries a `Date` header.
    pub const fn with_wall_clock(self, offset_ms: u64) -> Server {
        Server {
            wall_offset_ms: Some(offset_ms),
            ..self
        }
    }

    /// The routes.
    pub const fn router(&self) -> &Router {
        &self.router
    }

    /// The limits.
    pub const fn configuration(&self) -> &Configuration {
        &self.configuration
    }

    /// Whether a new connection may be served while `open_connections` are; if not, the glue
    /// sends [`reject_overloaded`](Self::reject_overloaded) on it and closes it.
    pub const fn accepts(&self, open_connections: usize) -> bool {
        open_connections < self.configuration.max_connections
    }

    /// The state machine for a connection accepted at `now_ms`.
    pub fn connection(&self, now_ms: u64) -> Connection {
        Connection::new(self.router, self.configuration, now_ms)
            .with_wall_clock(self.wall_offset_ms)
    }

    /// A complete `503 Service Unavailable` response with `Connection: close`, pre-formatted:
    /// sending it needs no state and no allocation.
    pub const fn reject_overloaded() -> &'static [u8] {
        OVERLOADED
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emit::{self, ConnectionHeader, Reply};
    use crate::output::Output;
    use crate::response::Response;

    #[test]
    fn overloaded_bytes_match_the_formatter() {
        let mut output = Output::default();
        let reply = Reply::of(&Response::SERVICE_UNAVAILABLE);
        emit::write_response(
            &mut output,
            &reply,
            true,
            ConnectionHeader::Close,
            &[],
            &[],
            usize::MAX,
        )
        .unwrap();
        let mut bytes = [0u8; 512];
        let length = output.write_to(&mut bytes);
        assert_eq!(&bytes[..length], Server::reject_overloaded());
    }

    #[test]
    fn admits_up_to_the_configured_maximum() {
        let configuration = Configuration {
            max_connections: 2,
            ..Configuration::DEFAULT
        };
        let server = Server::new(Router::new(&[]), configuration);
        assert!(server.accepts(1));
        assert!(!server.accepts(2));
    }
}
