//! The fake provider's HTTP/1.1 server: one thread on 127.0.0.1, one connection at a time,
//! bounded reads, every request recorded, scripted replies consumed in order by the requests
//! the vendor would accept.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use serde_json::Value;

pub use super::recorded::RecordedRequest;
use super::vendor::{self, Answer};
use crate::provider::{ApiKey, KeySource, ProviderKind, ProviderSettings, RetryPolicy};

/// Which vendor the server imitates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Vendor {
    /// OpenAI Chat Completions (also what OpenAI-compatible servers speak).
    OpenAi,
    /// Anthropic Messages.
    Anthropic,
}

/// One scripted answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scripted {
    /// A successful answer with this text, streamed when the request asks for a stream.
    Reply(String),
    /// An error status with the vendor's error body (`message`), and `Retry-After` if given.
    Status {
        /// The status.
        status: u16,
        /// The `Retry-After` header.
        retry_after: Option<String>,
        /// The error message in the body.
        message: String,
    },
    /// Read the request, then say nothing for this long (the client should time out).
    Stall(Duration),
    /// Start a stream, then send the vendor's error event (`overloaded`).
    StreamError,
}

/// How the fake server behaves.
#[derive(Clone, Debug)]
pub struct FakeOptions {
    /// The vendor imitated.
    pub vendor: Vendor,
    /// The key requests must carry (`None`: no key checked, as a local server).
    pub key: Option<String>,
    /// The models served (`None`: any).
    pub models: Option<Vec<String>>,
    /// The answers, in order.
    pub script: Vec<Scripted>,
}

#[derive(Default)]
struct State {
    requests: Vec<RecordedRequest>,
    script: std::collections::VecDeque<Scripted>,
}

/// A fake model server on 127.0.0.1; stopped when dropped.
pub struct FakeServer {
    address: SocketAddr,
    options: FakeOptions,
    state: Arc<Mutex<State>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl FakeServer {
    /// Starts a server with `options` on a free port.
    pub fn start(options: FakeOptions) -> io::Result<FakeServer> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let address = listener.local_addr()?;
        let state = Arc::new(Mutex::new(State {
            requests: Vec::new(),
            script: options.script.iter().cloned().collect(),
        }));
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let (state, stop, options) = (Arc::clone(&state), Arc::clone(&stop), options.clone());
            thread::spawn(move || {
                for connection in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        return;
                    }
                    if let Ok(connection) = connection {
                        let _ = serve(connection, &options, &state, &stop);
                    }
                }
            })
        };
        Ok(FakeServer {
            address,
            options,
            state,
            stop,
            thread: Some(thread),
        })
    }

    /// A server for `vendor` with `key` and `script`, serving any model.
    pub fn scripted(
        vendor: Vendor,
        key: Option<&str>,
        script: Vec<Scripted>,
    ) -> io::Result<FakeServer> {
        Self::start(FakeOptions {
            vendor,
            key: key.map(str::to_owned),
            models: None,
            script,
        })
    }

    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// Every request so far.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.state).requests.clone()
    }

    /// Scripted answers not used yet.
    pub fn remaining(&self) -> usize {
        lock(&self.state).script.len()
    }

    /// Provider settings pointing at this server with `model`: its key, short timeouts and a
    /// quick retry policy.
    pub fn settings(&self, model: &str) -> ProviderSettings {
        let kind = match (self.options.vendor, &self.options.key) {
            (Vendor::Anthropic, _) => ProviderKind::Anthropic,
            (Vendor::OpenAi, Some(_)) => ProviderKind::OpenAi,
            (Vendor::OpenAi, None) => ProviderKind::OpenAiCompatible,
        };
        let key = self
            .options
            .key
            .as_deref()
            .map(|key| ApiKey::new(key, KeySource::Given));
        let mut settings = ProviderSettings::new(kind, &self.base_url(), model, key);
        settings.read_timeout = Duration::from_secs(5);
        settings.connect_timeout = Duration::from_secs(2);
        settings.retry = RetryPolicy {
            max_retries: 3,
            initial_backoff: Duration::from_millis(20),
            max_backoff: Duration::from_millis(100),
            max_retry_after: Duration::from_secs(5),
        };
        settings
    }
}

impl Drop for FakeServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect_timeout(&self.address, Duration::from_millis(200));
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

const MAX_HEAD: usize = 64 << 10;
const MAX_BODY: usize = 8 << 20;

fn serve(
    connection: TcpStream,
    options: &FakeOptions,
    state: &Mutex<State>,
    stop: &AtomicBool,
) -> io::Result<()> {
    connection.set_read_timeout(Some(Duration::from_secs(5)))?;
    let mut reader = BufReader::new(connection.try_clone()?);
    let mut head = Vec::new();
    loop {
        let before = head.len();
        let read = reader
            .by_ref()
            .take(MAX_HEAD as u64)
            .read_until(b'\n', &mut head)?;
        if read == 0 || head.len() > MAX_HEAD {
            return Ok(());
        }
        if head[before..] == *b"\r\n" || head[before..] == *b"\n" {
            break;
        }
    }
    let head = String::from_utf8_lossy(&head).into_owned();
    let mut lines = head.lines();
    let mut request_line = lines.next().unwrap_or("").split_whitespace();
    let method = request_line.next().unwrap_or("").to_owned();
    let path = request_line.next().unwrap_or("").to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(name, _)| name == "content-length")
        .and_then(|(_, value)| value.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0u8; length.min(MAX_BODY)];
    reader.read_exact(&mut body)?;
    let body = String::from_utf8_lossy(&body).into_owned();
    let json: Option<Value> = serde_json::from_str(&body).ok();
    let mut recorded = RecordedRequest {
        method,
        path,
        headers,
        body,
        json,
        rejected: None,
    };
    let verdict = vendor::validate(options, &recorded);
    let answer = match verdict {
        Err(rejection) => {
            recorded.rejected = Some(rejection.message.clone());
            Answer::Error(rejection)
        }
        Ok(()) => match lock(state).script.pop_front() {
            Some(scripted) => Answer::Scripted(scripted),
            None => Answer::Error(vendor::Rejection {
                status: 500,
                kind: "api_error",
                message: "the fake server's script is exhausted".to_owned(),
                retry_after: None,
            }),
        },
    };
    lock(state).requests.push(recorded.clone());
    let mut connection = connection;
    if let Answer::Scripted(Scripted::Stall(duration)) = &answer {
        let until = Instant::now() + *duration;
        while Instant::now() < until && !stop.load(Ordering::SeqCst) {
            thread::sleep(Duration::from_millis(10));
        }
        return Ok(());
    }
    vendor::write_answer(&mut connection, options, &recorded, answer)?;
    connection.flush()
}
