//! A connection fed scripted server replies: both result-set endings, replies cut short,
//! hostile or malformed replies, interrupted operations, re-preparing, limits.
use alloc::vec::Vec;
use core::future::Future;
use core::task::{Context, Waker};

use super::{block_on, Script, ScriptedStream, OK};
use crate::connection::Connection;
use crate::error::{Cause, ErrorKind, UsageError};
use crate::protocol::column::tests::encode as column;
use crate::protocol::column::ColumnType;
use crate::protocol::ProtocolError;
use crate::random::tests::SplitMix;
use crate::{params, Options, Value};

fn connect(stream: ScriptedStream, options: &Options) -> Connection<ScriptedStream> {
    block_on(Connection::connect(stream, options, &mut SplitMix(1))).unwrap()
}

fn options() -> Options {
    Options::new("scripted", 3306, "app", "secret")
}

#[test]
fn results_end_with_ok_or_eof_as_negotiated() {
    for deprecate_eof in [true, false] {
        let mut script = Script::connected(deprecate_eof);
        script.result(deprecate_eof, &[b"\x011", b"\x0242", b"\xfb"]);
        let mut connection = connect(script.stream(), &options());
        let result = block_on(connection.query("SELECT n")).unwrap();
        let values: Vec<&Value> = result.rows().iter().map(|row| &row.values()[0]).collect();
        assert_eq!(values, [&Value::Int(1), &Value::Int(42), &Value::Null]);
        assert!(connection.is_usable());
    }
}

#[test]
fn the_handshake_response_names_user_database_and_plugin() {
    let script = Script::connected(true);
    let connection = connect(script.stream(), &options().with_database("shop"));
    let written = block_on(connection.close()).unwrap().written;
    let length = usize::from(written[0]) | usize::from(written[1]) << 8;
    let response = &written[4..4 + length];
    assert!(
        response.windows(5).any(|window| window == b"app\0\x14"),
        "user, 20-byte scramble"
    );
    assert!(response.ends_with(b"shop\0mysql_native_password\0"));
    assert!(written.ends_with(&[1, 0, 0, 0, 0x01]), "COM_QUIT");
}

#[test]
fn a_reply_cut_mid_row_loses_the_connection() {
    let mut script = Script::connected(true);
    script.packet(1, &[1]);
    script.packet(2, &column("n", ColumnType::LongLong, 0, 63));
    script.0.extend_from_slice(&[5, 0, 0, 3, 4, b'1']);
    let mut connection = connect(script.stream(), &options());
    let error = block_on(connection.query("SELECT n")).unwrap_err();
    assert_eq!(
        (error.kind(), error.cause()),
        (ErrorKind::Unavailable, &Cause::Closed)
    );
    assert!(!connection.is_usable());
    assert!(connection.is_lost());
    let again = block_on(connection.ping()).unwrap_err();
    assert_eq!(again.cause(), &Cause::Usage(UsageError::ConnectionBroken));
}

#[test]
fn an_error_instead_of_a_row_keeps_the_connection() {
    let mut script = Script::connected(true);
    script.packet(1, &[1]);
    script.packet(2, &column("n", ColumnType::LongLong, 0, 63));
    script.packet(3, b"\x011");
    script.packet(4, b"\xff\x3f\x05#70100Query execution was interrupted");
    script.packet(1, OK);
    let mut connection = connect(script.stream(), &options());
    let error = block_on(connection.query("SELECT n")).unwrap_err();
    assert_eq!(error.code(), Some(1343));
    assert!(connection.is_usable());
    block_on(connection.ping()).unwrap();
}

#[test]
fn hostile_replies_are_protocol_errors() {
    let cases: [(&[u8], u8, ProtocolError); 3] = [
        (
            b"\xfbupload /etc/passwd",
            1,
            ProtocolError::Unexpected {
                waiting_for: "a result set",
                byte: 0xfb,
            },
        ),
        (
            b"\x01",
            5,
            ProtocolError::OutOfOrder {
                expected: 1,
                got: 5,
            },
        ),
        (b"\x00\x00", 1, ProtocolError::Truncated("OK packet")),
    ];
    for (payload, sequence, expected) in cases {
        let mut script = Script::connected(true);
        script.packet(sequence, payload);
        let mut connection = connect(script.stream(), &options());
        let error = block_on(connection.query("SELECT 1")).unwrap_err();
        assert_eq!(error.cause(), &Cause::Protocol(expected));
        assert!(!connection.is_usable());
    }
}

#[test]
fn an_interrupted_operation_leaves_the_connection_unusable() {
    let script = Script::connected(true);
    let mut connection = connect(script.stream().stalling(), &options());
    {
        let mut query = core::pin::pin!(connection.query("SELECT SLEEP(5)"));
        let mut context = Context::from_waker(Waker::noop());
        assert!(query.as_mut().poll(&mut context).is_pending());
    }
    assert!(!connection.is_usable());
}

#[test]
fn a_statement_the_server_asks_to_reprepare_is_prepared_again() {
    let mut script = Script::connected(true);
    script.packet(1, &[0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    script.packet(
        1,
        b"\xff\x4f\x06#HY000Prepared statement needs to be re-prepared",
    );
    script.packet(1, &[0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    script.packet(1, OK);
    let mut connection = connect(script.stream(), &options());
    block_on(connection.execute("DO 1", &[])).unwrap();
    let written = block_on(connection.close()).unwrap().written;
    assert!(
        written
            .windows(9)
            .any(|window| window == [5, 0, 0, 0, 0x19, 1, 0, 0, 0]),
        "closed statement 1"
    );
    assert!(
        written
            .windows(10)
            .any(|window| window == [0x17, 2, 0, 0, 0, 0, 1, 0, 0, 0]),
        "executed statement 2"
    );
}

#[test]
fn results_beyond_the_limits_are_refused() {
    let mut script = Script::connected(true);
    script.result(true, &[b"\x011", b"\x011", b"\x011"]);
    let mut tight = options();
    tight.limits.max_result = 200;
    let mut connection = connect(script.stream(), &tight);
    let error = block_on(connection.query("SELECT n")).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Limit);
    assert!(!connection.is_usable());

    let mut script = Script::connected(true);
    script.packet(1, &[0xfc, 0x01, 0x10]);
    let mut connection = connect(script.stream(), &options());
    let error = block_on(connection.query("SELECT *")).unwrap_err();
    assert_eq!(
        error.cause(),
        &Cause::Protocol(ProtocolError::TooLarge {
            what: "columns",
            limit: 4096
        })
    );
}

#[test]
fn parameters_are_counted_before_anything_is_sent() {
    let mut script = Script::connected(true);
    script.packet(1, &[0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0]);
    script.packet(2, &column("?", ColumnType::LongLong, 0, 63));
    let mut connection = connect(script.stream(), &options());
    let error = block_on(connection.execute("SELECT ?", params![1, 2])).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Usage);
    assert!(connection.is_usable());
}

#[test]
fn full_authentication_without_a_way_to_encrypt_is_refused() {
    let mut script = Script::connected(true);
    // Replace the final OK with "perform full authentication".
    let ok_packet = 4 + OK.len();
    script.0.truncate(script.0.len() - ok_packet);
    script.packet(2, &[0x01, 0x04]);
    let mut options = options();
    options.auth_plugin = Some(crate::AuthPlugin::CachingSha2Password);
    options.allow_public_key_retrieval = false;
    let expected = if cfg!(feature = "rsa") {
        crate::AuthenticationError::PublicKeyRetrievalDisabled
    } else {
        crate::AuthenticationError::RsaDisabled
    };
    let error = block_on(Connection::connect(
        script.stream(),
        &options,
        &mut SplitMix(1),
    ))
    .unwrap_err();
    assert_eq!(error.cause(), &Cause::Authentication(expected));
}

#[test]
fn endless_further_results_stop_at_the_result_limit() {
    let mut script = Script::connected(true);
    // OK packets that each announce another result (status flag 0x08), far past the limit.
    for sequence in 1..=200u8 {
        script.packet(sequence, &[0x00, 0x00, 0x00, 0x0a, 0x00, 0x00, 0x00]);
    }
    let mut tight = options();
    tight.limits.max_result = 4096;
    let mut connection = connect(script.stream(), &tight);
    let error = block_on(connection.query_all("CALL p()")).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Limit);
}

#[test]
fn without_a_cache_every_execution_closes_its_statement() {
    let mut script = Script::connected(true);
    for id in [1u8, 2] {
        script.packet(1, &[0, id, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        script.packet(1, OK);
    }
    let mut uncached = options();
    uncached.statement_cache = 0;
    let mut connection = connect(script.stream(), &uncached);
    block_on(connection.execute("DO 1", &[])).unwrap();
    block_on(connection.execute("DO 1", &[])).unwrap();
    let written = block_on(connection.close()).unwrap().written;
    for id in [1u8, 2] {
        let close = [5, 0, 0, 0, 0x19, id, 0, 0, 0];
        assert!(
            written.windows(9).any(|window| window == close),
            "closed {id}"
        );
    }
}
