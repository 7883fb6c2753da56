//! Every supported type through a table and back, NULLs, and hostile strings kept verbatim.
use sauce_connect::host::block_on;
use sauce_postgres::{Json, Numeric, Timestamp, ToParameter, Uuid};

use super::{case, client};
use crate::support::harness::Case;
use crate::Context;

pub fn cases() -> Vec<Case<Context>> {
    vec![
        case("types_every_type_round_trips_through_a_table", round_trip),
        case("types_null_reads_as_none_for_every_type", nulls),
        case("types_decoded_values_match_the_servers_text", server_text),
        case("types_injection_strings_are_stored_verbatim", injection),
        case(
            "simple_query_returns_text_rows_of_several_statements",
            simple_query,
        ),
    ]
}

fn round_trip(context: &Context) {
    let mut client = client(context);
    block_on(async {
        client
            .batch_execute(
                "DROP TABLE IF EXISTS every_type; CREATE TABLE every_type (
                    small int2, regular int4, big int8, real8 float8, body text, name varchar(40),
                    flag bool, at timestamptz, id uuid, document json, binary_document jsonb,
                    bytes bytea, amount numeric(20, 4))",
            )
            .await
            .unwrap();
        let at = Timestamp::from_unix_microseconds(1_614_834_367_123_456);
        let id = Uuid::parse("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11").unwrap();
        let bytes: Vec<u8> = (0..=255).collect();
        let inserted = client
            .execute(
                "INSERT INTO every_type VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
                &[
                    &-32768i16, &2_147_483_647i32, &i64::MIN, &-1.5e300f64, &"héllo ✓", &"name",
                    &true, &at, &id, &Json(r#"{"a": [1, 2]}"#), &Json(r#"{"b": null}"#), &bytes,
                    &Numeric("-1234567890.1234"),
                ],
            )
            .await
            .unwrap();
        assert_eq!(inserted, 1);
        let row = client
            .query_one("SELECT * FROM every_type", &[])
            .await
            .unwrap();
        assert_eq!(row.get::<i16>(0).unwrap(), -32768);
        assert_eq!(row.get::<i32>(1).unwrap(), 2_147_483_647);
        assert_eq!(row.get::<i64>(2).unwrap(), i64::MIN);
        assert_eq!(row.get::<f64>(3).unwrap(), -1.5e300);
        assert_eq!(row.get::<String>(4).unwrap(), "héllo ✓");
        assert_eq!(row.get_named::<String>("name").unwrap(), "name");
        assert!(row.get::<bool>(6).unwrap());
        assert_eq!(row.get::<Timestamp>(7).unwrap(), at);
        assert_eq!(row.get::<Uuid>(8).unwrap(), id);
        assert_eq!(row.get::<Json>(9).unwrap().0, r#"{"a": [1, 2]}"#);
        assert_eq!(row.get::<Json>(10).unwrap().0, r#"{"b": null}"#);
        assert_eq!(row.get::<Vec<u8>>(11).unwrap(), bytes);
        assert_eq!(row.get::<Numeric>(12).unwrap().0, "-1234567890.1234");
        // Widening reads and type mismatches.
        assert_eq!(row.get::<i64>(0).unwrap(), -32768);
        assert!(row.get::<i32>(2).is_err());
        assert!(row.get::<String>(1).is_err());
        assert!(row.get::<i32>(99).is_err());
    });
}

fn nulls(context: &Context) {
    let mut client = client(context);
    block_on(async {
        let parameters: [&dyn ToParameter; 13] = [
            &None::<i16>,
            &None::<i32>,
            &None::<i64>,
            &None::<f64>,
            &None::<String>,
            &None::<&str>,
            &None::<bool>,
            &None::<Timestamp>,
            &None::<Uuid>,
            &None::<Json>,
            &None::<Json<&str>>,
            &None::<Vec<u8>>,
            &None::<Numeric>,
        ];
        client
            .batch_execute(
                "DROP TABLE IF EXISTS nullable; CREATE TABLE nullable (
                    a int2, b int4, c int8, d float8, e text, f varchar, g bool, h timestamptz,
                    i uuid, j json, k jsonb, l bytea, m numeric)",
            )
            .await
            .unwrap();
        client
            .execute(
                "INSERT INTO nullable VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
                &parameters,
            )
            .await
            .unwrap();
        let row = client
            .query_one("SELECT * FROM nullable", &[])
            .await
            .unwrap();
        assert_eq!(row.get::<Option<i16>>(0).unwrap(), None);
        assert_eq!(row.get::<Option<i32>>(1).unwrap(), None);
        assert_eq!(row.get::<Option<i64>>(2).unwrap(), None);
        assert_eq!(row.get::<Option<f64>>(3).unwrap(), None);
        assert_eq!(row.get::<Option<String>>(4).unwrap(), None);
        assert_eq!(row.get::<Option<String>>(5).unwrap(), None);
        assert_eq!(row.get::<Option<bool>>(6).unwrap(), None);
        assert_eq!(row.get::<Option<Timestamp>>(7).unwrap(), None);
        assert_eq!(row.get::<Option<Uuid>>(8).unwrap(), None);
        assert_eq!(row.get::<Option<Json>>(9).unwrap(), None);
        assert_eq!(row.get::<Option<Json>>(10).unwrap(), None);
        assert_eq!(row.get::<Option<Vec<u8>>>(11).unwrap(), None);
        assert_eq!(row.get::<Option<Numeric>>(12).unwrap(), None);
        let error = row.get::<i32>(1).unwrap_err();
        assert_eq!(error.kind(), sauce_postgres::ErrorKind::Usage, "{error}");
    });
}

fn server_text(context: &Context) {
    let mut client = client(context);
    block_on(async {
        let row = client
            .query_one(
                "SELECT $1::timestamptz, extract(epoch FROM $1::timestamptz)::float8,
                        'infinity'::timestamptz, '1970-01-01 00:00:00.000001+00'::timestamptz",
                &[&Timestamp::from_unix_microseconds(-1_500_000)],
            )
            .await
            .unwrap();
        assert_eq!(
            row.get::<Timestamp>(0).unwrap().unix_microseconds,
            -1_500_000
        );
        assert_eq!(row.get::<f64>(1).unwrap(), -1.5);
        assert_eq!(row.get::<Timestamp>(2).unwrap(), Timestamp::INFINITY);
        assert_eq!(row.get::<Timestamp>(3).unwrap().unix_microseconds, 1);

        let numbers = [
            "0",
            "-0.0001",
            "123456789012345678901234567890",
            "1e-20",
            "NaN",
            "Infinity",
            "-Infinity",
            "9999.9999",
            "10000",
            "0.5",
            "-12.500",
        ];
        for number in numbers {
            let row = client
                .query_one("SELECT $1::numeric, $1::numeric::text", &[&Numeric(number)])
                .await
                .unwrap();
            assert_eq!(
                row.get::<Numeric>(0).unwrap().0,
                row.get::<String>(1).unwrap(),
                "{number}"
            );
        }
        let row = client
            .query_one("SELECT gen_random_uuid(), gen_random_uuid()::text", &[])
            .await
            .unwrap();
        let id: Uuid = row.get(0).unwrap();
        assert_eq!(id.to_string().len(), 36);
        assert_eq!(
            Uuid::parse(&row.get::<String>(1).unwrap()).map(|parsed| parsed.to_string().len()),
            Some(36)
        );
    });
}

fn injection(context: &Context) {
    let mut client = client(context);
    let hostile = [
        "'; DROP TABLE notes; --",
        "Robert'); DROP TABLE notes;--",
        "$1",
        "\\'\\\\",
        "\"quoted\" 'single' `back`",
        "' OR '1'='1",
        "line\nbreak\ttab",
        "$$ dollar $$",
    ];
    block_on(async {
        client
            .batch_execute("DROP TABLE IF EXISTS notes; CREATE TABLE notes (id serial PRIMARY KEY, body text NOT NULL)")
            .await
            .unwrap();
        for text in hostile {
            client
                .execute("INSERT INTO notes (body) VALUES ($1)", &[&text])
                .await
                .unwrap();
        }
        let rows = client
            .query("SELECT body FROM notes ORDER BY id", &[])
            .await
            .unwrap();
        let stored: Vec<String> = rows.iter().map(|row| row.get(0).unwrap()).collect();
        assert_eq!(stored, hostile);
        let found = client
            .query(
                "SELECT count(*) FROM notes WHERE body = $1",
                &[&"' OR '1'='1"],
            )
            .await
            .unwrap();
        assert_eq!(found[0].get::<i64>(0).unwrap(), 1);
    });
}

fn simple_query(context: &Context) {
    let mut client = client(context);
    block_on(async {
        let rows = client
            .simple_query("SELECT 1 AS one, NULL::text AS nothing; SELECT 'two'")
            .await
            .unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].get(0), Some("1"));
        assert_eq!(rows[0].get(1), None);
        assert_eq!(rows[0].columns()[0].name, "one");
        assert_eq!(rows[1].get(0), Some("two"));
    });
}
