//! One TCP connection's HTTP state machine: bytes and time in, response bytes out.
use alloc::vec::Vec;

use crate::configuration::Configuration;
use crate::emit;
use crate::exchange::Exchange;
use crate::output::Output;
use crate::route::Router;

mod receiving;

/// What [`Connection::poll`] found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Events {
    /// A timeout fired in this call: a 408 was queued, or an idle connection is closing.
    pub timed_out: bool,
    /// [`Connection::transmit`] has bytes.
    pub transmit_pending: bool,
    /// The glue should close the socket now ([`Connection::wants_close`]).
    pub wants_close: bool,
    /// The time by which `poll` must be called again; `None` once the connection is closing.
    pub deadline_ms: Option<u64>,
}

#[derive(Clone, Copy, Debug)]
enum State {
    /// Reading a request head (possibly split over several `receive` calls).
    Head,
    /// Discarding `remaining` body bytes, then queueing the exchange's response.
    Body { remaining: u64, exchange: Exchange },
}

/// The HTTP/1.1 server side of one TCP connection, sans-IO.
///
/// On every wake-up of its socket the glue repeats, until neither moves a byte:
/// [`receive`](Self::receive) with the socket's received bytes (dequeuing only what was
/// taken), then [`transmit`](Self::transmit) + [`consumed`](Self::consumed) (or
/// [`write_to`](Self::write_to)) into the socket's send buffer. Then it calls
/// [`poll`](Self::poll), sleeps until [`Events::deadline_ms`] at the latest, and closes the
/// socket once [`wants_close`](Self::wants_close) says so.
#[derive(Debug)]
pub struct Connection {
    router: Router,
    configuration: Configuration,
    state: State,
    /// A request head split across `receive` calls; empty between heads. Its capacity is kept.
    head_buffer: Vec<u8>,
    /// Where to resume looking for the end of the head in `head_buffer`.
    scan_resume: usize,
    output: Output,
    /// When the first byte of the request being read arrived.
    request_started_ms: Option<u64>,
    /// When bytes last moved in either direction.
    last_progress_ms: u64,
    /// The latest time the glue reported, in `receive` or `poll`: transmitting counts as
    /// progress at this time (never later than the real time, so timeouts are never late).
    clock_ms: u64,
    /// No request will be read any more; close once the output is transmitted.
    closing: bool,
}

impl Connection {
    /// A connection accepted at `now_ms`, serving `router` within `configuration`'s limits.
    pub fn new(router: Router, configuration: Configuration, now_ms: u64) -> Connection {
        Connection {
            router,
            configuration,
            state: State::Head,
            head_buffer: Vec::new(),
            scan_resume: 0,
            output: Output::default(),
            request_started_ms: None,
            last_progress_ms: now_ms,
            clock_ms: now_ms,
            closing: false,
        }
    }

    /// Takes bytes received from the peer at `now_ms` and returns how many it took; the glue
    /// leaves the rest in the socket and offers them again after transmitting (back-pressure:
    /// requests stop being read while [`Configuration::output_limit`] response bytes wait).
    /// Complete requests are answered in order. Once the connection is closing, every byte is
    /// taken and discarded.
    pub fn receive(&mut self, input: &[u8], now_ms: u64) -> usize {
        self.clock_ms = self.clock_ms.max(now_ms);
        let mut taken = 0;
        while !self.closing {
            let Some(rest) = input.get(taken..).filter(|rest| !rest.is_empty()) else {
                break;
            };
            taken += match self.state {
                State::Body {
                    remaining,
                    exchange,
                } => self.receive_body(rest, remaining, exchange),
                State::Head if self.output.is_full(self.configuration.output_limit) => break,
                State::Head if self.head_buffer.is_empty() => {
                    self.receive_head_directly(rest, now_ms)
                }
                State::Head => self.receive_head_buffered(rest),
            };
        }
        if taken > 0 {
            self.last_progress_ms = self.clock_ms;
        }
        if self.closing {
            input.len()
        } else {
            taken
        }
    }

    /// The peer will send nothing more (it half-closed): queued responses are still sent, a
    /// partial request is dropped without a response, then the connection wants to close.
    pub fn peer_closed(&mut self) {
        self.closing = true;
    }

    /// Checks the timeouts at `now_ms`: a request whose first byte arrived
    /// [`Configuration::request_timeout_ms`] ago and is still incomplete gets 408 and the
    /// connection closes; a connection with no request in progress (or already closing) on
    /// which no byte moved for that long closes silently, dropping output the peer has not read.
    pub fn poll(&mut self, now_ms: u64) -> Events {
        self.clock_ms = self.clock_ms.max(now_ms);
        let timeout = self.configuration.request_timeout_ms;
        let deadline = self.deadline(timeout);
        let timed_out = deadline.is_some_and(|deadline| now_ms >= deadline);
        if timed_out {
            if self.request_started_ms.is_some() && !self.closing {
                self.finish(Exchange::closing_error(408));
                self.last_progress_ms = now_ms; // the peer gets a full timeout to read the 408
            } else {
                self.output.clear();
                self.closing = true;
            }
        }
        Events {
            timed_out,
            transmit_pending: !self.output.is_empty(),
            wants_close: self.wants_close(),
            deadline_ms: self.deadline(timeout),
        }
    }

    /// The next bytes to send, contiguous; empty when there are none. After writing some of
    /// them to the socket, the glue reports how many with [`consumed`](Self::consumed).
    pub fn transmit(&self) -> &[u8] {
        self.output.pending()
    }

    /// Records that the first `count` bytes of [`transmit`](Self::transmit) were sent (a
    /// larger `count` is clamped).
    pub fn consumed(&mut self, count: usize) {
        if count > 0 {
            self.last_progress_ms = self.clock_ms;
        }
        self.output.consume(count);
    }

    /// Copies as many pending bytes as fit into `destination` (across response boundaries)
    /// and marks them sent: the shape of `smoltcp`'s `TcpSocket::send(|buffer| …)`.
    pub fn write_to(&mut self, destination: &mut [u8]) -> usize {
        let written = self.output.write_to(destination);
        if written > 0 {
            self.last_progress_ms = self.clock_ms;
        }
        written
    }

    /// Whether the glue should close the socket: the connection is closing and everything
    /// queued was transmitted.
    pub fn wants_close(&self) -> bool {
        self.closing && self.output.is_empty()
    }

    /// When the next timeout fires: the request's deadline while one is being read, else the
    /// idle deadline (also while a closing connection's output waits for a peer that does not
    /// read); none once the connection wants to close.
    fn deadline(&self, timeout: u64) -> Option<u64> {
        if self.wants_close() {
            return None;
        }
        let since = match self.request_started_ms {
            Some(started) if !self.closing => started,
            _ => self.last_progress_ms,
        };
        Some(since.saturating_add(timeout))
    }

    /// A head was parsed: read (and discard) its body first, if any, then answer.
    fn start(&mut self, exchange: Exchange) {
        if exchange.body_length == 0 {
            self.finish(exchange);
            return;
        }
        if exchange.send_continue {
            self.output.push_buffered(emit::CONTINUE);
        }
        self.state = State::Body {
            remaining: exchange.body_length,
            exchange,
        };
    }

    /// Queues the response of a complete request; closes after it unless it keeps alive.
    fn finish(&mut self, exchange: Exchange) {
        let Exchange {
            reply,
            send_body,
            connection,
            keep_alive,
            ..
        } = exchange;
        emit::write_response(&mut self.output, &reply, send_body, connection);
        self.closing |= !keep_alive;
        self.state = State::Head;
        self.head_buffer.clear();
        self.scan_resume = 0;
        self.request_started_ms = None;
    }
}

#[cfg(test)]
mod tests;
