//! Reading requests: heads parsed in place or gathered across calls, bodies discarded (or
//! kept for the app).
use super::{Connection, State};
use crate::exchange::Exchange;
use crate::head;
use crate::syntax;

impl Connection {
    /// Body bytes of the request being read: counted and discarded; the response is queued
    /// once the last one arrived.
    pub(super) fn receive_body(&mut self, rest: &[u8]) -> usize {
        let State::Body {
            remaining,
            exchange,
            started_ms,
            received,
        } = self.state
        else {
            return 0;
        };
        let count = usize::try_from(remaining)
            .unwrap_or(usize::MAX)
            .min(rest.len());
        let remaining = remaining - count as u64;
        if remaining == 0 {
            self.finish(exchange);
        } else {
            self.state = State::Body {
                remaining,
                exchange,
                started_ms,
                received: received.saturating_add(count as u64),
            };
        }
        count
    }

    /// Body bytes of a request for the app: kept; once the last arrived the request is ready.
    pub(super) fn receive_app_body(&mut self, rest: &[u8]) -> usize {
        let State::AppBody {
            remaining,
            exchange,
            started_ms,
            received,
        } = self.state
        else {
            return 0;
        };
        let count = usize::try_from(remaining)
            .unwrap_or(usize::MAX)
            .min(rest.len());
        if let Some(request) = self.app_request.as_mut() {
            // Within the capacity reserved for the whole body.
            request.body.extend_from_slice(&rest[..count]);
        }
        let remaining = remaining - count as u64;
        if remaining == 0 {
            self.app_request_ready = true;
            self.state = State::AwaitingApp { exchange };
        } else {
            self.state = State::AppBody {
                remaining,
                exchange,
                started_ms,
                received: received.saturating_add(count as u64),
            };
        }
        count
    }

    /// A head was parsed: the app's, or the server's to answer.
    fn begin(&mut self, exchange: Exchange, head: &[u8]) {
        if exchange.app {
            self.start_app(exchange, head);
        } else if exchange.reply.moved_to_folder {
            self.redirect_to_folder(exchange, head);
        } else {
            self.start(exchange);
        }
    }

    /// A head starting in `rest` with nothing buffered: parsed in place when complete.
    pub(super) fn receive_head_directly(&mut self, rest: &[u8], now_ms: u64) -> usize {
        let skipped = rest
            .iter()
            .take_while(|byte| matches!(byte, b'\r' | b'\n'))
            .count();
        if skipped > 0 {
            return skipped; // empty lines before a request line are ignored (RFC 9112 §2.2)
        }
        self.request_started_ms.get_or_insert(now_ms);
        let limit = self.configuration.header_limit;
        let window = rest.get(..limit).unwrap_or(rest);
        let head_end = syntax::find_head_end(window, 0);
        // A complete head's request line is checked with the head; an incomplete one's at
        // once, so an HTTP/0.9 `GET /` gets its 400 without waiting for a blank line.
        if head_end.is_err() {
            if let Some(error) = head::reject_request_line(window) {
                self.finish(Exchange::closing_error(error.status()));
                return rest.len();
            }
        }
        match head_end {
            Ok(end) => {
                let head = window.get(..end).unwrap_or(window);
                let parsed = head::parse_complete_head(head, &self.configuration);
                let exchange = Exchange::for_head(parsed, &self.router, &self.configuration);
                self.begin(exchange, head);
                end
            }
            Err(_) if rest.len() >= limit => {
                self.finish(Exchange::closing_error(431));
                rest.len()
            }
            Err(resume) => {
                // The whole limit at once, exactly: the buffer never grows past it, so this is
                // the connection's only allocation for input, and it may fail.
                if self.head_buffer.capacity() < limit
                    && self.head_buffer.try_reserve_exact(limit).is_err()
                {
                    self.out_of_memory();
                    return rest.len();
                }
                self.head_buffer.extend_from_slice(rest);
                self.request_line_checked = rest.contains(&b'\n');
                self.scan_resume = resume;
                rest.len()
            }
        }
    }

    /// More bytes of a head already partly in `head_buffer`.
    pub(super) fn receive_head_buffered(&mut self, rest: &[u8]) -> usize {
        let space = self
            .configuration
            .header_limit
            .saturating_sub(self.head_buffer.len());
        let chunk = rest.get(..space).unwrap_or(rest);
        let previous_length = self.head_buffer.len();
        self.head_buffer.extend_from_slice(chunk);
        if !self.request_line_checked && chunk.contains(&b'\n') {
            self.request_line_checked = true;
            if let Some(error) = head::reject_request_line(&self.head_buffer) {
                self.finish(Exchange::closing_error(error.status()));
                return chunk.len();
            }
        }
        match syntax::find_head_end(&self.head_buffer, self.scan_resume) {
            Ok(end) => {
                let head = self.head_buffer.get(..end).unwrap_or_default();
                let parsed = head::parse_complete_head(head, &self.configuration);
                let exchange = Exchange::for_head(parsed, &self.router, &self.configuration);
                let buffered = core::mem::take(&mut self.head_buffer);
                self.scan_resume = 0;
                self.begin(exchange, buffered.get(..end).unwrap_or_default());
                // The buffer (and its reserved capacity) is kept for the next head.
                self.head_buffer = buffered;
                self.head_buffer.clear();
                end.saturating_sub(previous_length)
            }
            Err(_) if self.head_buffer.len() >= self.configuration.header_limit => {
                self.finish(Exchange::closing_error(431));
                chunk.len()
            }
            Err(resume) => {
                self.scan_resume = resume;
                chunk.len()
            }
        }
    }
}
