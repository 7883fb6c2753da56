//! Property tests: no input makes the decoders panic, and splitting never changes a decode.
use alloc::vec::Vec;
use proptest::prelude::*;

use super::*;
use crate::types::Parameter;

/// A backend message frame with `tag` and `body`.
fn framed(tag: u8, body: &[u8]) -> Vec<u8> {
    let mut frame = alloc::vec![tag];
    frame.extend_from_slice(&(body.len() as i32 + 4).to_be_bytes());
    frame.extend_from_slice(body);
    frame
}

/// A valid data row of `values`.
fn data_row(values: &[Option<Vec<u8>>]) -> Vec<u8> {
    let mut body = (values.len() as u16).to_be_bytes().to_vec();
    for value in values {
        match value {
            None => body.extend_from_slice(&(-1i32).to_be_bytes()),
            Some(bytes) => {
                body.extend_from_slice(&(bytes.len() as i32).to_be_bytes());
                body.extend_from_slice(bytes);
            }
        }
    }
    framed(b'D', &body)
}

/// Some valid messages of several types.
fn valid_message() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(
            proptest::option::of(proptest::collection::vec(any::<u8>(), 0..20)),
            0..6
        )
        .prop_map(|values| data_row(&values)),
        "[a-z ]{0,20}".prop_map(|tag| {
            let mut body = tag.into_bytes();
            body.push(0);
            framed(b'C', &body)
        }),
        prop_oneof![Just(b'I'), Just(b'T'), Just(b'E')].prop_map(|status| framed(b'Z', &[status])),
        Just(framed(b'E', b"SERROR\0C23505\0Mduplicate\0\0")),
        Just(framed(b'1', b"")),
        Just(framed(b'2', b"")),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn decoding_arbitrary_bytes_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..300), limit in 0usize..400) {
        let mut rest: &[u8] = &bytes;
        while let Ok(Some((message, length))) = decode(rest, limit) {
            prop_assert!(length >= 5 && length <= rest.len());
            if let BackendMessage::DataRow(row) = message {
                prop_assert_eq!(row.values().count(), row.len());
            }
            if let BackendMessage::RowDescription(description) = message {
                prop_assert_eq!(description.fields().count(), description.len());
            }
            rest = &rest[length..];
        }
    }

    #[test]
    fn parsing_any_body_under_any_tag_never_panics(tag in any::<u8>(), body in proptest::collection::vec(any::<u8>(), 0..64)) {
        if let Ok(message) = parse(tag, &body) {
            prop_assert_eq!(message.tag(), tag);
        }
    }

    #[test]
    fn a_declared_length_over_the_limit_is_refused_from_the_header(length in 0i32..i32::MAX, limit in 0usize..1000) {
        let mut header = alloc::vec![b'D'];
        header.extend_from_slice(&length.to_be_bytes());
        match frame(&header, limit) {
            Err(ProtocolError::InvalidLength(_)) => prop_assert!(length < 4),
            Err(ProtocolError::TooLarge { .. }) => prop_assert!(length as usize - 4 > limit),
            Ok(Frame::Incomplete { needed }) => prop_assert_eq!(needed, length as usize + 1),
            Ok(Frame::Complete { .. }) => prop_assert_eq!(length, 4),
            Err(other) => prop_assert!(false, "{other:?}"),
        }
    }

    #[test]
    fn splitting_a_stream_of_messages_never_changes_what_is_decoded(
        messages in proptest::collection::vec(valid_message(), 1..8),
        cuts in proptest::collection::vec(any::<prop::sample::Index>(), 0..6),
    ) {
        let stream: Vec<u8> = messages.concat();
        let mut expected = Vec::new();
        let mut rest: &[u8] = &stream;
        while let Some((message, length)) = decode(rest, 1 << 16).unwrap() {
            expected.push(alloc::format!("{message:?}"));
            rest = &rest[length..];
        }
        prop_assert_eq!(expected.len(), messages.len());

        // Feed the same bytes in pieces, as reads would deliver them.
        let mut points: Vec<usize> = cuts.iter().map(|cut| cut.index(stream.len() + 1)).collect();
        points.push(stream.len());
        points.sort_unstable();
        let mut buffer = Vec::new();
        let mut decoded = Vec::new();
        let mut previous = 0;
        for point in points {
            buffer.extend_from_slice(&stream[previous..point]);
            previous = point;
            while let Some((message, length)) = decode(&buffer, 1 << 16).unwrap() {
                decoded.push(alloc::format!("{message:?}"));
                buffer.drain(..length);
            }
        }
        prop_assert_eq!(decoded, expected);
    }

    #[test]
    fn an_encoded_bind_is_one_well_formed_message(
        texts in proptest::collection::vec(".{0,12}", 0..5),
        numbers in proptest::collection::vec(any::<i64>(), 0..5),
    ) {
        let mut parameters: Vec<Parameter<'_>> = texts.iter().map(|text| Parameter::Text(text)).collect();
        parameters.extend(numbers.iter().map(|&number| Parameter::Int8(number)));
        let mut buffer = Vec::new();
        parse_statement(&mut buffer, "", "SELECT 1", &parameters).unwrap();
        bind(&mut buffer, "", "", &parameters).unwrap();
        let mut rest: &[u8] = &buffer;
        let mut tags = Vec::new();
        while let Ok(Frame::Complete { tag, length }) = frame(rest, usize::MAX) {
            tags.push(tag);
            rest = &rest[length..];
        }
        prop_assert!(rest.is_empty());
        prop_assert_eq!(tags, alloc::vec![b'P', b'B']);
    }
}

#[test]
fn a_statement_with_a_nul_byte_leaves_no_partial_message() {
    let mut buffer = alloc::vec![1, 2, 3];
    assert_eq!(
        query(&mut buffer, "SELECT '\0'"),
        Err(EncodeError::ContainsNul("the statement"))
    );
    assert_eq!(
        parse_statement(&mut buffer, "", "SELECT $1\0", &[Parameter::Int4(1)]),
        Err(EncodeError::ContainsNul("the statement"))
    );
    assert_eq!(buffer, [1, 2, 3]);
}

#[test]
fn known_messages_decode_to_their_fields() {
    let row = data_row(&[Some(b"42".to_vec()), None]);
    let (message, length) = decode(&row, 100).unwrap().unwrap();
    assert_eq!(length, row.len());
    let BackendMessage::DataRow(data) = message else {
        panic!("{message:?}")
    };
    assert_eq!(data.values().collect::<Vec<_>>(), [Some(&b"42"[..]), None]);

    let sasl = framed(b'R', b"\0\0\0\x0aSCRAM-SHA-256-PLUS\0SCRAM-SHA-256\0\0");
    let (message, _) = decode(&sasl, 100).unwrap().unwrap();
    let BackendMessage::Authentication(Authentication::Sasl(mechanisms)) = message else {
        panic!("{message:?}")
    };
    assert_eq!(
        mechanisms.iter().collect::<Vec<_>>(),
        ["SCRAM-SHA-256-PLUS", "SCRAM-SHA-256"]
    );

    assert_eq!(
        decode(&framed(b'Z', b"X"), 100),
        Err(ProtocolError::InvalidValue("a transaction status"))
    );
    assert_eq!(
        decode(&framed(b'?', b""), 100),
        Err(ProtocolError::UnknownMessage(b'?'))
    );
    assert_eq!(
        decode(&framed(b'D', b"\0\x01\0\0\0\x09abc"), 100),
        Err(ProtocolError::Truncated("a data row"))
    );
}
