//! Server errors surfaced with their fields and kinds; notices ignored; limits enforced.
use sauce_connect::host::block_on;
use sauce_postgres::{Error, ErrorKind, Limits};

use super::{case, client, connect};
use crate::support::harness::Case;
use crate::Context;

pub fn cases() -> Vec<Case<Context>> {
    vec![
        case(
            "error_unique_violation_has_sqlstate_23505_and_its_fields",
            unique_violation,
        ),
        case("error_syntax_error_keeps_the_client_usable", syntax_error),
        case("error_bad_input_and_not_null_are_bad_input", bad_input),
        case("error_notices_are_ignored", notices),
        case(
            "limits_a_row_over_the_message_limit_is_refused",
            message_limit,
        ),
        case(
            "limits_a_result_over_the_result_limit_breaks_the_connection",
            result_limit,
        ),
    ]
}

fn unique_violation(context: &Context) {
    let mut client = client(context);
    block_on(async {
        client
            .batch_execute(
                "DROP TABLE IF EXISTS people; CREATE TABLE people (email text CONSTRAINT people_email_key UNIQUE)",
            )
            .await
            .unwrap();
        client
            .execute("INSERT INTO people VALUES ($1)", &[&"ada@example.com"])
            .await
            .unwrap();
        let error = client
            .execute("INSERT INTO people VALUES ($1)", &[&"ada@example.com"])
            .await
            .unwrap_err();
        assert_eq!(error.kind(), ErrorKind::UniqueViolation);
        assert_eq!(error.kind().http_status(), 409);
        let server = error.server_error().expect("server fields");
        assert_eq!(server.code, "23505");
        assert_eq!(server.severity, "ERROR");
        assert_eq!(server.constraint, "people_email_key");
        assert_eq!(server.table, "people");
        assert!(server.detail.contains("ada@example.com"), "{server:?}");
        assert!(server.message.contains("duplicate key"), "{server:?}");
        assert!(!client.is_broken());
        client
            .execute("INSERT INTO people VALUES ($1)", &[&"grace@example.com"])
            .await
            .unwrap();
    });
}

fn syntax_error(context: &Context) {
    let mut client = client(context);
    block_on(async {
        let error = client.query("SELEC 1", &[]).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Server);
        let server = error.server_error().unwrap();
        assert_eq!(server.code, "42601");
        assert_eq!(server.position, "1");
        let error = client
            .batch_execute("SELECT 1; SELEC 2; SELECT 3")
            .await
            .unwrap_err();
        assert_eq!(error.server_error().unwrap().code, "42601");
        let row = client
            .query_one("SELECT $1::int4 + 1", &[&41])
            .await
            .unwrap();
        assert_eq!(row.get::<i32>(0).unwrap(), 42);
        assert!(matches!(
            client.query_one("SELECT 1 WHERE false", &[]).await,
            Err(Error::NoRows)
        ));
        assert!(matches!(
            client.query_one("SELECT generate_series(1, 2)", &[]).await,
            Err(Error::TooManyRows)
        ));
    });
}

fn bad_input(context: &Context) {
    let mut client = client(context);
    block_on(async {
        let error = client
            .query("SELECT $1::text::int4", &[&"twelve"])
            .await
            .unwrap_err();
        assert_eq!(error.server_error().unwrap().code, "22P02");
        assert_eq!(error.kind(), ErrorKind::BadInput);
        client
            .batch_execute("DROP TABLE IF EXISTS required; CREATE TABLE required (n int4 NOT NULL)")
            .await
            .unwrap();
        let error = client
            .execute("INSERT INTO required VALUES ($1)", &[&None::<i32>])
            .await
            .unwrap_err();
        assert_eq!(error.server_error().unwrap().code, "23502");
        assert_eq!(error.kind(), ErrorKind::BadInput);
        // A NUL inside a bound text value reaches the server as data, which refuses it.
        let error = client
            .query("SELECT $1", &[&"nul\0byte"])
            .await
            .unwrap_err();
        assert_eq!(error.server_error().unwrap().code, "22021");
        assert_eq!(error.kind(), ErrorKind::BadInput);
        let error = client.query("SELECT '\0'", &[]).await.unwrap_err();
        assert!(matches!(error, Error::Encode(_)), "{error}");
        assert!(!client.is_broken());
    });
}

fn notices(context: &Context) {
    let mut client = client(context);
    block_on(async {
        client
            .batch_execute("DO $$ BEGIN RAISE NOTICE 'hello'; RAISE WARNING 'careful'; END $$")
            .await
            .unwrap();
        client
            .batch_execute("SET client_min_messages = debug5; DROP TABLE IF EXISTS never_there")
            .await
            .unwrap();
        let row = client.query_one("SELECT 7::int4", &[]).await.unwrap();
        assert_eq!(row.get::<i32>(0).unwrap(), 7);
    });
}

fn message_limit(context: &Context) {
    let mut configuration = crate::support::configuration(&context.server);
    configuration.limits = Limits {
        max_message_bytes: 4096,
        ..Limits::DEFAULT
    };
    block_on(async {
        let mut client = connect(&configuration).await.unwrap();
        client.query("SELECT repeat('x', 1000)", &[]).await.unwrap();
        let error = client
            .query("SELECT repeat('x', 10000)", &[])
            .await
            .unwrap_err();
        assert!(matches!(error, Error::Protocol(_)), "{error}");
        assert!(client.is_broken());
        assert!(matches!(
            client.query("SELECT 1", &[]).await,
            Err(Error::Broken)
        ));
    });
}

fn result_limit(context: &Context) {
    let mut configuration = crate::support::configuration(&context.server);
    configuration.limits = Limits {
        max_result_bytes: 100_000,
        ..Limits::DEFAULT
    };
    block_on(async {
        let mut client = connect(&configuration).await.unwrap();
        let rows = client
            .query("SELECT repeat('x', 100) FROM generate_series(1, 500)", &[])
            .await
            .unwrap();
        assert_eq!(rows.len(), 500);
        let error = client
            .query("SELECT repeat('x', 100) FROM generate_series(1, 5000)", &[])
            .await
            .unwrap_err();
        assert!(matches!(error, Error::ResultTooLarge(100_000)), "{error}");
        assert!(client.is_broken());
    });
}
