//! The database servers, inside the benchmark's namespace on [`namespace::HOST_ADDRESS`], where a
//! guest on the TAP and a native process beside it reach them by the same address.
//!
//! Postgres is initialised by the test fixture (`sauce-database-servers`: initdb, the SCRAM
//! role, the database), given the notes, stopped, and started again inside the namespace on the
//! same data folder; Redis is started there directly. Both run as the fixture's unprivileged
//! account (`setpriv`, since `ip netns exec` needs root) and are stopped when dropped.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use sauce_bench::namespace::{self, Namespace};
use sauce_database_servers::postgres::{self, SCRAM_PASSWORD, SCRAM_USER};
use sauce_database_servers::process::{self as fixture, Account};
use sauce_database_servers::{PostgresServer, RedisServer};

/// Postgres's port inside the namespace.
const POSTGRES_PORT: u16 = 5432;
/// Redis's port inside the namespace.
const REDIS_PORT: u16 = 6379;
/// How many notes the table holds (the benchmark reads one).
const NOTES: usize = 100;

/// The table as examples/notes-postgres creates it.
const CREATE_TABLE: &str = "CREATE TABLE IF NOT EXISTS notes (\
     id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, \
     title text NOT NULL, \
     done boolean NOT NULL DEFAULT false)";

/// A server process inside the namespace, stopped (SIGINT, then SIGKILL after 10 s) when
/// dropped.
struct Running {
    child: Option<Child>,
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(child) = self.child.take() {
            sauce_bench::cleanup::forget_process(child.id());
            fixture::stop(child, "INT", Duration::from_secs(10));
        }
    }
}

/// `program` inside `namespace`, as `account`.
fn as_account(
    namespace: &Namespace,
    account: &Account,
    program: impl AsRef<std::ffi::OsStr>,
) -> std::process::Command {
    let mut command = namespace.command("setpriv");
    if let Account::Unprivileged { uid, gid, .. } = account {
        command.args([
            format!("--reuid={uid}"),
            format!("--regid={gid}"),
            "--clear-groups".to_owned(),
        ]);
    }
    command.arg(program);
    command
}

/// Spawns `command` (stderr and stdout to `log`) and waits until `log` contains `ready`.
fn launch(
    mut command: std::process::Command,
    log: &PathBuf,
    ready: &str,
    what: &str,
) -> Result<Running, String> {
    let file = std::fs::File::create(log).map_err(|error| error.to_string())?;
    command
        .stdin(Stdio::null())
        .stdout(file.try_clone().map_err(|error| error.to_string())?)
        .stderr(file);
    let child = command
        .spawn()
        .map_err(|error| format!("cannot start {what}: {error}"))?;
    sauce_bench::cleanup::register_process(child.id());
    let mut running = Running { child: Some(child) };
    let started = Instant::now();
    loop {
        let text = std::fs::read_to_string(log).unwrap_or_default();
        if text.contains(ready) {
            return Ok(running);
        }
        let exited = running
            .child
            .as_mut()
            .is_some_and(|child| !matches!(child.try_wait(), Ok(None)));
        if exited || started.elapsed() > Duration::from_secs(60) {
            return Err(format!("{what} did not start:\n{text}"));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Postgres with the notes table, listening inside the namespace.
pub struct Postgres {
    // Dropped first: the process stops before the fixture deletes its folder.
    _process: Running,
    _fixture: PostgresServer,
}

impl Postgres {
    /// Initialises the server, writes [`NOTES`] notes, and starts it inside `namespace`.
    pub fn start(namespace: &Namespace) -> Result<Postgres, String> {
        let mut server = PostgresServer::start().map_err(|missing| missing.to_string())?;
        server.query(SCRAM_USER, postgres::DATABASE, CREATE_TABLE)?;
        server.query(
            SCRAM_USER,
            postgres::DATABASE,
            &format!(
                "INSERT INTO notes (title, done) SELECT 'note ' || n, n % 2 = 0 \
                 FROM generate_series(1, {NOTES}) AS n"
            ),
        )?;
        server.stop();
        let folder = server.folder().to_path_buf();
        let mut rules = std::fs::OpenOptions::new()
            .append(true)
            .open(folder.join("data/pg_hba.conf"))
            .map_err(|error| error.to_string())?;
        writeln!(rules, "host all all 172.16.0.0/24 scram-sha-256")
            .map_err(|error| error.to_string())?;
        let account = Account::for_server(&["postgres"]);
        let mut command = as_account(namespace, &account, server.binary("postgres"));
        command
            .current_dir(&folder)
            .env("LC_ALL", "C")
            .arg("-D")
            .arg(folder.join("data"))
            .args(["-p", &POSTGRES_PORT.to_string(), "-k"])
            .arg(&folder)
            .args([
                "-c",
                &format!("listen_addresses={}", namespace::HOST_ADDRESS),
            ])
            .args(["-c", "fsync=off", "-c", "synchronous_commit=off"])
            .args(["-c", "shared_buffers=64MB", "-c", "max_connections=60"]);
        let process = launch(
            command,
            &folder.join("namespace.log"),
            "database system is ready to accept connections",
            "postgres in the namespace",
        )?;
        Ok(Postgres {
            _process: process,
            _fixture: server,
        })
    }

    /// The URL of the notes database for the SCRAM role, from inside the namespace.
    pub fn url(&self) -> String {
        format!(
            "postgres://{SCRAM_USER}:{}@{}:{POSTGRES_PORT}/{}",
            fixture::percent_encode(SCRAM_PASSWORD),
            namespace::HOST_ADDRESS,
            postgres::DATABASE
        )
    }
}

/// Redis listening inside the namespace, nothing saved, no password.
pub struct Redis {
    process: Running,
    folder: PathBuf,
}

impl Redis {
    /// Starts `redis-server` inside `namespace`.
    pub fn start(namespace: &Namespace) -> Result<Redis, String> {
        let binary = RedisServer::binary().map_err(|missing| missing.to_string())?;
        let account = Account::for_server(&["redis"]);
        let folder = fixture::fresh_folder("bench-redis");
        account.take(&folder);
        let mut command = as_account(namespace, &account, binary);
        command
            .current_dir(&folder)
            .args(["--port", &REDIS_PORT.to_string()])
            .args(["--bind", namespace::HOST_ADDRESS, "--protected-mode", "no"])
            .args(["--save", "", "--appendonly", "no", "--daemonize", "no"])
            .arg("--dir")
            .arg(&folder);
        let process = launch(
            command,
            &folder.join("server.log"),
            "Ready to accept connections",
            "redis-server in the namespace",
        )?;
        Ok(Redis { process, folder })
    }

    /// `redis://HOST:PORT` from inside the namespace.
    pub fn url(&self) -> String {
        format!("redis://{}:{REDIS_PORT}", namespace::HOST_ADDRESS)
    }

    /// `redis-benchmark`'s arguments for this server.
    pub fn benchmark_arguments(&self) -> Vec<String> {
        vec![
            "-h".to_owned(),
            namespace::HOST_ADDRESS.to_owned(),
            "-p".to_owned(),
            REDIS_PORT.to_string(),
        ]
    }
}

impl Drop for Redis {
    fn drop(&mut self) {
        // Fields drop after this body: stop the server first, then remove its folder.
        drop(Running {
            child: self.process.child.take(),
        });
        let _ = std::fs::remove_dir_all(&self.folder);
    }
}
