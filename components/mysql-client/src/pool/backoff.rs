//! Exponential backoff with jitter between failed connection attempts.

/// The delay after the `failures`-th consecutive failure: `initial × 2^(failures − 1)`, capped
/// at `max`, of which the upper half is drawn from `random` ("equal jitter"), so clients that
/// failed together do not retry together, yet none retries sooner than half the delay.
pub(crate) fn delay_ms(failures: u32, initial_ms: u64, max_ms: u64, random: u32) -> u64 {
    if failures == 0 {
        return 0;
    }
    let exponent = (failures - 1).min(40);
    let ceiling = initial_ms
        .saturating_mul(1u64 << exponent)
        .min(max_ms)
        .max(1);
    let floor = ceiling / 2;
    floor + u64::from(random) % (ceiling - floor + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn delays_double_until_the_cap() {
        assert_eq!(delay_ms(0, 100, 10_000, 7), 0);
        assert_eq!(delay_ms(1, 100, 10_000, 0), 50);
        assert_eq!(delay_ms(1, 100, 10_000, 50), 100);
        assert_eq!(delay_ms(2, 100, 10_000, 0), 100);
        assert_eq!(delay_ms(3, 100, 10_000, 0), 200);
        assert_eq!(delay_ms(20, 100, 10_000, 0), 5_000);
        assert!(delay_ms(u32::MAX, 100, 10_000, u32::MAX) <= 10_000);
    }

    proptest! {
        #[test]
        fn a_delay_lies_between_half_the_ceiling_and_the_ceiling(failures in 1u32..100, initial in 1u64..10_000, max in 1u64..1_000_000, random in any::<u32>()) {
            let ceiling = initial.saturating_mul(1u64 << (failures - 1).min(40)).min(max);
            let delay = delay_ms(failures, initial, max, random);
            prop_assert!(delay <= ceiling.max(1));
            prop_assert!(delay >= ceiling / 2);
        }
    }
}
