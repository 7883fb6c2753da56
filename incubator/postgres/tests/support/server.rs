//! A Postgres server of the test's own: initdb into a temporary folder, started as `nobody`
//! (Postgres refuses root) on a free port, with roles for every authentication method;
//! stopped and deleted when dropped.
use std::fs;
use std::net::{TcpListener, TcpStream};
use std::os::unix::fs::chown;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use sauce_connect::host::{block_on, StdConnector};
use sauce_connect::Connector;
use sauce_postgres::{Client, Configuration};

use super::TestRandom;

/// The unprivileged user servers run as (`nobody`).
const UNPRIVILEGED: u32 = 65534;

/// Roles and passwords the server is set up with.
pub const SCRAM_USER: &str = "scram_user";
/// Has characters that must be percent-encoded in a URL.
pub const SCRAM_PASSWORD: &str = "p@ss:w/rd 'x%";
/// Stored as an md5 hash, so the `md5` method is used.
pub const MD5_USER: &str = "md5_user";
/// The md5 user's password.
pub const MD5_PASSWORD: &str = "md5-secret";
/// Logs in with the `password` (cleartext) method.
pub const CLEARTEXT_USER: &str = "clear_user";
/// The cleartext user's password.
pub const CLEARTEXT_PASSWORD: &str = "clear-secret";
/// The database the tests use, owned by the SCRAM user.
pub const DATABASE: &str = "app";

/// The folder of the newest installed Postgres binaries, if any.
pub fn binaries() -> Option<PathBuf> {
    let mut versions: Vec<(u32, PathBuf)> = fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|entry| {
            let entry = entry.ok()?;
            let version = entry.file_name().to_str()?.parse().ok()?;
            let bin = entry.path().join("bin");
            bin.join("postgres").exists().then_some((version, bin))
        })
        .collect();
    versions.sort();
    versions.pop().map(|(_, bin)| bin)
}

/// A running server.
pub struct PostgresServer {
    folder: PathBuf,
    binaries: PathBuf,
    /// Its TCP port on 127.0.0.1.
    pub port: u16,
    child: Option<Child>,
}

/// A port nothing listens on right now.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .expect("a free port")
}

impl PostgresServer {
    /// Initialises and starts a server on a free port.
    pub fn start(binaries: &Path) -> PostgresServer {
        PostgresServer::start_on(binaries, free_port())
    }

    /// Initialises and starts a server on `port`.
    pub fn start_on(binaries: &Path, port: u16) -> PostgresServer {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let folder = std::env::temp_dir().join(format!(
            "sauce-postgres-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = fs::remove_dir_all(&folder);
        fs::create_dir_all(&folder).expect("a temporary folder");
        chown(&folder, Some(UNPRIVILEGED), Some(UNPRIVILEGED)).expect("chown to nobody");
        let mut server = PostgresServer {
            folder,
            binaries: binaries.to_path_buf(),
            port,
            child: None,
        };
        let status = server
            .command("initdb")
            .args([
                "-D",
                "data",
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("initdb runs");
        assert!(status.success(), "initdb failed");
        fs::write(
            server.folder.join("data/pg_hba.conf"),
            format!(
                "local all all trust\n\
                 host all postgres 127.0.0.1/32 trust\n\
                 host all {MD5_USER} 127.0.0.1/32 md5\n\
                 host all {CLEARTEXT_USER} 127.0.0.1/32 password\n\
                 host all all 127.0.0.1/32 scram-sha-256\n"
            ),
        )
        .expect("pg_hba.conf");
        server.resume();
        let setup = format!(
            "CREATE ROLE {SCRAM_USER} LOGIN PASSWORD '{}'; \
             CREATE ROLE {CLEARTEXT_USER} LOGIN PASSWORD '{CLEARTEXT_PASSWORD}'; \
             SET password_encryption = 'md5'; \
             CREATE ROLE {MD5_USER} LOGIN PASSWORD '{MD5_PASSWORD}';",
            SCRAM_PASSWORD.replace('\'', "''")
        );
        server.as_superuser(&setup);
        server.as_superuser(&format!("CREATE DATABASE {DATABASE} OWNER {SCRAM_USER}"));
        server.as_superuser(&format!(
            "GRANT CONNECT ON DATABASE {DATABASE} TO {MD5_USER}, {CLEARTEXT_USER}"
        ));
        server
    }

    /// A command for one of the server's binaries, run as `nobody` in the server's folder.
    fn command(&self, binary: &str) -> Command {
        let mut command = Command::new(self.binaries.join(binary));
        command
            .current_dir(&self.folder)
            .uid(UNPRIVILEGED)
            .gid(UNPRIVILEGED)
            .env("LC_ALL", "C");
        command
    }

    /// Starts the server process (again) and waits until it accepts sessions.
    pub fn resume(&mut self) {
        let log = fs::File::create(self.folder.join("server.log")).expect("a log file");
        chown(
            self.folder.join("server.log"),
            Some(UNPRIVILEGED),
            Some(UNPRIVILEGED),
        )
        .expect("chown");
        let child = self
            .command("postgres")
            .args(["-D", "data", "-p", &self.port.to_string(), "-k"])
            .arg(&self.folder)
            .args([
                "-c",
                "listen_addresses=127.0.0.1",
                "-c",
                "fsync=off",
                "-c",
                "synchronous_commit=off",
                "-c",
                "full_page_writes=off",
                "-c",
                "shared_buffers=16MB",
                "-c",
                "max_connections=40",
                "-c",
                "log_connections=on",
            ])
            .stdout(log.try_clone().expect("log"))
            .stderr(log)
            .spawn()
            .expect("postgres starts");
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if TcpStream::connect(("127.0.0.1", self.port)).is_ok()
                && self.try_superuser("SELECT 1").is_ok()
            {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "postgres did not start: {}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The server's log so far.
    pub fn log(&self) -> String {
        fs::read_to_string(self.folder.join("server.log")).unwrap_or_default()
    }

    /// Ends the server the way a crash would (immediate shutdown: every backend exits at once,
    /// no checkpoint), and waits for it.
    pub fn crash(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = Command::new("kill")
                .args(["-QUIT", &child.id().to_string()])
                .status();
            let _ = child.wait();
        }
    }

    /// Stops the server (fast shutdown), waiting at most 10 s before killing it.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = Command::new("kill")
                .args(["-INT", &child.id().to_string()])
                .status();
            let deadline = Instant::now() + Duration::from_secs(10);
            while Instant::now() < deadline {
                if let Ok(Some(_)) = child.try_wait() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// A URL for `user` with `password` on database `database`.
    pub fn url(&self, user: &str, password: &str, database: &str) -> String {
        let mut encoded = String::new();
        for byte in password.bytes() {
            if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
                encoded.push(char::from(byte));
            } else {
                encoded.push_str(&format!("%{byte:02X}"));
            }
        }
        format!(
            "postgres://{user}:{encoded}@127.0.0.1:{}/{database}",
            self.port
        )
    }

    /// The configuration of the SCRAM user on the test database.
    pub fn configuration(&self) -> Configuration {
        Configuration::parse(&self.url(SCRAM_USER, SCRAM_PASSWORD, DATABASE)).expect("a valid URL")
    }

    /// Runs statements as the superuser.
    pub fn as_superuser(&self, sql: &str) {
        if let Err(error) = self.try_superuser(sql) {
            panic!("{sql}: {error}");
        }
    }

    /// Runs statements as the superuser, returning the error.
    fn try_superuser(&self, sql: &str) -> Result<(), sauce_postgres::Error> {
        let configuration = Configuration::parse(&format!(
            "postgres://postgres@127.0.0.1:{}/postgres",
            self.port
        ))
        .expect("a valid URL");
        block_on(async {
            let stream = StdConnector::default()
                .connect("127.0.0.1", self.port)
                .await
                .map_err(|error| sauce_postgres::Error::Connect(error.to_string()))?;
            let mut client = Client::connect(stream, &configuration, &mut TestRandom(7)).await?;
            client
                .batch_execute(sauce_postgres::Statement::trusted(sql))
                .await?;
            client.close().await
        })
    }
}

impl Drop for PostgresServer {
    fn drop(&mut self) {
        self.stop();
        let _ = fs::remove_dir_all(&self.folder);
    }
}
