//! Decodes arbitrary bytes as replies: no panic, lengths within the input and the limit, and
//! `scan` agrees with `decode`.
#![no_main]
use libfuzzer_sys::fuzz_target;
use sauce_redis::resp::{decode, scan, Limits, Scan};

fuzz_target!(|input: &[u8]| {
    let Some((&[size, depth], mut rest)) = input.split_first_chunk::<2>() else {
        return;
    };
    let limits = Limits {
        max_reply_bytes: usize::from(size) * 32,
        max_depth: usize::from(depth % 40),
    };
    loop {
        let scanned = scan(rest, &limits);
        let decoded = decode(rest, &limits);
        match (scanned, decoded) {
            (Ok(Scan::Complete { length }), Ok(Some((_, decoded_length)))) => {
                assert_eq!(length, decoded_length);
                assert!(length > 0 && length <= rest.len() && length <= limits.max_reply_bytes);
                if length > 1 {
                    assert!(matches!(
                        scan(&rest[..length - 1], &limits),
                        Ok(Scan::Incomplete { .. })
                    ));
                }
                rest = &rest[length..];
            }
            (Ok(Scan::Incomplete { needed }), Ok(None)) => {
                assert!(needed > rest.len());
                return;
            }
            (Err(scan_error), Err(decode_error)) => {
                assert_eq!(scan_error, decode_error);
                return;
            }
            (scanned, decoded) => panic!("scan {scanned:?} and decode {decoded:?} disagree"),
        }
    }
});
