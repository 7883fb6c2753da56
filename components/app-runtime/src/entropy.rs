//! Randomness for the app (ids, tokens): a SplitMix64-seeded xoshiro256** generator, seeded
//! once from `sauce.seed=` (64 hex digits of the host's randomness, passed at every boot by
//! `sauce run`) mixed with the time stamp counter, so two boots never share a sequence. Not
//! for cryptographic keys: a client needing those takes them from the host.

/// xoshiro256**: fast, 256 bits of state.
#[derive(Clone, Debug)]
pub struct Generator {
    state: [u64; 4],
}

impl Generator {
    /// A generator seeded from `seed` (hex digits, any length; others ignored) and `salt`
    /// (the time stamp counter at boot).
    pub fn new(seed: &str, salt: u64) -> Generator {
        let mut mixer = salt ^ 0x9E37_79B9_7F4A_7C15;
        for (index, digit) in seed
            .bytes()
            .filter_map(|byte| (byte as char).to_digit(16))
            .enumerate()
        {
            mixer ^= u64::from(digit) << ((index % 16) * 4);
            if index % 16 == 15 {
                mixer = splitmix(&mut mixer.clone());
            }
        }
        let mut state = [0u64; 4];
        for word in &mut state {
            *word = splitmix(&mut mixer);
        }
        Generator { state }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let [a, b, c, d] = &mut self.state;
        let result = b.wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = *b << 17;
        *c ^= *a;
        *d ^= *b;
        *b ^= *c;
        *a ^= *d;
        *c ^= t;
        *d = d.rotate_left(45);
        result
    }

    /// Fills `destination`.
    pub fn fill(&mut self, destination: &mut [u8]) {
        for chunk in destination.chunks_mut(8) {
            let bytes = self.next_u64().to_le_bytes();
            chunk.copy_from_slice(&bytes[..chunk.len()]);
        }
    }
}

fn splitmix(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeds_and_salts_give_different_sequences() {
        let mut one = Generator::new("00ff", 1);
        let mut same = Generator::new("00ff", 1);
        let mut other_seed = Generator::new("01ff", 1);
        let mut other_salt = Generator::new("00ff", 2);
        let first = one.next_u64();
        assert_eq!(first, same.next_u64());
        assert_ne!(first, other_seed.next_u64());
        assert_ne!(first, other_salt.next_u64());
        let mut bytes = [0u8; 13];
        one.fill(&mut bytes);
        assert!(bytes.iter().any(|byte| *byte != 0));
        // Roughly uniform: about half the bits set over many draws.
        let ones: u32 = (0..1000).map(|_| one.next_u64().count_ones()).sum();
        assert!((30_000..34_000).contains(&ones), "{ones}");
    }
}
