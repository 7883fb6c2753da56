//! The generator's key from the boot's sources, sans-IO: each source fills or is folded into
//! 32 bytes by exclusive or, so one unpredictable source makes the whole key unpredictable.

/// What a boot has to seed the generator with.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Sources<'a> {
    /// Words from the processor's generator (RDSEED or RDRAND), when it has one.
    pub hardware: Option<[u64; 4]>,
    /// The host's seed: hex digits (`sauce.seed=`, 64 of them from `sauce run`); other
    /// characters are skipped.
    pub host: Option<&'a str>,
    /// The time stamp counter at boot.
    pub time_stamp: u64,
}

impl Sources<'_> {
    /// The generator's key.
    pub fn key(&self) -> [u8; 32] {
        let mut key = [0u8; 32];
        if let Some(words) = self.hardware {
            for (chunk, word) in key.chunks_exact_mut(8).zip(words) {
                fold(chunk, &word.to_le_bytes());
            }
        }
        if let Some(host) = self.host {
            let nibbles = host.chars().filter_map(|character| character.to_digit(16));
            for (index, nibble) in nibbles.enumerate() {
                // Nibbles beyond 64 fold over the key again.
                let shift = if index % 2 == 0 { 4 } else { 0 };
                key[(index / 2) % 32] ^= (nibble as u8) << shift;
            }
        }
        fold(&mut key[24..], &self.time_stamp.to_le_bytes());
        key
    }

    /// Which sources there are, for the boot log: `RDSEED/RDRAND + host seed + TSC`.
    pub fn names(&self) -> &'static str {
        match (
            self.hardware.is_some(),
            self.host.is_some_and(has_hex_digit),
        ) {
            (true, true) => "processor + host seed + TSC",
            (true, false) => "processor + TSC",
            (false, true) => "host seed + TSC",
            (false, false) => "TSC only (no processor generator, no sauce.seed=): predictable",
        }
    }
}

fn has_hex_digit(text: &str) -> bool {
    text.chars().any(|character| character.is_ascii_hexdigit())
}

fn fold(target: &mut [u8], bytes: &[u8]) {
    for (target, byte) in target.iter_mut().zip(bytes) {
        *target ^= byte;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_source_changes_the_key() {
        let base = Sources {
            hardware: Some([1, 2, 3, 4]),
            host: Some("00ff"),
            time_stamp: 99,
        };
        let key = base.key();
        assert_ne!(
            Sources {
                hardware: Some([1, 2, 3, 5]),
                ..base
            }
            .key(),
            key
        );
        assert_ne!(
            Sources {
                host: Some("01ff"),
                ..base
            }
            .key(),
            key
        );
        assert_ne!(
            Sources {
                time_stamp: 100,
                ..base
            }
            .key(),
            key
        );
        assert_eq!(base.key(), key, "the same sources, the same key");
        // Every byte of a 64-digit host seed lands in the key.
        let host = "0123456789abcdef".repeat(4);
        let only_host = Sources {
            host: Some(&host),
            ..Sources::default()
        }
        .key();
        assert_eq!(only_host[0], 0x01);
        assert_eq!(only_host[31], 0xef);
        assert_eq!(base.names(), "processor + host seed + TSC");
        assert!(Sources::default().names().contains("predictable"));
    }
}
