//! Arbitrary bytes as a text row; the first bytes choose up to 8 columns (type, flags, charset).
#![no_main]

use libfuzzer_sys::fuzz_target;
use sauce_mysql::protocol::column::{Column, ColumnType};
use sauce_mysql::protocol::text_row::decode_text_row;

fn columns(data: &[u8]) -> (Vec<Column>, &[u8]) {
    let count = usize::from(data.first().copied().unwrap_or(0) % 9);
    let specification = data.get(1..1 + 2 * count).unwrap_or(&[]);
    let columns = specification
        .chunks_exact(2)
        .map(|pair| Column {
            schema: String::new(),
            table: String::new(),
            name: String::from("c"),
            column_type: ColumnType::from_byte(pair[0]),
            flags: u16::from(pair[1] & 0x20),
            character_set: if pair[1] & 1 == 0 { 63 } else { 45 },
            length: 0,
            decimals: 0,
        })
        .collect();
    (columns, data.get(1 + 2 * count..).unwrap_or(&[]))
}

fuzz_target!(|data: &[u8]| {
    let (columns, payload) = columns(data);
    let mut values = Vec::new();
    if decode_text_row(payload, &columns, &mut values).is_ok() {
        assert_eq!(values.len(), columns.len());
    }
});
