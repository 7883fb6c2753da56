//! A MariaDB (or MySQL) server of the test's own: `mariadb-install-db` into a fresh folder,
//! `mariadbd --no-defaults` on a free port of 127.0.0.1, accounts made by an init file; killed
//! and deleted when dropped.
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

use crate::process::{self, Account};
use crate::Missing;

/// The accounts and databases every server gets (the init file runs at every start, hence
/// `IF NOT EXISTS`): `native` (mysql_native_password) on `sauce` and `other`, `nopassword`,
/// `long` (a password full of URL characters), `edwards` (ed25519, which the client refuses).
pub const INIT_SQL: &str = "
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

/// The account most tests use.
pub const NATIVE_USER: &str = "native";
/// Its password.
pub const NATIVE_PASSWORD: &str = "native-secret";
/// The database the accounts share.
pub const DATABASE: &str = "sauce";

/// A running (or killed, until [`MariadbServer::launch`]) server.
pub struct MariadbServer {
    folder: PathBuf,
    binary: PathBuf,
    account: Account,
    port: u16,
    child: Option<Child>,
}

impl MariadbServer {
    /// The server and installer binaries.
    pub fn binaries() -> Result<(PathBuf, PathBuf), Missing> {
        let server = process::find_binary(&["mariadbd", "mysqld"]).ok_or(Missing {
            what: "`mariadbd` or `mysqld`",
            package: "mariadb-server",
        })?;
        let installer =
            process::find_binary(&["mariadb-install-db", "mysql_install_db"]).ok_or(Missing {
                what: "`mariadb-install-db`",
                package: "mariadb-server",
            })?;
        Ok((server, installer))
    }

    /// Installs a fresh data folder and starts a server on a free port.
    pub fn start() -> Result<MariadbServer, Missing> {
        let (binary, installer) = MariadbServer::binaries()?;
        let account = Account::for_server(&["mysql"]);
        let folder = process::fresh_folder("mariadb");
        // From here on the folder is removed on drop, whatever fails.
        let mut server = MariadbServer {
            folder,
            binary,
            account,
            port: process::free_port(),
            child: None,
        };
        // A private temporary folder: concurrent servers sharing /tmp remove each other's
        // temporary tables during `mariadb-install-db`.
        fs::create_dir_all(server.folder.join("tmp")).expect("server temporary folder");
        fs::write(server.folder.join("init.sql"), INIT_SQL).expect("init file");
        server.account.take(&server.folder);
        let install_log = server.folder.join("install.log");
        let log_file = fs::File::create(&install_log).expect("install log");
        let mut install = Command::new(installer);
        install
            .arg("--no-defaults")
            .arg(format!(
                "--datadir={}",
                server.folder.join("data").display()
            ))
            .arg("--auth-root-authentication-method=normal")
            .arg("--skip-test-db")
            .env("TMPDIR", server.folder.join("tmp"))
            .stdin(Stdio::null())
            .stdout(log_file.try_clone().expect("install log"))
            .stderr(log_file);
        if let Account::Unprivileged { name, .. } = &server.account {
            install.arg(format!("--user={name}"));
        }
        let status = install.status().expect("mariadb-install-db runs");
        assert!(
            status.success(),
            "mariadb-install-db failed in {}: {}",
            server.folder.display(),
            fs::read_to_string(&install_log).unwrap_or_default()
        );
        server.launch();
        Ok(server)
    }

    /// Starts the server process on the existing data folder (again, after
    /// [`MariadbServer::kill`]) and waits until it listens.
    pub fn launch(&mut self) {
        assert!(self.child.is_none(), "mariadbd is already running");
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
            .args([
                "--bind-address=127.0.0.1",
                "--skip-name-resolve",
                "--skip-log-bin",
            ])
            .args(["--innodb-buffer-pool-size=16M", "--innodb-log-file-size=8M"])
            .args(["--max-connections=200", "--max-allowed-packet=64M"])
            .arg("--plugin-load-add=auth_ed25519")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        if let Account::Unprivileged { name, .. } = &self.account {
            command.arg(format!("--user={name}"));
        }
        let mut child = command.spawn().expect("mariadbd starts");
        let port = self.port;
        process::wait_until(
            "mariadbd",
            &mut child,
            Duration::from_secs(60),
            || process::listening(port),
            || self.log(),
        );
        self.child = Some(child);
    }

    /// Kills the server at once (SIGKILL), as a crash would.
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

    /// A URL of 127.0.0.1 for `user` with `password` (percent-encoded here) on [`DATABASE`].
    pub fn url(&self, user: &str, password: &str) -> String {
        self.url_at("127.0.0.1", user, password)
    }

    /// The same URL with another host: `10.0.2.2` is this host as a QEMU guest sees it.
    pub fn url_at(&self, host: &str, user: &str, password: &str) -> String {
        format!(
            "mysql://{user}:{}@{host}:{}/{DATABASE}",
            process::percent_encode(password),
            self.port
        )
    }

    /// The server's error log so far.
    pub fn log(&self) -> String {
        fs::read_to_string(self.folder.join("error.log")).unwrap_or_default()
    }

    /// The server's folder (its data folder is `data` inside).
    pub fn folder(&self) -> &Path {
        &self.folder
    }

    /// One server shared by the tests of a binary that run at the same time; stopped when the
    /// last of them lets go (a later test starts a new one).
    pub fn shared() -> Result<Arc<MariadbServer>, Missing> {
        static SHARED: Mutex<Weak<MariadbServer>> = Mutex::new(Weak::new());
        let mut slot = SHARED
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(server) = slot.upgrade() {
            return Ok(server);
        }
        let server = Arc::new(MariadbServer::start()?);
        *slot = Arc::downgrade(&server);
        Ok(server)
    }
}

impl Drop for MariadbServer {
    fn drop(&mut self) {
        self.kill();
        let _ = fs::remove_dir_all(&self.folder);
    }
}
