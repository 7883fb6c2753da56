//! Decodes arbitrary bytes as a value of every supported column type: no panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use sauce_postgres::types::{oid, FromSql};
use sauce_postgres::{Json, Numeric, Timestamp, Uuid};

/// Decodes `value` as `T` under every type OID this crate knows.
fn every_type<T: FromSql>(value: Option<&[u8]>) {
    const TYPES: [u32; 18] = [
        oid::BOOL,
        oid::BYTEA,
        oid::NAME,
        oid::INT8,
        oid::INT2,
        oid::INT4,
        oid::TEXT,
        oid::JSON,
        oid::FLOAT4,
        oid::FLOAT8,
        oid::UNKNOWN,
        oid::BPCHAR,
        oid::VARCHAR,
        oid::TIMESTAMP,
        oid::TIMESTAMPTZ,
        oid::NUMERIC,
        oid::UUID,
        oid::JSONB,
    ];
    for type_oid in TYPES {
        let _ = T::from_sql(type_oid, value);
        let _ = Option::<T>::from_sql(type_oid, value);
    }
}

fuzz_target!(|input: &[u8]| {
    let value = (input.first() != Some(&0xff)).then_some(input);
    every_type::<bool>(value);
    every_type::<i16>(value);
    every_type::<i32>(value);
    every_type::<i64>(value);
    every_type::<f32>(value);
    every_type::<f64>(value);
    every_type::<String>(value);
    every_type::<Vec<u8>>(value);
    every_type::<Uuid>(value);
    every_type::<Timestamp>(value);
    every_type::<Json>(value);
    if let Ok(Numeric(text)) = Numeric::from_sql(oid::NUMERIC, value) {
        assert!(text.len() < 200_000);
    }
});
