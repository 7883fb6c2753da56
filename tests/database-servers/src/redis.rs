//! A Redis server of the test's own: `redis-server` in a fresh folder on a free port of
//! 127.0.0.1, nothing saved, a password for the `default` user and an ACL user; killed and
//! deleted when dropped.
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::process::{self, Account};
use crate::Missing;

/// The `default` user's password (`requirepass`), with characters a URL must encode.
pub const DEFAULT_PASSWORD: &str = "default p@ss/word";
/// An ACL user with every permission.
pub const ACL_USER: &str = "alice";
/// Its password.
pub const ACL_PASSWORD: &str = "alice:secret";

/// A running (or killed, until [`RedisServer::resume`]) server.
pub struct RedisServer {
    folder: PathBuf,
    binary: PathBuf,
    account: Account,
    port: u16,
    child: Option<Child>,
}

impl RedisServer {
    /// The `redis-server` binary.
    pub fn binary() -> Result<PathBuf, Missing> {
        process::find_binary(&["redis-server"]).ok_or(Missing {
            what: "`redis-server` on PATH",
            package: "redis-server",
        })
    }

    /// Starts a server on a free port.
    pub fn start() -> Result<RedisServer, Missing> {
        RedisServer::start_on(process::free_port())
    }

    /// Starts a server on `port`.
    pub fn start_on(port: u16) -> Result<RedisServer, Missing> {
        let binary = RedisServer::binary()?;
        let account = Account::for_server(&["redis"]);
        let folder = process::fresh_folder("redis");
        account.take(&folder);
        let mut server = RedisServer {
            folder,
            binary,
            account,
            port,
            child: None,
        };
        server.resume();
        Ok(server)
    }

    /// Starts the server process (again, after [`RedisServer::kill`]) and waits until it is
    /// ready to accept connections.
    pub fn resume(&mut self) {
        assert!(self.child.is_none(), "redis-server is already running");
        let log = fs::File::create(self.folder.join("server.log")).expect("a log file");
        let mut command = Command::new(&self.binary);
        command
            .current_dir(&self.folder)
            .args(["--port", &self.port.to_string(), "--bind", "127.0.0.1"])
            .args(["--save", "", "--appendonly", "no", "--daemonize", "no"])
            .arg("--dir")
            .arg(&self.folder)
            .args(["--requirepass", DEFAULT_PASSWORD])
            .args(["--user", ACL_USER, "on", &format!(">{ACL_PASSWORD}")])
            .args(["~*", "&*", "+@all"])
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("log"))
            .stderr(log);
        self.account.apply(&mut command);
        let mut child = command.spawn().expect("redis-server starts");
        process::wait_until(
            "redis-server",
            &mut child,
            Duration::from_secs(10),
            || self.log().contains("Ready to accept connections"),
            || self.log(),
        );
        self.child = Some(child);
    }

    /// Kills the server (SIGKILL), as a crash would, and waits for it.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Its TCP port on 127.0.0.1.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The server's log so far.
    pub fn log(&self) -> String {
        fs::read_to_string(self.folder.join("server.log")).unwrap_or_default()
    }

    /// The server's folder.
    pub fn folder(&self) -> &Path {
        &self.folder
    }

    /// A URL of 127.0.0.1 for `user` (none: the `default` user) with `password`
    /// (percent-encoded here) and `path` (`""`, `"/3"`).
    pub fn url(&self, user: Option<&str>, password: &str, path: &str) -> String {
        self.url_at("127.0.0.1", user, password, path)
    }

    /// The same URL with another host: `10.0.2.2` is this host as a QEMU guest sees it.
    pub fn url_at(&self, host: &str, user: Option<&str>, password: &str, path: &str) -> String {
        format!(
            "redis://{}:{}@{host}:{}{path}",
            user.unwrap_or(""),
            process::percent_encode(password),
            self.port
        )
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.kill();
        let _ = fs::remove_dir_all(&self.folder);
    }
}
