//! Property and example tests of the RESP decoder.
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;
use proptest::prelude::*;

use super::*;

const LIMITS: Limits = Limits::DEFAULT;

/// Encodes `value` as RESP3 (test-side encoder, to check decoding).
fn encode(value: &Value, out: &mut Vec<u8>) {
    match value {
        Value::Nil => out.extend_from_slice(b"_\r\n"),
        Value::Status(text) => out.extend_from_slice(alloc::format!("+{text}\r\n").as_bytes()),
        Value::Error(text) => out.extend_from_slice(alloc::format!("-{text}\r\n").as_bytes()),
        Value::Integer(number) => out.extend_from_slice(alloc::format!(":{number}\r\n").as_bytes()),
        Value::Bulk(bytes) => {
            out.extend_from_slice(alloc::format!("${}\r\n", bytes.len()).as_bytes());
            out.extend_from_slice(bytes);
            out.extend_from_slice(b"\r\n");
        }
        Value::Array(values) | Value::Set(values) | Value::Push(values) => {
            let kind = match value {
                Value::Array(_) => '*',
                Value::Set(_) => '~',
                _ => '>',
            };
            out.extend_from_slice(alloc::format!("{kind}{}\r\n", values.len()).as_bytes());
            for value in values {
                encode(value, out);
            }
        }
        Value::Map(pairs) => {
            out.extend_from_slice(alloc::format!("%{}\r\n", pairs.len()).as_bytes());
            for (key, value) in pairs {
                encode(key, out);
                encode(value, out);
            }
        }
        Value::Double(number) => out.extend_from_slice(alloc::format!(",{number}\r\n").as_bytes()),
        Value::Boolean(flag) => out.extend_from_slice(if *flag { b"#t\r\n" } else { b"#f\r\n" }),
        Value::BigNumber(digits) => {
            out.extend_from_slice(alloc::format!("({digits}\r\n").as_bytes())
        }
        Value::Verbatim { format, text } => {
            out.extend_from_slice(alloc::format!("={}\r\n{format}:", text.len() + 4).as_bytes());
            out.extend_from_slice(text);
            out.extend_from_slice(b"\r\n");
        }
    }
}

fn value_strategy() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Nil),
        "[a-zA-Z0-9 ]{0,12}".prop_map(Value::Status),
        "[A-Z]{1,8} [a-z ]{0,12}".prop_map(Value::Error),
        any::<i64>().prop_map(Value::Integer),
        proptest::collection::vec(any::<u8>(), 0..24).prop_map(Value::Bulk),
        (-1.0e9f64..1.0e9).prop_map(Value::Double),
        any::<bool>().prop_map(Value::Boolean),
        "-?[1-9][0-9]{0,30}".prop_map(Value::BigNumber),
        proptest::collection::vec(any::<u8>(), 0..12).prop_map(|text| Value::Verbatim {
            format: String::from("txt"),
            text
        }),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Set),
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Push),
            proptest::collection::vec((inner.clone(), inner), 0..4).prop_map(Value::Map),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn decoding_arbitrary_bytes_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..200), limit in 0usize..300, depth in 0usize..6) {
        let limits = Limits { max_reply_bytes: limit, max_depth: depth };
        let mut rest: &[u8] = &bytes;
        while let Ok(Some((_, length))) = decode(rest, &limits) {
            prop_assert!(length > 0 && length <= rest.len() && length <= limit);
            rest = &rest[length..];
        }
    }

    #[test]
    fn arbitrary_bytes_in_the_shape_of_replies_never_panic(parts in proptest::collection::vec(prop_oneof![
        Just(&b"*"[..]), Just(&b"$"[..]), Just(&b"%"[..]), Just(&b"|"[..]), Just(&b">"[..]),
        Just(&b"\r\n"[..]), Just(&b"-1"[..]), Just(&b"2"[..]), Just(&b"99999999999"[..]),
        Just(&b"_"[..]), Just(&b":"[..]), Just(&b"="[..]), Just(&b"txt:"[..]), Just(&b"#t"[..]),
    ], 0..40)) {
        let bytes: Vec<u8> = parts.concat();
        let _ = scan(&bytes, &LIMITS);
        let _ = decode(&bytes, &LIMITS);
    }

    #[test]
    fn encoded_values_decode_to_themselves_however_they_are_split(value in value_strategy(), cut in any::<prop::sample::Index>()) {
        let mut bytes = Vec::new();
        encode(&value, &mut bytes);
        let (decoded, length) = decode(&bytes, &LIMITS).unwrap().unwrap();
        prop_assert_eq!(length, bytes.len());
        prop_assert_eq!(&decoded, &value);
        let cut = cut.index(bytes.len());
        match scan(&bytes[..cut], &LIMITS).unwrap() {
            Scan::Incomplete { needed } => prop_assert!(needed > cut && needed <= bytes.len()),
            Scan::Complete { .. } => prop_assert!(false, "a prefix is never whole"),
        }
        prop_assert_eq!(decode(&bytes[..cut], &LIMITS).unwrap(), None);
    }
}

#[test]
fn resp2_nulls_and_attributes() {
    assert_eq!(decode(b"$-1\r\n", &LIMITS), Ok(Some((Value::Nil, 5))));
    assert_eq!(decode(b"*-1\r\n", &LIMITS), Ok(Some((Value::Nil, 5))));
    let attributed = b"|1\r\n+ttl\r\n:3\r\n:42\r\n";
    assert_eq!(
        decode(attributed, &LIMITS),
        Ok(Some((Value::Integer(42), attributed.len())))
    );
}

#[test]
fn declared_sizes_over_the_limit_are_refused_before_the_data_arrives() {
    let limits = Limits {
        max_reply_bytes: 1024,
        max_depth: 4,
    };
    assert_eq!(
        scan(b"$1000000\r\n", &limits),
        Err(ProtocolError::TooLarge(1024))
    );
    assert_eq!(
        scan(b"*1000000\r\n", &limits),
        Err(ProtocolError::TooLarge(1024))
    );
    assert_eq!(
        scan(b"*1\r\n*1\r\n*1\r\n*1\r\n*1\r\n:1\r\n", &limits),
        Err(ProtocolError::TooDeep(4))
    );
    let endless = [b'+'; 2000];
    assert_eq!(scan(&endless, &limits), Err(ProtocolError::TooLarge(1024)));
    assert_eq!(
        scan(b"$3\r\nabcd\r\n", &limits),
        Err(ProtocolError::LineEnding)
    );
    assert_eq!(scan(b":12a\r\n", &limits), Err(ProtocolError::Integer));
    assert_eq!(
        scan(b":99999999999999999999\r\n", &limits),
        Err(ProtocolError::Integer)
    );
    assert_eq!(
        scan(b"?\r\n", &limits),
        Err(ProtocolError::UnknownType(b'?'))
    );
    assert_eq!(scan(b"+OK\n", &limits), Err(ProtocolError::LineEnding));
}
