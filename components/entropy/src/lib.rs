//! Randomness for SauceOS images: one ChaCha20 generator, seeded at boot from every source the
//! machine has — the processor's generator (RDSEED, else RDRAND), the host's seed
//! (`sauce.seed=`, passed by `sauce run` at every boot) and the time stamp counter.
//!
//! Clients take it as [`SystemRandom`], a zero-sized handle implementing `rand_core` 0.6's
//! [`RngCore`] and [`CryptoRng`] (SCRAM nonces, MySQL scrambles, backoff jitter); every handle
//! draws from the one generator, so a copy never repeats another's bytes.
//!
//! # Map
//! - [`board`]: the contract with the board: seeds the generator (images only).
//! - [`seed`]: [`seed::Sources`] mixed into the generator's 32-byte key, sans-IO.
//! - this root: [`SystemRandom`], [`install`], [`Generator`].
//!
//! # Rules
//! 1. The seed is the mix of every source present: if any one is unpredictable, so is the
//!    seed; which sources there were is logged at boot (never their values).
//! 2. Drawing never blocks and never fails: the generator is a stream cipher, not a pool
//!    that empties. Before [`install`] (or on the host) it seeds itself from what it can
//!    reach in this build: the board's sources in an image, a fixed key on the host — host
//!    tests that need distinct streams install their own seed.
//! 3. The lock around the generator is held for one fill, never across an await nor taken
//!    by an interrupt handler.
#![cfg_attr(not(test), no_std)]
#![forbid(unsafe_code)]

pub mod board;
pub mod seed;

use rand_chacha::rand_core::SeedableRng;
pub use rand_chacha::ChaCha20Rng as Generator;
pub use rand_core::{CryptoRng, RngCore};

/// The image's generator; `None` until [`install`] or the first draw.
static GENERATOR: spin::Mutex<Option<Generator>> = spin::Mutex::new(None);

/// Makes the image's generator from `key` (replacing one made before).
pub fn install(key: [u8; 32]) {
    *GENERATOR.lock() = Some(Generator::from_seed(key));
}

/// Runs `work` on the image's generator, seeding it first if nothing did.
fn with_generator<T>(work: impl FnOnce(&mut Generator) -> T) -> T {
    let mut generator = GENERATOR.lock();
    let generator = generator.get_or_insert_with(|| Generator::from_seed(board::fallback_key()));
    work(generator)
}

/// The image's random numbers: a handle to the one generator (copy it freely).
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemRandom;

impl RngCore for SystemRandom {
    fn next_u32(&mut self) -> u32 {
        with_generator(|generator| generator.next_u32())
    }

    fn next_u64(&mut self) -> u64 {
        with_generator(|generator| generator.next_u64())
    }

    fn fill_bytes(&mut self, destination: &mut [u8]) {
        with_generator(|generator| generator.fill_bytes(destination));
    }

    fn try_fill_bytes(&mut self, destination: &mut [u8]) -> Result<(), rand_core::Error> {
        self.fill_bytes(destination);
        Ok(())
    }
}

impl CryptoRng for SystemRandom {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handles_share_one_stream_and_keys_change_it() {
        install([7; 32]);
        let mut first = SystemRandom;
        let mut copy = first;
        let a = first.next_u64();
        let b = copy.next_u64();
        assert_ne!(a, b, "a copy continues the stream, it does not repeat it");
        install([7; 32]);
        assert_eq!(
            SystemRandom.next_u64(),
            a,
            "the same key gives the same stream"
        );
        install([8; 32]);
        assert_ne!(SystemRandom.next_u64(), a);
        let mut bytes = [0u8; 37];
        SystemRandom.fill_bytes(&mut bytes);
        assert!(bytes.iter().any(|byte| *byte != 0));
        // Roughly uniform: about half the bits set over many draws.
        let ones: u32 = (0..1000)
            .map(|_| SystemRandom.next_u64().count_ones())
            .sum();
        assert!((30_000..34_000).contains(&ones), "{ones}");
    }
}
