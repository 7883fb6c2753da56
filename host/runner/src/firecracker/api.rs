//! A small HTTP/1.1 client for Firecracker's API socket: `PUT` requests with JSON bodies, one
//! connection per request, and Firecracker's `fault_message` shown verbatim when it refuses.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// How long one request may take (InstanceStart loads the kernel; nested KVM is slow).
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// The largest response accepted; Firecracker's are a few hundred bytes.
const RESPONSE_LIMIT: usize = 64 * 1024;

/// Why an API request failed.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The socket never accepted a connection.
    #[error("Firecracker's API socket `{}` did not accept connections: {source}", .socket.display())]
    Unreachable {
        /// The socket path.
        socket: PathBuf,
        /// The last connection error.
        source: io::Error,
    },
    /// Reading or writing the request failed.
    #[error("{request}: {source}")]
    Io {
        /// `PUT /path`.
        request: String,
        /// What the operating system said.
        source: io::Error,
    },
    /// The answer was not an HTTP/1.1 response we understand.
    #[error("{request}: Firecracker's answer is not a valid HTTP response ({detail})")]
    Malformed {
        /// `PUT /path`.
        request: String,
        /// What was wrong.
        detail: String,
    },
    /// Firecracker refused the request; `fault` is its `fault_message`, verbatim.
    #[error("Firecracker refused {request} ({status}): {fault}")]
    Refused {
        /// `PUT /path`.
        request: String,
        /// The HTTP status code.
        status: u16,
        /// Firecracker's `fault_message`, or the whole body when it has none.
        fault: String,
    },
}

/// A client for one API socket.
#[derive(Clone, Debug)]
pub struct ApiClient {
    socket: PathBuf,
    timeout: Duration,
}

impl ApiClient {
    /// A client for the socket at `socket`.
    pub fn new(socket: impl Into<PathBuf>) -> Self {
        Self {
            socket: socket.into(),
            timeout: REQUEST_TIMEOUT,
        }
    }

    /// The same client, giving up on each request after `timeout`.
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The socket's path.
    pub fn socket(&self) -> &Path {
        &self.socket
    }

    /// Waits until the socket accepts a connection, giving up at `deadline` or as soon as
    /// `still_starting` says the server will never come.
    pub fn wait_until_listening(
        &self,
        deadline: Instant,
        mut still_starting: impl FnMut() -> bool,
    ) -> Result<(), ApiError> {
        loop {
            match UnixStream::connect(&self.socket) {
                Ok(_) => return Ok(()),
                Err(source) if Instant::now() >= deadline || !still_starting() => {
                    return Err(ApiError::Unreachable {
                        socket: self.socket.clone(),
                        source,
                    })
                }
                Err(_) => std::thread::sleep(Duration::from_millis(1)),
            }
        }
    }

    /// `PUT path` with `body` as JSON; `Ok` for any 2xx answer.
    pub fn put(&self, path: &str, body: &serde_json::Value) -> Result<(), ApiError> {
        let request = format!("PUT {path}");
        let io_error = |source| ApiError::Io {
            request: request.clone(),
            source,
        };
        let mut stream =
            UnixStream::connect(&self.socket).map_err(|source| ApiError::Unreachable {
                socket: self.socket.clone(),
                source,
            })?;
        stream
            .set_read_timeout(Some(self.timeout))
            .map_err(io_error)?;
        stream
            .set_write_timeout(Some(self.timeout))
            .map_err(io_error)?;
        stream
            .write_all(encode_put(path, body).as_bytes())
            .map_err(io_error)?;
        let response = read_response(&mut BufReader::new(stream)).map_err(|error| match error {
            ResponseError::Io(source) => ApiError::Io {
                request: request.clone(),
                source,
            },
            ResponseError::Malformed(detail) => ApiError::Malformed {
                request: request.clone(),
                detail,
            },
        })?;
        if (200..300).contains(&response.status) {
            Ok(())
        } else {
            Err(ApiError::Refused {
                request,
                status: response.status,
                fault: fault_message(&response.body),
            })
        }
    }
}

/// The bytes of `PUT path` carrying `body`.
pub fn encode_put(path: &str, body: &serde_json::Value) -> String {
    let body = body.to_string();
    format!(
        "PUT {path} HTTP/1.1\r\nHost: localhost\r\nAccept: application/json\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
}

/// A parsed response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Response {
    /// The status code.
    pub status: u16,
    /// The body, as text.
    pub body: String,
}

/// Why a response could not be read.
#[derive(Debug)]
pub enum ResponseError {
    /// The connection failed.
    Io(io::Error),
    /// The bytes are not a response we understand.
    Malformed(String),
}

impl From<io::Error> for ResponseError {
    fn from(error: io::Error) -> Self {
        Self::Io(error)
    }
}

/// Reads one response: status line, headers, and a `Content-Length` body (none when absent).
pub fn read_response(reader: &mut impl BufRead) -> Result<Response, ResponseError> {
    let malformed = |detail: String| ResponseError::Malformed(detail);
    let status_line = read_line(reader)?;
    let mut parts = status_line.splitn(3, ' ');
    let (version, code) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    if !version.starts_with("HTTP/1.") {
        return Err(malformed(format!("status line {status_line:?}")));
    }
    let status = code
        .parse::<u16>()
        .ok()
        .filter(|code| (100..600).contains(code))
        .ok_or_else(|| malformed(format!("status line {status_line:?}")))?;
    let mut length = 0;
    loop {
        let line = read_line(reader)?;
        if line.is_empty() {
            break;
        }
        let (name, value) = line
            .split_once(':')
            .ok_or_else(|| malformed(format!("header {line:?}")))?;
        if name.trim().eq_ignore_ascii_case("content-length") {
            length = value
                .trim()
                .parse::<usize>()
                .ok()
                .filter(|length| *length <= RESPONSE_LIMIT)
                .ok_or_else(|| malformed(format!("Content-Length {:?}", value.trim())))?;
        } else if name.trim().eq_ignore_ascii_case("transfer-encoding") {
            return Err(malformed(format!(
                "unsupported Transfer-Encoding {:?}",
                value.trim()
            )));
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body)?;
    Ok(Response {
        status,
        body: String::from_utf8_lossy(&body).into_owned(),
    })
}

/// One CRLF- (or LF-) terminated line, without its ending; an early end is an error.
fn read_line(reader: &mut impl BufRead) -> Result<String, ResponseError> {
    let mut line = Vec::new();
    reader
        .by_ref()
        .take(RESPONSE_LIMIT as u64)
        .read_until(b'\n', &mut line)?;
    if line.last() != Some(&b'\n') {
        return Err(ResponseError::Malformed(
            "the connection closed in the middle of the response".to_owned(),
        ));
    }
    while line
        .last()
        .is_some_and(|byte| *byte == b'\n' || *byte == b'\r')
    {
        line.pop();
    }
    Ok(String::from_utf8_lossy(&line).into_owned())
}

/// Firecracker's `{"fault_message": "…"}`, or the whole body when it is not that.
pub fn fault_message(body: &str) -> String {
    serde_json::from_str::<serde_json::Value>(body)
        .ok()
        .and_then(|value| value.get("fault_message")?.as_str().map(str::to_owned))
        .unwrap_or_else(|| {
            if body.trim().is_empty() {
                "(empty body)".to_owned()
            } else {
                body.trim().to_owned()
            }
        })
}

#[cfg(test)]
#[path = "api_tests.rs"]
mod tests;
