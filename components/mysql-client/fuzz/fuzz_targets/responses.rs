//! Arbitrary bytes as OK, ERR and EOF packets, result-set terminators and prepare replies.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sauce_mysql::protocol::command::decode_prepare_ok;
use sauce_mysql::protocol::response::{
    decode_eof, decode_err, decode_ok, decode_terminator, ends_rows,
};

fuzz_target!(|data: &[u8]| {
    if let Ok(ok) = decode_ok(data) {
        assert!(ok.info.len() < data.len());
    }
    if let Ok(error) = decode_err(data) {
        assert_eq!(error.sql_state.len(), 5);
    }
    let _ = decode_eof(data);
    for deprecate_eof in [false, true] {
        if ends_rows(data, deprecate_eof) {
            let _ = decode_terminator(data, deprecate_eof);
        }
    }
    let _ = decode_prepare_ok(data);
});
