//! What the host tells a guest at each launch on its command line: `sauce.time=` (the host's
//! wall clock, Unix milliseconds: the guest has no clock of its own worth trusting) and
//! `sauce.seed=` (64 hex digits of the host's randomness, seeding the guest's generator).
//! Computed per launch, so a guest booted again by `--restart` gets fresh ones.

use std::io::Read;
use std::time::{SystemTime, UNIX_EPOCH};

/// ` sauce.time=… sauce.seed=…` for a launch now.
pub fn arguments() -> String {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_millis());
    let mut seed = [0u8; 32];
    let read = std::fs::File::open("/dev/urandom").and_then(|mut file| file.read_exact(&mut seed));
    if read.is_err() {
        // Still different per launch: the time and the process.
        let mixed = now ^ u128::from(std::process::id()) << 64;
        seed[..16].copy_from_slice(&mixed.to_le_bytes());
    }
    let hex: String = seed.iter().map(|byte| format!("{byte:02x}")).collect();
    format!(" sauce.time={now} sauce.seed={hex}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_launch_gets_the_time_and_a_fresh_seed() {
        let first = arguments();
        let second = arguments();
        assert!(
            first.starts_with(" sauce.time=1") && first.contains(" sauce.seed="),
            "{first}"
        );
        let seed = |text: &str| text.split("sauce.seed=").nth(1).unwrap().to_owned();
        assert_eq!(seed(&first).len(), 64);
        assert_ne!(seed(&first), seed(&second));
    }
}
