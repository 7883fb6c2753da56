//! Each server starts, answers on its port, survives a restart, and leaves nothing behind.
use std::io::{Read, Write};
use std::net::TcpStream;

use sauce_database_servers::{MariadbServer, PostgresServer, RedisServer};

/// Sends `request` and reads until `expected` arrives (or the server closes).
fn exchange(port: u16, request: &[u8], expected: &str) -> String {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(5)))
        .unwrap();
    stream.write_all(request).unwrap();
    let mut received = Vec::new();
    let mut buffer = [0; 512];
    while !String::from_utf8_lossy(&received).contains(expected) {
        match stream.read(&mut buffer) {
            Ok(0) | Err(_) => break,
            Ok(count) => received.extend_from_slice(&buffer[..count]),
        }
    }
    String::from_utf8_lossy(&received).into_owned()
}

#[test]
fn postgres_serves_roles_and_restarts() {
    let mut server = match PostgresServer::start() {
        Ok(server) => server,
        Err(missing) => return eprintln!("skipped: {missing}"),
    };
    let folder = server.folder().to_path_buf();
    let roles = server
        .query(
            "postgres",
            "postgres",
            "SELECT rolname FROM pg_roles WHERE rolname LIKE '%_user' ORDER BY 1",
        )
        .unwrap();
    assert_eq!(roles, "clear_user\nmd5_user\nscram_user\n");
    assert!(server
        .try_superuser("SELECT * FROM no_such_table")
        .unwrap_err()
        .contains("no_such_table"));
    assert_eq!(
        server.url_at("10.0.2.2", "scram_user", "p@ss", "app"),
        format!(
            "postgres://scram_user:p%40ss@10.0.2.2:{}/app",
            server.port()
        )
    );
    server.crash();
    assert!(!sauce_database_servers::process::listening(server.port()));
    server.resume();
    server.as_superuser("CREATE TABLE survived (id int)");
    drop(server);
    assert!(!folder.exists(), "the folder is deleted");
}

#[test]
fn redis_answers_with_a_password_and_restarts() {
    let mut server = match RedisServer::start() {
        Ok(server) => server,
        Err(missing) => return eprintln!("skipped: {missing}"),
    };
    let folder = server.folder().to_path_buf();
    let noauth = exchange(server.port(), b"*1\r\n$4\r\nPING\r\n", "\r\n");
    assert!(noauth.starts_with("-NOAUTH"), "{noauth}");
    let authenticated = exchange(
        server.port(),
        b"*3\r\n$4\r\nAUTH\r\n$5\r\nalice\r\n$12\r\nalice:secret\r\n*1\r\n$4\r\nPING\r\n",
        "+PONG\r\n",
    );
    assert_eq!(authenticated, "+OK\r\n+PONG\r\n");
    server.kill();
    assert!(!sauce_database_servers::process::listening(server.port()));
    server.resume();
    assert!(sauce_database_servers::process::listening(server.port()));
    drop(server);
    assert!(!folder.exists(), "the folder is deleted");
}

#[test]
fn mariadb_greets_and_restarts() {
    let mut server = match MariadbServer::start() {
        Ok(server) => server,
        Err(missing) => return eprintln!("skipped: {missing}"),
    };
    let folder = server.folder().to_path_buf();
    // The handshake v10 packet: 3-byte length, sequence 0, protocol version 10.
    let greeting = exchange(server.port(), b"", "mysql_native_password");
    assert_eq!(greeting.as_bytes().get(4), Some(&10), "{greeting:?}");
    server.kill();
    server.launch();
    assert!(sauce_database_servers::process::listening(server.port()));
    drop(server);
    assert!(!folder.exists(), "the folder is deleted");
}
