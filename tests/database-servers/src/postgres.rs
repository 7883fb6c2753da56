//! A Postgres server of the test's own: `initdb` into a fresh folder, `postgres` on a free port
//! of 127.0.0.1 or another address ([`Listen`], e.g. inside a network namespace) and a Unix
//! socket in the folder, roles for every password method; stopped and deleted when dropped.
use std::fs;
use std::net::Ipv4Addr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::process::{self, Account, Listen};
use crate::Missing;

/// Logs in with SCRAM-SHA-256; owns [`DATABASE`].
pub const SCRAM_USER: &str = "scram_user";
/// Its password, with characters a URL must percent-encode.
pub const SCRAM_PASSWORD: &str = "p@ss:w/rd 'x%";
/// Stored as an md5 hash, so the `md5` method is used.
pub const MD5_USER: &str = "md5_user";
/// Its password.
pub const MD5_PASSWORD: &str = "md5-secret";
/// Logs in with the `password` (cleartext) method.
pub const CLEARTEXT_USER: &str = "clear_user";
/// Its password.
pub const CLEARTEXT_PASSWORD: &str = "clear-secret";
/// The database the tests use.
pub const DATABASE: &str = "app";
/// The superuser, trusted from 127.0.0.1 and the Unix socket.
pub const SUPERUSER: &str = "postgres";

/// A running (or crashed, until [`PostgresServer::resume`]) server.
pub struct PostgresServer {
    folder: PathBuf,
    binaries: PathBuf,
    account: Account,
    listen: Listen,
    port: u16,
    child: Option<Child>,
}

impl PostgresServer {
    /// The folder of the newest installed Postgres binaries (`/usr/lib/postgresql/N/bin`).
    pub fn binaries() -> Result<PathBuf, Missing> {
        let missing = Missing {
            what: "Postgres server under /usr/lib/postgresql/*/bin",
            package: "postgresql",
        };
        let mut versions: Vec<(u32, PathBuf)> = fs::read_dir("/usr/lib/postgresql")
            .map_err(|_| missing)?
            .filter_map(|entry| {
                let entry = entry.ok()?;
                let version = entry.file_name().to_str()?.parse().ok()?;
                let bin = entry.path().join("bin");
                (bin.join("postgres").is_file() && bin.join("initdb").is_file())
                    .then_some((version, bin))
            })
            .collect();
        versions.sort();
        versions.pop().map(|(_, bin)| bin).ok_or(missing)
    }

    /// Initialises and starts a server on a free port.
    pub fn start() -> Result<PostgresServer, Missing> {
        PostgresServer::start_on(process::free_port())
    }

    /// Initialises and starts a server on `port`.
    pub fn start_on(port: u16) -> Result<PostgresServer, Missing> {
        PostgresServer::start_listening(Listen::loopback(), port)
    }

    /// Initialises and starts a server listening on `listen`'s address and `port`. Off
    /// 127.0.0.1 the roles log in from the networks of that address (`samenet`), the superuser
    /// only through the Unix socket.
    pub fn start_listening(listen: Listen, port: u16) -> Result<PostgresServer, Missing> {
        let binaries = PostgresServer::binaries()?;
        let account = Account::for_server(&["postgres"]);
        let folder = process::fresh_folder("postgres");
        account.take(&folder);
        // From here on the folder is deleted on drop, whatever fails.
        let mut server = PostgresServer {
            folder,
            binaries,
            account,
            listen,
            port,
            child: None,
        };
        let output = server
            .command("initdb")
            .args(["-D", "data", "-U", SUPERUSER, "--auth=trust", "-E", "UTF8"])
            .args(["--locale=C", "--no-sync"])
            .output()
            .expect("initdb runs");
        assert!(
            output.status.success(),
            "initdb failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        fs::write(
            server.folder.join("data/pg_hba.conf"),
            host_based_authentication(server.listen.address),
        )
        .expect("pg_hba.conf");
        server.resume();
        server.as_superuser(&format!(
            "CREATE ROLE {SCRAM_USER} LOGIN PASSWORD '{}'; \
             CREATE ROLE {CLEARTEXT_USER} LOGIN PASSWORD '{CLEARTEXT_PASSWORD}'; \
             SET password_encryption = 'md5'; \
             CREATE ROLE {MD5_USER} LOGIN PASSWORD '{MD5_PASSWORD}';",
            SCRAM_PASSWORD.replace('\'', "''")
        ));
        server.as_superuser(&format!("CREATE DATABASE {DATABASE} OWNER {SCRAM_USER}"));
        server.as_superuser(&format!(
            "GRANT CONNECT ON DATABASE {DATABASE} TO {MD5_USER}, {CLEARTEXT_USER}"
        ));
        Ok(server)
    }

    /// A command for one of the server's binaries, run as the server's account in its folder.
    pub fn command(&self, binary: &str) -> Command {
        let mut command = Command::new(self.binary(binary));
        command.current_dir(&self.folder).env("LC_ALL", "C");
        self.account.apply(&mut command);
        command
    }

    /// The path of one of the installed binaries (`pgbench`, `psql`).
    pub fn binary(&self, name: &str) -> PathBuf {
        self.binaries.join(name)
    }

    /// Starts the server process (again, after [`PostgresServer::crash`] or
    /// [`PostgresServer::stop`]) and waits until it accepts sessions.
    pub fn resume(&mut self) {
        assert!(self.child.is_none(), "postgres is already running");
        let log = fs::File::create(self.folder.join("server.log")).expect("a log file");
        let mut child = self.listen.command(&self.account, &self.binary("postgres"));
        child.current_dir(&self.folder).env("LC_ALL", "C");
        let mut child = child
            .args(["-D", "data", "-p", &self.port.to_string(), "-k"])
            .arg(&self.folder)
            .arg("-c")
            .arg(format!("listen_addresses={}", self.listen.address))
            .args(["-c", "fsync=off"])
            .args(["-c", "synchronous_commit=off", "-c", "full_page_writes=off"])
            .args(["-c", "shared_buffers=16MB", "-c", "max_connections=40"])
            .args(["-c", "log_connections=on"])
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("log"))
            .stderr(log)
            .spawn()
            .expect("postgres starts");
        let port = self.port;
        // Elsewhere than here, the Unix socket alone says it is up: postgres opens it only
        // after its one TCP address, and exits if it cannot listen there.
        let local = self.listen.is_local();
        process::wait_until(
            "postgres",
            &mut child,
            Duration::from_secs(30),
            || (!local || process::listening(port)) && self.try_superuser("SELECT 1").is_ok(),
            || self.log(),
        );
        self.child = Some(child);
    }

    /// Its TCP port (on [`PostgresServer::address`]).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The address it listens on: 127.0.0.1 unless started with another [`Listen`].
    pub fn address(&self) -> Ipv4Addr {
        self.listen.address
    }

    /// The server's log so far.
    pub fn log(&self) -> String {
        fs::read_to_string(self.folder.join("server.log")).unwrap_or_default()
    }

    /// The server's folder (its data folder is `data` inside).
    pub fn folder(&self) -> &Path {
        &self.folder
    }

    /// Ends the server the way a crash would (immediate shutdown: every backend exits at once,
    /// no checkpoint), and waits for it.
    pub fn crash(&mut self) {
        if let Some(child) = self.child.take() {
            process::stop(child, "QUIT", Duration::from_secs(10));
        }
    }

    /// Stops the server (fast shutdown), killing it after 10 s.
    pub fn stop(&mut self) {
        if let Some(child) = self.child.take() {
            process::stop(child, "INT", Duration::from_secs(10));
        }
    }

    /// A URL of its address (127.0.0.1 unless started with another [`Listen`]) for `user`
    /// with `password` (percent-encoded here) on `database`.
    pub fn url(&self, user: &str, password: &str, database: &str) -> String {
        self.url_at(&self.listen.address.to_string(), user, password, database)
    }

    /// The same URL with another host: `10.0.2.2` is this host as a QEMU guest sees it.
    pub fn url_at(&self, host: &str, user: &str, password: &str, database: &str) -> String {
        format!(
            "postgres://{user}:{}@{host}:{}/{database}",
            process::percent_encode(password),
            self.port
        )
    }

    /// Runs statements as the superuser (through `psql` and the Unix socket); panics with the
    /// server's error.
    pub fn as_superuser(&self, sql: &str) {
        if let Err(error) = self.try_superuser(sql) {
            panic!("{sql}: {error}");
        }
    }

    /// Runs statements as the superuser on database `postgres`, returning `psql`'s error.
    pub fn try_superuser(&self, sql: &str) -> Result<(), String> {
        self.query(SUPERUSER, "postgres", sql).map(|_| ())
    }

    /// Runs `sql` as `user` on `database` through the Unix socket (trusted) and returns what
    /// `psql` printed: unaligned rows, `|` between columns, no headers.
    pub fn query(&self, user: &str, database: &str, sql: &str) -> Result<String, String> {
        let output = self
            .command("psql")
            .args(["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h"])
            .arg(&self.folder)
            .args([
                "-p",
                &self.port.to_string(),
                "-U",
                user,
                "-d",
                database,
                "-c",
                sql,
            ])
            .stdin(Stdio::null())
            .output()
            .map_err(|error| format!("psql: {error}"))?;
        if output.status.success() {
            Ok(String::from_utf8_lossy(&output.stdout).into_owned())
        } else {
            Err(String::from_utf8_lossy(&output.stderr).trim().to_owned())
        }
    }
}

/// `pg_hba.conf`: the superuser trusted on the Unix socket and 127.0.0.1; each role with its
/// password method from 127.0.0.1 and, when listening on another address, from that address's
/// networks.
fn host_based_authentication(address: Ipv4Addr) -> String {
    let mut sources = vec!["127.0.0.1/32"];
    if !address.is_loopback() {
        sources.push("samenet");
    }
    let mut lines = format!("local all all trust\nhost all {SUPERUSER} 127.0.0.1/32 trust\n");
    for source in sources {
        lines.push_str(&format!(
            "host all {MD5_USER} {source} md5\n\
             host all {CLEARTEXT_USER} {source} password\n\
             host all all {source} scram-sha-256\n"
        ));
    }
    lines
}

impl Drop for PostgresServer {
    fn drop(&mut self) {
        self.stop();
        let _ = fs::remove_dir_all(&self.folder);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn on_loopback_only_loopback_logs_in() {
        let lines = host_based_authentication(Ipv4Addr::LOCALHOST);
        assert!(!lines.contains("samenet"), "{lines}");
        assert!(lines.contains("host all all 127.0.0.1/32 scram-sha-256\n"));
        assert!(lines.contains("host all postgres 127.0.0.1/32 trust\n"));
    }

    #[test]
    fn off_loopback_the_roles_log_in_from_its_networks_but_not_the_superuser() {
        let lines = host_based_authentication(Ipv4Addr::new(172, 16, 0, 1));
        assert!(
            lines.contains("host all all samenet scram-sha-256\n"),
            "{lines}"
        );
        assert!(lines.contains("host all md5_user samenet md5\n"), "{lines}");
        assert!(!lines.contains("postgres samenet"), "{lines}");
    }
}
