//! A Redis server of the test's own: started as `nobody` in a temporary folder on a free port,
//! nothing saved, a password for the `default` user and an ACL user; stopped and deleted when
//! dropped.
use std::fs;
use std::net::TcpListener;
use std::os::unix::fs::chown;
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// The unprivileged user servers run as (`nobody`).
const UNPRIVILEGED: u32 = 65534;

/// The `default` user's password (`requirepass`); has characters a URL must encode.
pub const DEFAULT_PASSWORD: &str = "default p@ss/word";
/// An ACL user with every permission.
pub const ACL_USER: &str = "alice";
/// Its password.
pub const ACL_PASSWORD: &str = "alice:secret";

/// The `redis-server` binary, if installed.
pub fn binary() -> Option<PathBuf> {
    std::env::var_os("PATH")?
        .to_str()?
        .split(':')
        .map(|folder| PathBuf::from(folder).join("redis-server"))
        .find(|path| path.exists())
}

/// A port nothing listens on right now.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .expect("a free port")
}

/// A running server.
pub struct RedisServer {
    folder: PathBuf,
    binary: PathBuf,
    /// Its TCP port on 127.0.0.1.
    pub port: u16,
    child: Option<Child>,
}

impl RedisServer {
    /// Starts a server on a free port.
    pub fn start(binary: &std::path::Path) -> RedisServer {
        RedisServer::start_on(binary, free_port())
    }

    /// Starts a server on `port`.
    pub fn start_on(binary: &std::path::Path, port: u16) -> RedisServer {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let folder = std::env::temp_dir().join(format!(
            "sauce-redis-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = fs::remove_dir_all(&folder);
        fs::create_dir_all(&folder).expect("a temporary folder");
        chown(&folder, Some(UNPRIVILEGED), Some(UNPRIVILEGED)).expect("chown to nobody");
        let mut server = RedisServer {
            folder,
            binary: binary.to_path_buf(),
            port,
            child: None,
        };
        server.resume();
        server
    }

    /// Starts the server process (again) and waits until it answers.
    pub fn resume(&mut self) {
        let log = fs::File::create(self.folder.join("server.log")).expect("a log file");
        let child = Command::new(&self.binary)
            .current_dir(&self.folder)
            .uid(UNPRIVILEGED)
            .gid(UNPRIVILEGED)
            .args(["--port", &self.port.to_string(), "--bind", "127.0.0.1"])
            .args(["--save", "", "--appendonly", "no", "--daemonize", "no"])
            .arg("--dir")
            .arg(&self.folder)
            .args(["--requirepass", DEFAULT_PASSWORD])
            .args([
                "--user",
                ACL_USER,
                "on",
                &format!(">{ACL_PASSWORD}"),
                "~*",
                "&*",
                "+@all",
            ])
            .stdout(log.try_clone().expect("log"))
            .stderr(log)
            .stdin(Stdio::null())
            .spawn()
            .expect("redis-server starts");
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(10);
        while !self.log().contains("Ready to accept connections") {
            assert!(
                Instant::now() < deadline,
                "redis did not start: {}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// The server's log so far.
    pub fn log(&self) -> String {
        fs::read_to_string(self.folder.join("server.log")).unwrap_or_default()
    }

    /// Kills the server (SIGKILL) and waits for it.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// A URL with `userinfo` (`:password` or `user:password`, already encoded) and `path`.
    pub fn url(&self, user: Option<&str>, password: &str, path: &str) -> String {
        let encoded: String = password
            .bytes()
            .map(|byte| {
                if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
                    char::from(byte).to_string()
                } else {
                    format!("%{byte:02X}")
                }
            })
            .collect();
        format!(
            "redis://{}:{encoded}@127.0.0.1:{}{path}",
            user.unwrap_or(""),
            self.port
        )
    }

    /// The configuration of the ACL user (RESP3, database 0).
    pub fn configuration(&self) -> sauce_redis::Configuration {
        sauce_redis::Configuration::parse(&self.url(Some(ACL_USER), ACL_PASSWORD, ""))
            .expect("a valid URL")
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.kill();
        let _ = fs::remove_dir_all(&self.folder);
    }
}
