//! Arbitrary bytes as packets: never a panic, and a frame lies inside the input and the limit.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sauce_mysql::protocol::framing::{decode_frame, Decoded};

fuzz_target!(|data: &[u8]| {
    let Some((&control, bytes)) = data.split_first() else {
        return;
    };
    let limit = usize::from(control) * 4;
    match decode_frame(bytes, control >> 4, limit) {
        Ok(Decoded::Frame(frame)) => {
            assert!(frame.consumed <= bytes.len());
            assert!(frame.payload_length <= limit);
            let mut scratch = Vec::new();
            assert_eq!(
                frame.payload(bytes, &mut scratch).len(),
                frame.payload_length
            );
        }
        Ok(Decoded::Incomplete { needed }) => assert!(needed > bytes.len()),
        Err(_) => {}
    }
});
