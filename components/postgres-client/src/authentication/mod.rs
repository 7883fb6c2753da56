//! Password authentication: the md5 answer and the SCRAM-SHA-256 exchange, whose key
//! derivation gives the executor a turn between pieces.
mod key_derivation;
mod md5;
mod scram;

pub use key_derivation::{salted_password, Pbkdf2, ITERATIONS_PER_TURN};
pub use md5::md5_answer;
pub use scram::{Scram, ScramError, NONCE_BYTES};
