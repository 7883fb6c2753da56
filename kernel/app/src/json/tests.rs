//! The writer against `serde_json`: the same bytes for every value, or an error for both.

use super::*;
use alloc::borrow::ToOwned;
use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec;
use proptest::prelude::*;
use serde::Serialize;
use serde_json::Value;

/// Both writers agree on `value`: the same bytes, or both fail.
fn agree<T: Serialize + ?Sized + core::fmt::Debug>(value: &T) {
    let ours = to_vec(value);
    let theirs = serde_json::to_vec(value);
    match (&ours, &theirs) {
        (Ok(ours), Ok(theirs)) => assert_eq!(
            String::from_utf8_lossy(ours),
            String::from_utf8_lossy(theirs),
            "{value:?}"
        ),
        (Err(_), Err(_)) => {}
        _ => panic!("{value:?}: ours {ours:?}, serde_json {theirs:?}"),
    }
}

#[derive(Debug, Serialize)]
struct Unit;

#[derive(Debug, Serialize)]
struct Newtype(i32);

#[derive(Debug, Serialize)]
struct Pair(u8, String);

#[derive(Debug, Serialize)]
enum Shape {
    Empty,
    Circle(f64),
    Segment(i64, i64),
    Box { width: u32, label: Option<String> },
}

#[derive(Debug, Serialize)]
struct Everything {
    flag: bool,
    small: i8,
    big: u128,
    negative: i128,
    ratio: f32,
    precise: f64,
    letter: char,
    text: String,
    #[serde(with = "serde_bytes_like")]
    raw: Vec<u8>,
    missing: Option<u8>,
    unit: (),
    unit_struct: Unit,
    newtype: Newtype,
    pair: Pair,
    tuple: (bool, &'static str),
    shapes: Vec<Shape>,
    by_number: BTreeMap<i64, bool>,
    by_flag: BTreeMap<bool, u8>,
    by_letter: BTreeMap<char, u8>,
    nested: Vec<Vec<Option<i16>>>,
}

/// Serialises a byte vector with `serialize_bytes` (as `serde_bytes` would).
mod serde_bytes_like {
    pub fn serialize<S: serde::Serializer>(bytes: &[u8], serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(bytes)
    }
}

#[test]
fn every_shape_of_serdes_model_is_written_as_serde_json_writes_it() {
    let everything = Everything {
        flag: true,
        small: -128,
        big: u128::MAX,
        negative: i128::MIN,
        ratio: 0.1,
        precise: -1.5e300,
        letter: 'é',
        text: "quote \" backslash \\ slash / tab \t nul \0 bell \u{7} del \u{7f} é 😀".to_owned(),
        raw: vec![0, 1, 255],
        missing: None,
        unit: (),
        unit_struct: Unit,
        newtype: Newtype(-7),
        pair: Pair(3, "three".to_owned()),
        tuple: (false, "x"),
        shapes: vec![
            Shape::Empty,
            Shape::Circle(2.5),
            Shape::Segment(-1, 1),
            Shape::Box {
                width: 4,
                label: Some("four".to_owned()),
            },
        ],
        by_number: BTreeMap::from([(-3, true), (9, false)]),
        by_flag: BTreeMap::from([(false, 0), (true, 1)]),
        by_letter: BTreeMap::from([('"', 1), ('a', 2)]),
        nested: vec![vec![], vec![None, Some(-1)]],
    };
    agree(&everything);
    for float in [
        0.0,
        -0.0,
        1.0,
        1e21,
        1e-7,
        f64::MAX,
        f64::MIN_POSITIVE,
        123.456,
    ] {
        agree(&float);
        agree(&(float as f32));
        agree(&BTreeMap::from([(float.to_bits(), float)]));
    }
    for control in 0u8..0x20 {
        agree(&String::from(char::from(control)));
    }
    agree(&f64::NAN);
    agree(&f32::INFINITY);
    agree(&Vec::<u8>::new());
    agree(&BTreeMap::<String, u8>::new());
    agree(&Shape::Empty);
}

#[test]
fn keys_that_are_not_strings_fail_as_in_serde_json() {
    agree(&BTreeMap::from([(vec![1], 1)]));
    agree(&BTreeMap::from([((), 1)]));
    agree(&BTreeMap::from([(Some(3), 1)]));
    agree(&BTreeMap::from([(Option::<u8>::None, 1)]));
    let float_keys = [(FloatKey(f64::NAN), 1)];
    agree(&MapOf(&float_keys));
    let finite_keys = [(FloatKey(2.5), 1)];
    agree(&MapOf(&finite_keys));
    let error = to_vec(&BTreeMap::from([(vec![1], 1)])).unwrap_err();
    assert_eq!(error.to_string(), "key must be a string");
}

/// A float as a map key (floats are not `Ord`, so no `BTreeMap` of them).
#[derive(Debug)]
struct FloatKey(f64);

impl Serialize for FloatKey {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_f64(self.0)
    }
}

/// A map of the given pairs, in order.
#[derive(Debug)]
struct MapOf<'a>(&'a [(FloatKey, i32)]);

impl Serialize for MapOf<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().map(|(key, value)| (key, value)))
    }
}

/// Any JSON value, nested a few levels.
fn values() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |float| float.is_finite())
            .prop_map(Value::from),
        any::<String>().prop_map(Value::String),
        "[\\x00-\\x7f]{0,40}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            prop::collection::vec((any::<String>(), inner), 0..8)
                .prop_map(|pairs| Value::Object(pairs.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn any_json_value_is_written_as_serde_json_writes_it(value in values()) {
        agree(&value);
    }
}
