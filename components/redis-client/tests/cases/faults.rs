//! Faults: the server killed mid-command and restarted; the server down at first use; a reply
//! cut in the middle of a bulk string.
use std::time::{Duration, Instant};

use sauce_connect::host::block_on;
use sauce_redis::{Error, ErrorKind, PoolOptions, Value};

use super::{case, pool, TestPool};
use crate::support::harness::Case;
use crate::support::server::{free_port, RedisServer};
use crate::Context;

pub fn cases() -> Vec<Case<Context>> {
    vec![
        case(
            "fault_server_killed_mid_command_then_the_pool_reconnects",
            killed_mid_command,
        ),
        case(
            "fault_server_down_at_first_use_is_unavailable_then_recovers",
            down_at_first_use,
        ),
        case(
            "fault_connection_cut_mid_reply_fails_the_command_and_the_pool_drops_it",
            cut_mid_reply,
        ),
    ]
}

/// A server that refuses `HELLO` (as Redis before 6 does, so the client speaks RESP2), then
/// answers the next command with the first bytes of a 10-byte bulk string and closes the
/// connection. Whether that command arrived (so the cut came where the reply was).
fn serve_a_cut_reply(listener: std::net::TcpListener) -> bool {
    use std::io::{BufRead, BufReader, Read, Write};
    let (stream, _) = listener.accept().expect("the client connects");
    let mut writer = stream.try_clone().unwrap();
    let mut reader = BufReader::new(stream);
    // One command: `*N` then N bulk strings; its first word.
    let mut read_command = || -> Option<Vec<u8>> {
        let mut line = String::new();
        reader.read_line(&mut line).ok()?;
        let count: usize = line.trim_end().strip_prefix('*')?.parse().ok()?;
        let mut first = None;
        for _ in 0..count {
            line.clear();
            reader.read_line(&mut line).ok()?;
            let length: usize = line.trim_end().strip_prefix('$')?.parse().ok()?;
            let mut word = vec![0u8; length + 2];
            reader.read_exact(&mut word).ok()?;
            word.truncate(length);
            first.get_or_insert(word);
        }
        first
    };
    if read_command().as_deref() != Some(&b"HELLO"[..]) {
        return false;
    }
    writer
        .write_all(b"-ERR unknown command 'HELLO'\r\n")
        .unwrap();
    let commanded = read_command().is_some();
    let _ = writer.write_all(b"$10\r\nabc");
    let _ = writer.shutdown(std::net::Shutdown::Both);
    commanded
}

fn cut_mid_reply(_: &Context) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    let port = listener.local_addr().unwrap().port();
    let server = std::thread::spawn(move || serve_a_cut_reply(listener));
    let configuration = sauce_redis::Configuration::parse(&format!("redis://127.0.0.1:{port}"))
        .expect("a valid URL");
    let pool = pool(configuration, options());
    let started = Instant::now();
    let error = block_on(pool.command(&[b"GET", b"key"])).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Unavailable, "{error}");
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "failed at once, not by the timeout"
    );
    assert_eq!(pool.status().open, 0, "the cut connection is gone");
    assert!(
        server.join().unwrap(),
        "the command reached the server before the cut"
    );
}

/// Retries `PING` until it succeeds; returns how long that took.
fn until_answering(pool: &TestPool, limit: Duration) -> Duration {
    let started = Instant::now();
    loop {
        match block_on(pool.command(&[b"PING"])) {
            Ok(reply) => {
                assert_eq!(reply, Value::Status("PONG".into()));
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

fn options() -> PoolOptions {
    PoolOptions {
        size: 2,
        timeout_ms: 5_000,
        backoff_initial_ms: 50,
        backoff_max_ms: 1_000,
    }
}

fn killed_mid_command(_: &Context) {
    let mut server = RedisServer::start().expect("the server starts");
    let pool = pool(crate::support::configuration(&server), options());
    block_on(pool.command(&[b"PING"])).unwrap();
    let outcome = std::thread::scope(|scope| {
        scope.spawn(|| {
            std::thread::sleep(Duration::from_millis(300));
            server.kill();
        });
        block_on(pool.command(&[b"BLPOP", b"never", b"10"]))
    });
    let error = outcome.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Unavailable, "{error}");
    assert_eq!(pool.status().open, 0);
    let error = block_on(pool.command(&[b"PING"])).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Unavailable, "{error}");
    server.resume();
    let recovery = until_answering(&pool, Duration::from_secs(10));
    println!("    recovered {recovery:?} after the server came back");
}

fn down_at_first_use(context: &Context) {
    let port = free_port();
    let mut configuration = crate::support::configuration(&context.server);
    configuration.port = port;
    let pool = pool(configuration, options());
    let first = block_on(pool.command(&[b"PING"])).unwrap_err();
    assert!(matches!(first, Error::Connect(_)), "{first}");
    assert_eq!(first.kind().http_status(), 503);
    let second = block_on(pool.command(&[b"PING"])).unwrap_err();
    assert!(matches!(second, Error::Backoff { .. }), "{second}");
    assert!(second
        .retry_after_ms()
        .is_some_and(|milliseconds| milliseconds <= 50));
    let _server = RedisServer::start_on(port).expect("the server starts");
    let recovery = until_answering(&pool, Duration::from_secs(10));
    println!("    answered {recovery:?} after the server was up");
}
