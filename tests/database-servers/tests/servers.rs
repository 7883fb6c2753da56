//! Each server starts, answers on its port, survives a restart, and leaves nothing behind.
use std::io::{Read, Write};
use std::net::TcpStream;

use sauce_database_servers::{postgres, process, Listen};
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

/// A network namespace whose `lo` also holds 10.200.0.1/24; deleted when dropped.
struct Namespace(String);

impl Namespace {
    /// Creates it, or says why it cannot be created here (no root, no `ip`).
    fn create() -> Result<Namespace, String> {
        let name = format!("sauce-dbs-{}", std::process::id());
        let ip = |arguments: &[&str]| {
            std::process::Command::new("ip")
                .args(arguments)
                .stderr(std::process::Stdio::null())
                .status()
                .is_ok_and(|status| status.success())
        };
        if !ip(&["netns", "add", &name]) {
            return Err("`ip netns add` fails here (needs root and iproute2)".to_owned());
        }
        let namespace = Namespace(name);
        for arguments in [
            ["-n", &namespace.0, "link", "set", "lo", "up"].as_slice(),
            &[
                "-n",
                &namespace.0,
                "address",
                "add",
                "10.200.0.1/24",
                "dev",
                "lo",
            ],
        ] {
            assert!(ip(arguments), "ip {arguments:?}");
        }
        Ok(namespace)
    }
}

impl Drop for Namespace {
    fn drop(&mut self) {
        let _ = std::process::Command::new("ip")
            .args(["netns", "delete", &self.0])
            .status();
    }
}

#[test]
fn postgres_listens_inside_a_network_namespace_and_logs_roles_in_from_its_network() {
    if let Err(missing) = PostgresServer::binaries() {
        return eprintln!("skipped: {missing}");
    }
    let namespace = match Namespace::create() {
        Ok(namespace) => namespace,
        Err(reason) => return eprintln!("skipped: {reason}"),
    };
    let address = std::net::Ipv4Addr::new(10, 200, 0, 1);
    let server = PostgresServer::start_listening(
        Listen::in_namespace(&namespace.0, address),
        process::free_port(),
    )
    .expect("the binaries were found above");
    assert_eq!(server.address(), address);
    assert!(
        !process::listening(server.port()),
        "nothing of it listens on this network's 127.0.0.1"
    );
    let url = server.url(
        postgres::SCRAM_USER,
        postgres::SCRAM_PASSWORD,
        postgres::DATABASE,
    );
    assert!(url.contains("@10.200.0.1:"), "{url}");
    // Over TCP inside the namespace, with the SCRAM role's password.
    let output = std::process::Command::new("ip")
        .args(["netns", "exec", &namespace.0])
        .arg(server.binary("psql"))
        .args([
            "-X",
            "-A",
            "-t",
            "-c",
            "SELECT current_user, inet_server_addr()",
        ])
        .arg(&url)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&output.stderr),
        server.log()
    );
    assert_eq!(
        String::from_utf8_lossy(&output.stdout).trim(),
        "scram_user|10.200.0.1"
    );
    let folder = server.folder().to_path_buf();
    drop(server);
    assert!(!folder.exists(), "the folder is deleted");
}
