//! The folder redirect: `301` to the request's path with a trailing slash, query kept.
use super::Connection;
use crate::emit::ConnectionHeader;
use crate::exchange::Exchange;
use crate::path;

impl Connection {
    /// `exchange` answers a folder's path that lacks its trailing slash: its 301 is queued now,
    /// with `Location` built from the target in `head` (the raw path, escapes kept, then `/`,
    /// then the query if any). A request with a body closes the connection after the answer
    /// instead of reading the body (RFC 9112 §9.6 lets a server close; `Location` must be
    /// written while the head is at hand, and nothing else keeps it).
    pub(super) fn redirect_to_folder(&mut self, mut exchange: Exchange, head: &[u8]) {
        let request_line = head.split(|byte| *byte == b'\n').next().unwrap_or_default();
        let target = request_line
            .split(|byte| *byte == b' ')
            .nth(1)
            .unwrap_or_default();
        let path = path::target_path(target);
        let query = target
            .iter()
            .position(|byte| *byte == b'?')
            .and_then(|mark| target.get(mark..))
            .unwrap_or_default();
        if exchange.body_length > 0 {
            exchange.keep_alive = false;
            exchange.connection = ConnectionHeader::Close;
        }
        let location: [&[u8]; 5] = [b"Location: ", path, b"/", query, b"\r\n"];
        self.finish_with_location(exchange, &location);
    }
}
