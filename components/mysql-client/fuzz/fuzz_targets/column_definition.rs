//! Arbitrary bytes as a column definition.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sauce_mysql::protocol::column::decode_column;

fuzz_target!(|data: &[u8]| {
    if let Ok(column) = decode_column(data) {
        assert!(column.name.len() <= data.len() * 3);
    }
});
