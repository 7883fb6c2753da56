//! The sans-IO protocol layer: bytes in, typed packets out, and the reverse; no I/O, no clock.
//!
//! Every decoder takes a packet payload (untrusted bytes from the server) and answers a value or
//! a [`ProtocolError`]; none panics, and none allocates more than a small multiple of its input
//! (text is copied once into owned strings). Property tests next to each decoder and the fuzz
//! targets in `fuzz/` hold them to that.
//!
//! References: the MySQL client/server protocol documentation ("Connection Phase", "Text
//! Protocol", "Prepared Statements", "caching_sha2_password information") and MariaDB's
//! "Clients & Connectors / Client/Server Protocol" pages.

pub mod auth;
pub mod binary_row;
pub mod capabilities;
pub mod column;
pub mod command;
pub mod error;
pub mod framing;
pub mod handshake;
#[cfg(feature = "rsa")]
pub mod public_key;
pub mod response;
pub mod text_row;
pub mod wire;

pub use error::ProtocolError;
