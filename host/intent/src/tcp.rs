//! `[tcp]`: a TCP service on a port that is not HTTP (today the echo service).

use serde::Serialize;

/// What a `[tcp]` service does with the bytes it receives.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TcpService {
    /// Sends every byte back (RFC 862).
    Echo,
}

impl TcpService {
    /// Reads `service = "echo"`.
    pub fn from_text(text: &str) -> Option<TcpService> {
        match text {
            "echo" => Some(TcpService::Echo),
            _ => None,
        }
    }

    /// The name as written.
    pub const fn as_str(self) -> &'static str {
        match self {
            TcpService::Echo => "echo",
        }
    }
}

/// `[tcp]`: present ⇒ the image serves a TCP service on `port`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Tcp {
    /// `port`: the guest TCP port.
    pub port: u16,
    /// `service`: what it does.
    pub service: TcpService,
    /// `max_connections`: connections served at once; `None` keeps the component's default.
    pub max_connections: Option<u16>,
}
