//! The random source callers supply: RSA-OAEP padding and backoff jitter draw from it.

/// Random bytes. For RSA-OAEP padding the source must be cryptographically secure (in an
/// image: the CPU's `RDRAND`/`RDSEED` or a generator seeded from them); backoff jitter only
/// needs it to differ between machines.
pub trait Random {
    /// Fills `bytes` with random bytes.
    fn fill_bytes(&mut self, bytes: &mut [u8]);

    /// A random `u32`.
    fn next_u32(&mut self) -> u32 {
        let mut bytes = [0u8; 4];
        self.fill_bytes(&mut bytes);
        u32::from_le_bytes(bytes)
    }
}

impl<R: Random + ?Sized> Random for &mut R {
    fn fill_bytes(&mut self, bytes: &mut [u8]) {
        (**self).fill_bytes(bytes);
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A deterministic generator for tests (SplitMix64); not for real keys.
    #[derive(Debug)]
    pub(crate) struct SplitMix(pub u64);

    impl Random for SplitMix {
        fn fill_bytes(&mut self, bytes: &mut [u8]) {
            for chunk in bytes.chunks_mut(8) {
                self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
                let mut mixed = self.0;
                mixed = (mixed ^ (mixed >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
                mixed = (mixed ^ (mixed >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
                mixed ^= mixed >> 31;
                chunk.copy_from_slice(&mixed.to_le_bytes()[..chunk.len()]);
            }
        }
    }

    #[test]
    fn next_u32_draws_from_fill_bytes() {
        let mut first = SplitMix(1);
        let mut second = SplitMix(1);
        let mut bytes = [0u8; 4];
        second.fill_bytes(&mut bytes);
        assert_eq!(first.next_u32(), u32::from_le_bytes(bytes));
        assert_ne!(first.next_u32(), u32::from_le_bytes(bytes));
        fn draw(mut random: impl Random) -> u32 {
            random.next_u32()
        }
        let mut copy = SplitMix(first.0);
        assert_eq!(draw(&mut first), copy.next_u32());
    }
}
