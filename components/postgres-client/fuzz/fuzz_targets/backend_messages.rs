//! Decodes arbitrary bytes as backend messages: no panic, no read past the input, every
//! accessor of every decoded message walked.
#![no_main]
use libfuzzer_sys::fuzz_target;
use sauce_postgres::protocol::{decode, Authentication, BackendMessage};
use sauce_postgres::ServerError;

fuzz_target!(|input: &[u8]| {
    let Some((&limit, mut rest)) = input.split_first() else {
        return;
    };
    let limit = usize::from(limit) * 16;
    while let Ok(Some((message, length))) = decode(rest, limit) {
        assert!(length >= 5 && length <= rest.len());
        match message {
            BackendMessage::DataRow(row) => assert_eq!(row.values().count(), row.len()),
            BackendMessage::RowDescription(description) => {
                assert_eq!(description.fields().count(), description.len())
            }
            BackendMessage::ErrorResponse(fields) | BackendMessage::NoticeResponse(fields) => {
                let _ = ServerError::from_fields(&fields);
            }
            BackendMessage::Authentication(Authentication::Sasl(mechanisms)) => {
                let _ = mechanisms.iter().count();
            }
            _ => {}
        }
        assert_eq!(
            decode(&rest[..length], limit)
                .ok()
                .flatten()
                .map(|(_, used)| used),
            Some(length)
        );
        rest = &rest[length..];
    }
});
