//! Firecracker's `--boot-timer` report: when the guest writes 123 to the boot-timer device
//! (0xC000_0000), Firecracker logs, at level Info,
//! `Guest-boot-time =   4321 us 4 ms,   1234 CPU us 1 CPU ms`: wall-clock time and the VMM
//! process's CPU time since the `InstanceStart` request.

use std::time::Duration;

/// The marker before the numbers.
const MARKER: &str = "Guest-boot-time =";

/// One boot-timer report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GuestBootTime {
    /// Wall-clock time from `InstanceStart` to the guest's write.
    pub wall: Duration,
    /// CPU time Firecracker used over the same span.
    pub cpu: Duration,
}

/// The report in one log line, if the line holds one.
pub fn parse(line: &str) -> Option<GuestBootTime> {
    let rest = &line[line.find(MARKER)? + MARKER.len()..];
    let mut words = rest.split_whitespace();
    let wall: u64 = words.next()?.parse().ok()?;
    if words.next()? != "us" {
        return None;
    }
    // Skip "N ms," then read "M CPU us".
    let _milliseconds = words.next()?;
    if words.next()? != "ms," {
        return None;
    }
    let cpu: u64 = words.next()?.parse().ok()?;
    if (words.next()?, words.next()?) != ("CPU", "us") {
        return None;
    }
    Some(GuestBootTime {
        wall: Duration::from_micros(wall),
        cpu: Duration::from_micros(cpu),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_firecrackers_line() {
        let line = "2026-11-26T10:13:47.992297147 [anonymous-instance:fc_vcpu 0] Guest-boot-time =   4321 us 4 ms,    987 CPU us 0 CPU ms";
        assert_eq!(
            parse(line),
            Some(GuestBootTime {
                wall: Duration::from_micros(4321),
                cpu: Duration::from_micros(987)
            })
        );
        let wide = "[x:fc_vcpu 0:INFO] Guest-boot-time = 123456789 us 123456 ms, 1000000 CPU us 1000 CPU ms";
        assert_eq!(
            parse(wide).unwrap().wall,
            Duration::from_secs_f64(123.456789)
        );
    }

    #[test]
    fn other_lines_are_not_reports() {
        for line in [
            "",
            "Running Firecracker v1.16.0",
            "Guest-boot-time =",
            "Guest-boot-time = soon us 1 ms, 2 CPU us 0 CPU ms",
            "Guest-boot-time = 12 ms 1 ms, 2 CPU us 0 CPU ms",
            "Guest-boot-time = 12 us 1 ms, 2 CPU ms 0 CPU ms",
            "Guest-boot-time = 12 us 1 ms 2 CPU us",
        ] {
            assert_eq!(parse(line), None, "{line}");
        }
    }
}
