//! PBKDF2-HMAC-SHA-256 (RFC 8018) for one 32-byte key, in pieces: [`salted_password`] gives the
//! executor a turn every [`ITERATIONS_PER_TURN`] iterations, so a server that asks for many
//! iterations (4096 by default, more if configured) never holds a task past the watchdog.
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// Iterations between two turns of the executor: a few milliseconds of work even under
/// emulation (two SHA-256 blocks each).
pub const ITERATIONS_PER_TURN: u32 = 512;

/// One derivation under way: `U_1 … U_n` XORed together (RFC 8018, section 5.2; one block, as
/// SCRAM-SHA-256 takes 32 bytes).
#[derive(Clone)]
pub struct Pbkdf2 {
    /// HMAC keyed with the password, cloned for each iteration (the key is hashed once).
    keyed: Hmac<Sha256>,
    /// The latest `U_i`.
    block: [u8; 32],
    /// `U_1 ^ … ^ U_i`.
    key: [u8; 32],
    /// Iterations still to run.
    remaining: u32,
}

impl core::fmt::Debug for Pbkdf2 {
    fn fmt(&self, formatter: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        formatter
            .debug_struct("Pbkdf2")
            .field("remaining", &self.remaining)
            .finish_non_exhaustive()
    }
}

impl Pbkdf2 {
    /// A derivation of `password` with `salt` over `iterations` (at least one; zero counts as
    /// one), its first iteration done.
    pub fn new(password: &[u8], salt: &[u8], iterations: u32) -> Pbkdf2 {
        let keyed =
            <Hmac<Sha256> as Mac>::new_from_slice(password).expect("HMAC takes keys of any length");
        let mut first = keyed.clone();
        first.update(salt);
        first.update(&1u32.to_be_bytes());
        let block: [u8; 32] = first.finalize().into_bytes().into();
        Pbkdf2 {
            keyed,
            block,
            key: block,
            remaining: iterations.saturating_sub(1),
        }
    }

    /// Runs at most `iterations` more; whether the key is complete.
    pub fn run(&mut self, iterations: u32) -> bool {
        let now = iterations.min(self.remaining);
        for _ in 0..now {
            let mut mac = self.keyed.clone();
            mac.update(&self.block);
            self.block = mac.finalize().into_bytes().into();
            for (byte, next) in self.key.iter_mut().zip(self.block) {
                *byte ^= next;
            }
        }
        self.remaining -= now;
        self.remaining == 0
    }

    /// The key, once [`run`](Self::run) said it is complete.
    pub fn key(&self) -> Option<[u8; 32]> {
        (self.remaining == 0).then_some(self.key)
    }
}

/// SCRAM's `SaltedPassword`: PBKDF2-HMAC-SHA-256 of `password` and `salt` over `iterations`,
/// awaiting [`sauce_connect::yield_now`] after every [`ITERATIONS_PER_TURN`] iterations.
pub async fn salted_password(password: &[u8], salt: &[u8], iterations: u32) -> [u8; 32] {
    let mut derivation = Pbkdf2::new(password, salt, iterations);
    while !derivation.run(ITERATIONS_PER_TURN) {
        sauce_connect::yield_now().await;
    }
    derivation.key
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::future::Future;
    use core::task::{Context, Poll, Waker};

    fn reference(password: &[u8], salt: &[u8], iterations: u32) -> [u8; 32] {
        let mut key = [0u8; 32];
        pbkdf2::pbkdf2_hmac::<Sha256>(password, salt, iterations, &mut key);
        key
    }

    /// Polls `future` to completion with a waker that does nothing; how many polls it took.
    fn polls<F: Future>(future: F) -> (F::Output, usize) {
        let mut future = core::pin::pin!(future);
        let mut context = Context::from_waker(Waker::noop());
        for count in 1.. {
            if let Poll::Ready(output) = future.as_mut().poll(&mut context) {
                return (output, count);
            }
        }
        unreachable!()
    }

    #[test]
    fn keys_match_the_pbkdf2_crate_in_any_piece_size() {
        for (password, salt, iterations) in [
            (&b"pencil"[..], &b"salt"[..], 1),
            (b"pencil", b"salt", 2),
            (b"", b"", 511),
            (
                b"a longer password than one SHA-256 block of sixty-four bytes, for the key hash",
                b"\x00\xff",
                1025,
            ),
            (b"postgres", b"W22ZaJ0SNY7soEsU", 4096),
        ] {
            let expected = reference(password, salt, iterations);
            for piece in [1, 7, 512, u32::MAX] {
                let mut derivation = Pbkdf2::new(password, salt, iterations);
                let mut runs = 1;
                while !derivation.run(piece) {
                    assert_eq!(derivation.key(), None);
                    runs += 1;
                }
                assert_eq!(derivation.key(), Some(expected), "{iterations} by {piece}");
                assert!(runs <= (iterations / piece.min(iterations)) as usize + 1);
            }
        }
    }

    #[test]
    fn the_published_vector_for_sha_256() {
        // PBKDF2-HMAC-SHA-256 of "password" and "salt" over 4096 iterations, 32 bytes: the
        // value test suites of the algorithm publish beside RFC 6070's SHA-1 ones.
        let mut derivation = Pbkdf2::new(b"password", b"salt", 4096);
        assert!(derivation.run(u32::MAX));
        assert_eq!(
            derivation.key().unwrap(),
            [
                0xc5, 0xe4, 0x78, 0xd5, 0x92, 0x88, 0xc8, 0x41, 0xaa, 0x53, 0x0d, 0xb6, 0x84, 0x5c,
                0x4c, 0x8d, 0x96, 0x28, 0x93, 0xa0, 0x01, 0xce, 0x4e, 0x11, 0xa4, 0x96, 0x38, 0x73,
                0xaa, 0x98, 0x13, 0x4a
            ]
        );
    }

    #[test]
    fn the_derivation_yields_between_pieces() {
        let (key, count) = polls(salted_password(b"pencil", b"salt", 4096));
        assert_eq!(key, reference(b"pencil", b"salt", 4096));
        assert_eq!(count, 8, "4096 iterations: 7 yields, 8 polls");
        let (key, count) = polls(salted_password(b"pencil", b"salt", 512));
        assert_eq!(key, reference(b"pencil", b"salt", 512));
        assert_eq!(count, 1, "one piece: no yield");
        let (key, count) = polls(salted_password(b"pencil", b"salt", 0));
        assert_eq!(key, reference(b"pencil", b"salt", 1), "zero counts as one");
        assert_eq!(count, 1);
    }
}
