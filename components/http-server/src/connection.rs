//! One TCP connection's HTTP state machine: bytes and time in, response bytes out.
use alloc::vec::Vec;

use crate::configuration::Configuration;
use crate::emit;
use crate::exchange::Exchange;
use crate::output::Output;
use crate::route::Router;

mod folder;
mod receiving;

/// Which timeout fired (each is a limit the glue counts).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Timeout {
    /// A request head was not complete within [`Configuration::request_timeout_ms`] of its
    /// first byte: 408 queued, the connection closes after it.
    Head,
    /// A body fell behind [`Configuration::body_timeout_ms`] and the minimum rate: 408.
    Body,
    /// Nothing to read or send for [`Configuration::idle_timeout_ms`]: closed silently.
    Idle,
    /// The peer accepted no response byte for [`Configuration::send_timeout_ms`]: closed, its
    /// output dropped.
    Send,
}

/// What [`Connection::poll`] found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Events {
    /// A timeout fired in this call.
    pub timeout: Option<Timeout>,
    /// Since the last `poll`, a buffer could not be allocated: the connection answered 503
    /// (pre-formatted, without allocating) and is closing.
    pub out_of_memory: bool,
    /// [`Connection::transmit`] has bytes.
    pub transmit_pending: bool,
    /// The glue should close the socket now ([`Connection::wants_close`]).
    pub wants_close: bool,
    /// The time by which `poll` must be called again; `None` once the connection is closing.
    pub deadline_ms: Option<u64>,
    /// A request for the app is complete: take it with [`Connection::take_app_request`].
    pub app_request: bool,
}

#[derive(Clone, Copy, Debug)]
enum State {
    /// Reading a request head (possibly split over several `receive` calls).
    Head,
    /// Discarding `remaining` body bytes, then queueing the exchange's response.
    Body {
        remaining: u64,
        exchange: Exchange,
        /// When the head ended, and body bytes received since: the body's deadline.
        started_ms: u64,
        received: u64,
    },
    /// Reading `remaining` body bytes of a request for the app into `app_request`.
    AppBody {
        remaining: u64,
        exchange: Exchange,
        started_ms: u64,
        received: u64,
    },
    /// The app has (or is about to take) the request; nothing more is read until its response
    /// comes ([`Connection::respond`]).
    AwaitingApp { exchange: Exchange },
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
    /// The buffered head's request line is complete and was checked (it is checked once).
    request_line_checked: bool,
    output: Output,
    /// Responses queued since the output was last empty (bounded by `max_pipelined`).
    queued_responses: usize,
    /// When the first byte of the request being read arrived.
    request_started_ms: Option<u64>,
    /// When bytes last moved in either direction (the idle timeout counts from here).
    last_activity_ms: u64,
    /// When the peer last accepted response bytes, or the output last became non-empty (the
    /// send timeout counts from here).
    last_sent_ms: u64,
    /// The latest time the glue reported, in `receive` or `poll`: transmitting counts as
    /// progress at this time (never later than the real time, so timeouts are never late).
    clock_ms: u64,
    /// No request will be read any more; close once the output is transmitted.
    closing: bool,
    /// A buffer could not be allocated since the last `poll` (reported once).
    memory_exhausted: bool,
    /// The request for the app being read, or read and not yet taken by the glue.
    app_request: Option<crate::app::AppRequest>,
    /// `app_request` is complete.
    app_request_ready: bool,
    /// Wall-clock Unix milliseconds at `now_ms` 0, when known: responses carry `Date`.
    wall_offset_ms: Option<u64>,
    /// The `Date` line of the current second.
    date: crate::date::DateLine,
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
            request_line_checked: false,
            output: Output::default(),
            queued_responses: 0,
            request_started_ms: None,
            last_activity_ms: now_ms,
            last_sent_ms: now_ms,
            clock_ms: now_ms,
            closing: false,
            memory_exhausted: false,
            app_request: None,
            app_request_ready: false,
            wall_offset_ms: None,
            date: crate::date::DateLine::default(),
        }
    }

    /// The same connection stamping responses with `Date` from the wall clock at `now_ms` 0.
    pub fn with_wall_clock(mut self, offset_ms: Option<u64>) -> Connection {
        self.wall_offset_ms = offset_ms;
        self
    }

    /// The length of the `Date` line responses carry: none without a wall clock.
    fn date_length(&self) -> usize {
        if self.wall_offset_ms.is_some() {
            crate::date::LINE_BYTES
        } else {
            0
        }
    }

    /// The `Date` line for now (zeros without a wall clock: see [`Self::date_length`]).
    fn date_line(&mut self) -> [u8; crate::date::LINE_BYTES] {
        match self.wall_offset_ms {
            Some(offset) => {
                let mut line = [0u8; crate::date::LINE_BYTES];
                line.copy_from_slice(self.date.at(offset.saturating_add(self.clock_ms)));
                line
            }
            None => [0; crate::date::LINE_BYTES],
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
                State::Body { .. } => self.receive_body(rest),
                State::AppBody { .. } => self.receive_app_body(rest),
                State::AwaitingApp { .. } => break,
                State::Head if self.output_full() => break,
                State::Head if self.head_buffer.is_empty() => {
                    self.receive_head_directly(rest, now_ms)
                }
                State::Head => self.receive_head_buffered(rest),
            };
        }
        if taken > 0 {
            self.last_activity_ms = self.clock_ms;
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

    /// Checks the timeouts at `now_ms` (see [`Timeout`]): an incomplete head or body past its
    /// deadline gets 408 and the connection closes after it; an idle connection, or one whose
    /// peer stopped accepting response bytes, closes silently, dropping unsent output.
    pub fn poll(&mut self, now_ms: u64) -> Events {
        self.clock_ms = self.clock_ms.max(now_ms);
        let due = self.deadline().filter(|(deadline, _)| now_ms >= *deadline);
        let timeout = due.map(|(_, timeout)| timeout);
        match timeout {
            Some(Timeout::Head | Timeout::Body) => {
                self.finish(Exchange::closing_error(408));
                self.last_sent_ms = now_ms; // the peer gets a full send timeout to read the 408
            }
            Some(Timeout::Idle | Timeout::Send) => {
                self.output.clear();
                self.closing = true;
            }
            None => {}
        }
        Events {
            timeout,
            out_of_memory: core::mem::take(&mut self.memory_exhausted),
            transmit_pending: !self.output.is_empty(),
            wants_close: self.wants_close(),
            deadline_ms: self.deadline().map(|(deadline, _)| deadline),
            app_request: self.app_request_ready,
        }
    }

    /// The complete request for the app, once (see [`Events::app_request`]); the connection
    /// then waits for [`respond`](Self::respond).
    pub fn take_app_request(&mut self) -> Option<crate::app::AppRequest> {
        if !self.app_request_ready {
            return None;
        }
        self.app_request_ready = false;
        self.app_request.take()
    }

    /// Whether the connection waits for the app's response.
    pub fn awaiting_app(&self) -> bool {
        matches!(self.state, State::AwaitingApp { .. })
    }

    /// Queues the app's response to the request taken with
    /// [`take_app_request`](Self::take_app_request), then reads the next request; ignored when
    /// the connection waits for none (it timed out or closed meanwhile).
    pub fn respond(&mut self, response: crate::app::AppResponse) {
        let State::AwaitingApp { exchange } = self.state else {
            return;
        };
        self.state = State::Head;
        self.head_buffer.clear();
        self.scan_resume = 0;
        self.request_started_ms = None;
        let Exchange {
            send_body,
            connection,
            keep_alive,
            ..
        } = exchange;
        let line = self.date_line();
        let length = self.date_length();
        self.queue(|output, planned| {
            emit::write_app_response(
                output,
                response,
                send_body,
                connection,
                &line[..length],
                planned,
            )
        });
        self.queued_responses += 1;
        self.closing |= !keep_alive;
        self.last_activity_ms = self.clock_ms;
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
            self.sent(self.clock_ms);
        }
        self.output.consume(count);
        self.note_drained();
    }

    /// Copies as many pending bytes as fit into `destination` (across response boundaries)
    /// and marks them sent: the shape of `smoltcp`'s `TcpSocket::send(|buffer| …)`.
    pub fn write_to(&mut self, destination: &mut [u8]) -> usize {
        let written = self.output.write_to(destination);
        if written > 0 {
            self.sent(self.clock_ms);
        }
        self.note_drained();
        written
    }

    /// When this connection last moved a byte, if it is idle between requests now (no request
    /// being read, nothing to send, not closing): a server short of sockets may close it, as
    /// RFC 9112 §9.5 allows for idle persistent connections.
    pub fn idle_since(&self) -> Option<u64> {
        let between_requests =
            matches!(self.state, State::Head) && self.request_started_ms.is_none();
        (between_requests && self.output.is_empty() && !self.closing)
            .then_some(self.last_activity_ms)
    }

    /// Heap bytes this connection's buffers hold now (their capacities): at most
    /// [`Configuration::connection_bytes`] while the memory model holds.
    pub fn heap_bytes(&self) -> usize {
        let app = self.app_request.as_ref().map_or(0, |request| {
            request.head.capacity() + request.body.capacity()
        });
        self.head_buffer.capacity() + self.output.heap_bytes() + app
    }

    /// Whether the glue should close the socket: the connection is closing and everything
    /// queued was transmitted.
    pub fn wants_close(&self) -> bool {
        self.closing && self.output.is_empty() && !matches!(self.state, State::AwaitingApp { .. })
    }

    /// When the next timeout fires and which one: the send timeout while output waits, the
    /// head's or body's deadline while one is read, else the idle deadline; none once the
    /// connection wants to close.
    fn deadline(&self) -> Option<(u64, Timeout)> {
        if self.wants_close() {
            return None;
        }
        let configuration = &self.configuration;
        if matches!(self.state, State::AwaitingApp { .. }) && self.output.is_empty() {
            // The app has the request: its own watchdog bounds it, not the idle timeout.
            return None;
        }
        let reading = match self.state {
            _ if self.closing => None,
            State::AwaitingApp { .. } => None,
            State::Head => self.request_started_ms.map(|started| {
                (
                    started.saturating_add(configuration.request_timeout_ms),
                    Timeout::Head,
                )
            }),
            State::Body {
                started_ms,
                received,
                ..
            }
            | State::AppBody {
                started_ms,
                received,
                ..
            } => {
                let earned_ms = received
                    .checked_div(configuration.minimum_body_rate)
                    .unwrap_or(0)
                    .saturating_mul(1000);
                let deadline = started_ms
                    .saturating_add(configuration.body_timeout_ms)
                    .saturating_add(earned_ms);
                Some((deadline, Timeout::Body))
            }
        };
        let sending = (!self.output.is_empty()).then(|| {
            (
                self.last_sent_ms
                    .saturating_add(configuration.send_timeout_ms),
                Timeout::Send,
            )
        });
        let earliest = match (reading, sending) {
            (Some(reading), Some(sending)) => Some(if sending.0 < reading.0 {
                sending
            } else {
                reading
            }),
            (reading, sending) => reading.or(sending),
        };
        earliest.or(Some((
            self.last_activity_ms
                .saturating_add(configuration.idle_timeout_ms),
            Timeout::Idle,
        )))
    }

    /// The peer accepted response bytes at `now_ms`.
    fn sent(&mut self, now_ms: u64) {
        self.last_sent_ms = now_ms;
        self.last_activity_ms = now_ms;
    }

    /// Once everything queued left, pipelined requests may be answered again.
    fn note_drained(&mut self) {
        if self.output.is_empty() {
            self.queued_responses = 0;
        }
    }

    /// Whether the connection stops answering pipelined requests until the glue transmits: its
    /// buffered output reached the limit, or `max_pipelined` responses wait.
    fn output_full(&self) -> bool {
        !self.output.is_empty()
            && (self.output.is_full(self.configuration.output_limit)
                || self.queued_responses >= self.configuration.max_pipelined.max(1))
    }

    /// The output buffer's planned largest size: the limit plus one response.
    fn planned_output(&self) -> usize {
        self.configuration.output_limit + crate::output::LARGEST_QUEUED_RESPONSE
    }

    /// The heap had no room for this connection's next buffer: answer with the pre-formatted
    /// 503 (queued without allocating) and close.
    fn out_of_memory(&mut self) {
        if self.output.is_empty() {
            self.last_sent_ms = self.clock_ms;
        }
        self.output
            .push_final(crate::server::Server::reject_overloaded());
        self.closing = true;
        self.memory_exhausted = true;
        self.state = State::Head;
        self.request_started_ms = None;
        self.app_request = None;
        self.app_request_ready = false;
    }

    /// A head for the app was parsed: keep it, then gather its body, then hand both over.
    /// Both buffers are reserved whole first (the body's length is known and within the
    /// route's limit); on failure the connection answers 503 and closes.
    fn start_app(&mut self, exchange: Exchange, head: &[u8]) {
        let mut head_copy = Vec::new();
        let mut body = Vec::new();
        let body_length = usize::try_from(exchange.body_length).unwrap_or(usize::MAX);
        if head_copy.try_reserve_exact(head.len()).is_err()
            || body.try_reserve_exact(body_length).is_err()
        {
            self.out_of_memory();
            return;
        }
        head_copy.extend_from_slice(head);
        self.app_request = Some(crate::app::AppRequest {
            head: head_copy,
            body,
            route: exchange.app_route,
            method: exchange.app_method,
            target: exchange.app_target.0..exchange.app_target.1,
        });
        if exchange.body_length == 0 {
            self.app_request_ready = true;
            self.state = State::AwaitingApp { exchange };
            return;
        }
        if exchange.send_continue {
            self.queue(|output, planned| {
                output.try_reserve(emit::CONTINUE.len(), 1, planned)?;
                output.push_buffered(emit::CONTINUE);
                Ok(())
            });
        }
        if !self.closing {
            self.state = State::AppBody {
                remaining: exchange.body_length,
                exchange,
                started_ms: self.clock_ms,
                received: 0,
            };
        }
    }

    /// A head was parsed: read (and discard) its body first, if any, then answer.
    fn start(&mut self, exchange: Exchange) {
        if exchange.body_length == 0 {
            self.finish(exchange);
            return;
        }
        if exchange.send_continue {
            self.queue(|output, planned| {
                output.try_reserve(emit::CONTINUE.len(), 1, planned)?;
                output.push_buffered(emit::CONTINUE);
                Ok(())
            });
        }
        if !self.closing {
            self.state = State::Body {
                remaining: exchange.body_length,
                exchange,
                started_ms: self.clock_ms,
                received: 0,
            };
        }
    }

    /// Queues the response of a complete request; closes after it unless it keeps alive.
    fn finish(&mut self, exchange: Exchange) {
        self.finish_with_location(exchange, &[]);
    }

    /// [`finish`](Self::finish) with a `Location` line made of `location`'s pieces.
    fn finish_with_location(&mut self, exchange: Exchange, location: &[&[u8]]) {
        let Exchange {
            reply,
            send_body,
            connection,
            keep_alive,
            ..
        } = exchange;
        self.state = State::Head;
        self.head_buffer.clear();
        self.scan_resume = 0;
        self.request_started_ms = None;
        let line = self.date_line();
        let length = self.date_length();
        self.queue(|output, planned| {
            emit::write_response(
                output,
                &reply,
                send_body,
                connection,
                &line[..length],
                location,
                planned,
            )
        });
        self.queued_responses += 1;
        self.closing |= !keep_alive;
    }

    /// Runs `write` on the output with its planned size; on [`OutOfMemory`] answers 503 and
    /// closes instead.
    fn queue(
        &mut self,
        write: impl FnOnce(&mut Output, usize) -> Result<(), crate::output::OutOfMemory>,
    ) {
        let was_empty = self.output.is_empty();
        let planned = self.planned_output();
        match write(&mut self.output, planned) {
            Ok(()) if was_empty => self.last_sent_ms = self.clock_ms,
            Ok(()) => {}
            Err(crate::output::OutOfMemory) => self.out_of_memory(),
        }
    }
}

#[cfg(test)]
mod tests;
