//! Ephemeral ports (RFC 6335's dynamic range, 49152–65535), handed out in turn from a random
//! start, so a port comes back only after 16,384 others: what TIME-WAIT would protect (a late
//! segment of an old connection mistaken for a new one's) is kept by rotation instead.

/// The first dynamic port.
const FIRST: u16 = 49152;
/// How many there are.
const COUNT: u32 = 65536 - FIRST as u32;

/// The next ephemeral port to try.
#[derive(Clone, Copy, Debug)]
pub(crate) struct EphemeralPorts {
    next: u32,
}

impl EphemeralPorts {
    /// Starts at a place in the range chosen by `seed` (a boot's randomness).
    pub fn new(seed: u64) -> EphemeralPorts {
        EphemeralPorts {
            next: (seed % u64::from(COUNT)) as u32,
        }
    }

    /// The next port for which `in_use` is false; `None` when every one is in use.
    pub fn take(&mut self, in_use: impl Fn(u16) -> bool) -> Option<u16> {
        for _ in 0..COUNT {
            let port = FIRST + (self.next % COUNT) as u16;
            self.next = (self.next + 1) % COUNT;
            if !in_use(port) {
                return Some(port);
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ports_rotate_over_the_dynamic_range_and_skip_those_in_use() {
        let mut ports = EphemeralPorts::new(u64::from(COUNT) - 1);
        assert_eq!(ports.take(|_| false), Some(65535));
        assert_eq!(ports.take(|_| false), Some(49152));
        assert_eq!(ports.take(|port| port == 49153), Some(49154));
        assert_eq!(ports.take(|_| true), None);
        let mut seen = std::collections::BTreeSet::new();
        let mut ports = EphemeralPorts::new(12345);
        for _ in 0..COUNT {
            seen.insert(ports.take(|_| false).unwrap());
        }
        assert_eq!(seen.len(), COUNT as usize);
    }
}
