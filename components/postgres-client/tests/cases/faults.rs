//! Faults: the server killed mid-query and restarted; the server down at first use; a reply
//! cut in the middle of a row.
use std::time::{Duration, Instant};

use sauce_connect::host::block_on;
use sauce_postgres::{Error, ErrorKind, PoolOptions};

use super::{case, pool, TestPool};
use crate::support::harness::Case;
use crate::support::server::{free_port, PostgresServer};
use crate::Context;

pub fn cases() -> Vec<Case<Context>> {
    vec![
        case(
            "fault_server_killed_mid_query_then_the_pool_reconnects",
            killed_mid_query,
        ),
        case(
            "fault_server_down_at_first_use_is_unavailable_then_recovers",
            down_at_first_use,
        ),
        case(
            "fault_connection_cut_mid_row_fails_the_query_and_the_pool_drops_it",
            cut_mid_row,
        ),
    ]
}

/// A server that logs the client in (trust), answers its first query with a row description
/// and the first bytes of a row, then closes the connection: the reply ends mid-row. Whether
/// the client's query arrived (so the cut came where the row was).
fn serve_a_cut_row(listener: std::net::TcpListener) -> bool {
    use std::io::{Read, Write};
    let (mut stream, _) = listener.accept().expect("the client connects");
    let read_message = |stream: &mut std::net::TcpStream, typed: bool| -> Option<u8> {
        let mut kind = [0u8; 1];
        if typed {
            stream.read_exact(&mut kind).ok()?;
        }
        let mut length = [0u8; 4];
        stream.read_exact(&mut length).ok()?;
        let mut body = vec![0u8; (u32::from_be_bytes(length) as usize).saturating_sub(4)];
        stream.read_exact(&mut body).ok()?;
        Some(kind[0])
    };
    read_message(&mut stream, false).expect("the startup message");
    // AuthenticationOk, ReadyForQuery (idle).
    stream
        .write_all(b"R\0\0\0\x08\0\0\0\0Z\0\0\0\x05I")
        .unwrap();
    // The query: a simple Query, or the extended protocol's messages up to Sync.
    let mut reply = Vec::new();
    let queried = loop {
        match read_message(&mut stream, true) {
            Some(b'Q') | Some(b'S') => break true,
            None => break false,
            Some(b'P') => reply.extend_from_slice(b"1\0\0\0\x04"),
            Some(b'B') => reply.extend_from_slice(b"2\0\0\0\x04"),
            Some(_) => {}
        }
    };
    // RowDescription: one text column `n`.
    let mut field = b"n\0".to_vec();
    field.extend_from_slice(&0u32.to_be_bytes()); // table
    field.extend_from_slice(&0u16.to_be_bytes()); // column
    field.extend_from_slice(&25u32.to_be_bytes()); // text
    field.extend_from_slice(&(-1i16).to_be_bytes()); // size
    field.extend_from_slice(&(-1i32).to_be_bytes()); // modifier
    field.extend_from_slice(&0u16.to_be_bytes()); // text format
    reply.push(b'T');
    reply.extend_from_slice(&(4 + 2 + field.len() as u32).to_be_bytes());
    reply.extend_from_slice(&1u16.to_be_bytes());
    reply.extend_from_slice(&field);
    // DataRow announcing one 10-byte value, cut after 3 of them.
    reply.push(b'D');
    reply.extend_from_slice(&(4u32 + 2 + 4 + 10).to_be_bytes());
    reply.extend_from_slice(&1u16.to_be_bytes());
    reply.extend_from_slice(&10u32.to_be_bytes());
    reply.extend_from_slice(b"abc");
    let _ = stream.write_all(&reply);
    let _ = stream.shutdown(std::net::Shutdown::Both);
    queried
}

fn cut_mid_row(_: &Context) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    let port = listener.local_addr().unwrap().port();
    let server = std::thread::spawn(move || serve_a_cut_row(listener));
    let configuration =
        sauce_postgres::Configuration::parse(&format!("postgres://fake@127.0.0.1:{port}/fake"))
            .expect("a valid URL");
    let options = PoolOptions {
        size: 1,
        timeout_ms: 5_000,
        backoff_initial_ms: 50,
        backoff_max_ms: 1_000,
    };
    let pool = pool(configuration, options);
    let started = Instant::now();
    let error = block_on(pool.query("SELECT n FROM t", &[])).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Unavailable, "{error}");
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "failed at once, not by the timeout"
    );
    assert_eq!(pool.status().open, 0, "the cut connection is gone");
    assert!(
        server.join().unwrap(),
        "the query reached the server before the cut"
    );
}

/// Retries `SELECT 1` until it succeeds; returns how long that took.
fn until_answering(pool: &TestPool, limit: Duration) -> Duration {
    let started = Instant::now();
    loop {
        let outcome = block_on(pool.query_one("SELECT 1::int4", &[]));
        match outcome {
            Ok(row) => {
                assert_eq!(row.get::<i32>(0).unwrap(), 1);
                return started.elapsed();
            }
            Err(error) => {
                assert_eq!(error.kind(), ErrorKind::Unavailable, "{error}");
                assert!(
                    started.elapsed() < limit,
                    "no recovery within {limit:?}: {error}"
                );
                std::thread::sleep(Duration::from_millis(20));
            }
        }
    }
}

fn killed_mid_query(_: &Context) {
    let mut server = PostgresServer::start().expect("the server starts");
    let options = PoolOptions {
        size: 2,
        timeout_ms: 10_000,
        backoff_initial_ms: 50,
        backoff_max_ms: 1_000,
    };
    let pool = pool(crate::support::configuration(&server), options);
    block_on(pool.execute("SELECT 1", &[])).unwrap();
    let error = std::thread::scope(|scope| {
        scope.spawn(|| {
            std::thread::sleep(Duration::from_millis(300));
            server.crash();
        });
        block_on(pool.execute("SELECT pg_sleep(20)", &[]))
    });
    let error = error.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Unavailable, "{error}");
    assert_eq!(pool.status().open, 0, "the broken connection is gone");
    // While the server is down, the pool answers Unavailable at once.
    let started = Instant::now();
    let error = block_on(pool.execute("SELECT 1", &[])).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Unavailable, "{error}");
    assert!(started.elapsed() < Duration::from_secs(2));
    server.resume();
    let recovery = until_answering(&pool, Duration::from_secs(10));
    println!("    recovered {recovery:?} after the server came back");
}

fn down_at_first_use(context: &Context) {
    let port = free_port();
    let mut configuration = crate::support::configuration(&context.server);
    configuration.port = port;
    let options = PoolOptions {
        size: 2,
        timeout_ms: 2_000,
        backoff_initial_ms: 200,
        backoff_max_ms: 1_000,
    };
    let pool = pool(configuration, options);
    let first = block_on(pool.execute("SELECT 1", &[])).unwrap_err();
    assert!(matches!(first, Error::Connect(_)), "{first}");
    assert_eq!(first.kind(), ErrorKind::Unavailable);
    assert_eq!(first.kind().http_status(), 503);
    let second = block_on(pool.execute("SELECT 1", &[])).unwrap_err();
    match &second {
        Error::Backoff { retry_after_ms, .. } => assert!(*retry_after_ms <= 200, "{second}"),
        other => panic!("expected a backoff, got {other}"),
    }
    assert!(second.retry_after_ms().is_some());
    let _server = PostgresServer::start_on(port).expect("the server starts");
    let recovery = until_answering(&pool, Duration::from_secs(10));
    println!("    answered {recovery:?} after the server was up");
    assert_eq!(pool.status().open, 1);
}
