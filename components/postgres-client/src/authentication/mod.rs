//! Password authentication: the md5 answer and the SCRAM-SHA-256 exchange, as pure functions.
mod md5;
mod scram;

pub use md5::md5_answer;
pub use scram::{Scram, ScramError, NONCE_BYTES};
