//! A private MariaDB (or MySQL) server per test: a fresh data folder in a temporary folder,
//! a free port, run as an unprivileged user, stopped and removed on drop.
use std::io::Write as _;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, Instant};

/// Accounts every server gets (the init file runs at every start, hence `IF NOT EXISTS`).
const INIT_SQL: &str = "
CREATE DATABASE IF NOT EXISTS sauce;
CREATE DATABASE IF NOT EXISTS other;
CREATE USER IF NOT EXISTS 'native'@'%' IDENTIFIED VIA mysql_native_password USING PASSWORD('native-secret');
GRANT ALL ON sauce.* TO 'native'@'%';
GRANT ALL ON other.* TO 'native'@'%';
GRANT PROCESS ON *.* TO 'native'@'%';
CREATE USER IF NOT EXISTS 'nopassword'@'%';
GRANT ALL ON sauce.* TO 'nopassword'@'%';
CREATE USER IF NOT EXISTS 'long'@'%' IDENTIFIED VIA mysql_native_password USING PASSWORD('p@ss:w/rd with spaces and ünïcode');
GRANT ALL ON sauce.* TO 'long'@'%';
CREATE USER IF NOT EXISTS 'edwards'@'%' IDENTIFIED VIA ed25519 USING PASSWORD('edwards-secret');
";

/// A running server.
pub struct Server {
    folder: PathBuf,
    binary: PathBuf,
    user: Option<&'static str>,
    port: u16,
    child: Option<Child>,
}

fn find_binary(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let mut folders: Vec<PathBuf> = std::env::split_paths(&path).collect();
    folders
        .extend(["/usr/sbin", "/usr/local/sbin", "/usr/local/bin", "/usr/bin"].map(PathBuf::from));
    names
        .iter()
        .flat_map(|name| folders.iter().map(move |folder| folder.join(name)))
        .find(|candidate| candidate.is_file())
}

fn running_as_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|line| line.starts_with("Uid:"))
                .map(|line| line.split_whitespace().nth(2) == Some("0"))
        })
        .unwrap_or(false)
}

fn user_exists(name: &str) -> bool {
    std::fs::read_to_string("/etc/passwd")
        .map(|passwd| {
            passwd
                .lines()
                .any(|line| line.starts_with(&format!("{name}:")))
        })
        .unwrap_or(false)
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .expect("no free port")
}

impl Server {
    /// Installs and starts a server, or prints why it cannot and answers `None` when the
    /// server binaries are missing.
    pub fn start() -> Option<Server> {
        let Some(binary) = find_binary(&["mariadbd", "mysqld"]) else {
            eprintln!("skipped: no `mariadbd` or `mysqld` (apt-get install -y mariadb-server)");
            return None;
        };
        let Some(installer) = find_binary(&["mariadb-install-db", "mysql_install_db"]) else {
            eprintln!("skipped: no `mariadb-install-db` (apt-get install -y mariadb-server)");
            return None;
        };
        let user = if running_as_root() {
            Some(if user_exists("mysql") {
                "mysql"
            } else {
                "nobody"
            })
        } else {
            None
        };
        let folder = std::env::temp_dir().join(format!(
            "sauce-mysql-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&folder);
        std::fs::create_dir_all(&folder).expect("temporary folder");
        // From here on the folder is removed on drop, whatever fails.
        let mut server = Server {
            folder,
            binary,
            user,
            port: free_port(),
            child: None,
        };
        let folder = &server.folder;
        // A private temporary folder: concurrent servers sharing /tmp remove each other's
        // temporary tables during `mariadb-install-db`.
        std::fs::create_dir_all(folder.join("tmp")).expect("server temporary folder");
        std::fs::File::create(folder.join("init.sql"))
            .and_then(|mut file| file.write_all(INIT_SQL.as_bytes()))
            .expect("init file");
        if let Some(user) = user {
            let status = Command::new("chown")
                .args(["-R", &format!("{user}:"), &folder.to_string_lossy()])
                .status()
                .expect("chown");
            assert!(status.success(), "chown {folder:?} to {user}");
        }
        let install_log = folder.join("install.log");
        let log_file = std::fs::File::create(&install_log).expect("install log");
        let mut install = Command::new(installer);
        install
            .arg("--no-defaults")
            .arg(format!("--datadir={}", folder.join("data").display()))
            .arg("--auth-root-authentication-method=normal")
            .arg("--skip-test-db")
            .env("TMPDIR", folder.join("tmp"))
            .stdout(log_file.try_clone().expect("install log"))
            .stderr(log_file);
        if let Some(user) = user {
            install.arg(format!("--user={user}"));
        }
        let status = install.status().expect("run mariadb-install-db");
        let log = || std::fs::read_to_string(&install_log).unwrap_or_default();
        assert!(
            status.success(),
            "mariadb-install-db failed in {folder:?}: {}",
            log()
        );
        server.launch();
        Some(server)
    }

    /// Starts the server process on the existing data folder and waits until it listens.
    pub fn launch(&mut self) {
        assert!(self.child.is_none(), "already running");
        let folder = &self.folder;
        let mut command = Command::new(&self.binary);
        command
            .arg("--no-defaults")
            .arg(format!("--datadir={}", folder.join("data").display()))
            .arg(format!("--socket={}", folder.join("server.sock").display()))
            .arg(format!(
                "--pid-file={}",
                folder.join("server.pid").display()
            ))
            .arg(format!(
                "--log-error={}",
                folder.join("error.log").display()
            ))
            .arg(format!("--init-file={}", folder.join("init.sql").display()))
            .arg(format!("--tmpdir={}", folder.join("tmp").display()))
            .arg(format!("--port={}", self.port))
            .arg("--bind-address=127.0.0.1")
            .arg("--skip-name-resolve")
            .arg("--skip-log-bin")
            .arg("--innodb-buffer-pool-size=16M")
            .arg("--innodb-log-file-size=8M")
            .arg("--max-connections=200")
            .arg("--max-allowed-packet=64M")
            .arg("--plugin-load-add=auth_ed25519")
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        if let Some(user) = self.user {
            command.arg(format!("--user={user}"));
        }
        self.child = Some(command.spawn().expect("start mariadbd"));
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline {
            if let Some(status) = self
                .child
                .as_mut()
                .and_then(|child| child.try_wait().ok().flatten())
            {
                panic!("mariadbd exited with {status}: {}", self.log());
            }
            if TcpStream::connect(("127.0.0.1", self.port)).is_ok() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("mariadbd did not listen within 60 s: {}", self.log());
    }

    /// Kills the server at once (SIGKILL), as a crash would.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// The server's TCP port.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// A URL for `user` with `password` and database `sauce`.
    pub fn url(&self, user: &str, password: &str) -> String {
        format!("mysql://{user}:{password}@127.0.0.1:{}/sauce", self.port)
    }

    /// The server's error log, for failure messages.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.folder.join("error.log")).unwrap_or_default()
    }

    /// The data folder.
    #[allow(dead_code)]
    pub fn folder(&self) -> &Path {
        &self.folder
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
        let _ = std::fs::remove_dir_all(&self.folder);
    }
}

static COUNTER: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// One server shared by the tests of a binary that run at the same time; stopped when the
/// last of them lets go (a later test starts a new one).
pub fn shared() -> Option<Arc<Server>> {
    static SHARED: Mutex<Weak<Server>> = Mutex::new(Weak::new());
    let mut slot = SHARED
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(server) = slot.upgrade() {
        return Some(server);
    }
    let server = Arc::new(Server::start()?);
    *slot = Arc::downgrade(&server);
    Some(server)
}
