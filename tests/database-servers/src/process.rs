//! What the servers share: free ports, fresh folders, the unprivileged account they run as,
//! where a server listens, finding binaries, waiting for a port, and percent-encoding
//! passwords for URLs.
use std::ffi::OsString;
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// A port of 127.0.0.1 nothing listens on right now.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .expect("a free port on 127.0.0.1")
}

/// A fresh, empty folder under the temporary directory, named after `kind`, this process and
/// a counter (so servers of one test binary never share one).
pub fn fresh_folder(kind: &str) -> PathBuf {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let folder = std::env::temp_dir().join(format!(
        "sauce-{kind}-{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&folder);
    std::fs::create_dir_all(&folder).expect("a temporary folder");
    folder
}

/// The first of `names` found as a file in `PATH` or the usual system folders (`/usr/sbin`
/// holds `mariadbd`, and is not on every user's `PATH`).
pub fn find_binary(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let mut folders: Vec<PathBuf> = std::env::split_paths(&path).collect();
    folders
        .extend(["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin"].map(PathBuf::from));
    names
        .iter()
        .flat_map(|name| folders.iter().map(move |folder| folder.join(name)))
        .find(|candidate| candidate.is_file())
}

/// Who a server process runs as.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Account {
    /// The test's own user (the test does not run as root).
    Current,
    /// An unprivileged account the test (as root) switches to.
    Unprivileged {
        /// Its name (`mariadbd --user=` takes it).
        name: String,
        /// Its user id.
        uid: u32,
        /// Its primary group id.
        gid: u32,
    },
}

impl Account {
    /// The account a server runs as: the current user unless that is root; as root, the first
    /// of `preferred` that exists in `/etc/passwd`, else `nobody`.
    pub fn for_server(preferred: &[&str]) -> Account {
        let passwd = std::fs::read_to_string("/etc/passwd").unwrap_or_default();
        if !running_as_root() {
            return Account::Current;
        }
        preferred
            .iter()
            .chain(&["nobody"])
            .find_map(|name| account_in(&passwd, name))
            .unwrap_or(Account::Unprivileged {
                name: "nobody".to_owned(),
                uid: 65534,
                gid: 65534,
            })
    }

    /// Makes `command` run as this account.
    pub fn apply(&self, command: &mut Command) {
        if let Account::Unprivileged { uid, gid, .. } = self {
            command.uid(*uid).gid(*gid);
        }
    }

    /// Gives `path` (and everything under it) to this account, so the server may write there.
    pub fn take(&self, path: &Path) {
        if let Account::Unprivileged { uid, gid, .. } = self {
            let status = Command::new("chown")
                .arg("-R")
                .arg(format!("{uid}:{gid}"))
                .arg(path)
                .status()
                .expect("chown runs");
            assert!(status.success(), "chown -R {uid}:{gid} {}", path.display());
        }
    }
}

/// Where a server listens: an address, and the command prefix its process runs under to be
/// where that address is (`ip netns exec NAME` for an address inside a network namespace).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Listen {
    /// The one address the server listens on.
    pub address: Ipv4Addr,
    /// Words run before the server's binary; empty for this process's own network.
    pub prefix: Vec<OsString>,
}

impl Listen {
    /// 127.0.0.1 of this process's network (QEMU user networking's 10.0.2.2 reaches it).
    pub fn loopback() -> Listen {
        Listen {
            address: Ipv4Addr::LOCALHOST,
            prefix: Vec::new(),
        }
    }

    /// `address` in network namespace `name`: the server runs under `ip netns exec NAME`.
    pub fn in_namespace(name: &str, address: Ipv4Addr) -> Listen {
        Listen {
            address,
            prefix: ["ip", "netns", "exec", name].map(OsString::from).to_vec(),
        }
    }

    /// Whether the server is on this process's own network, where the test can reach its port.
    pub fn is_local(&self) -> bool {
        self.prefix.is_empty()
    }

    /// A command running `binary` as `account` under the prefix. The prefix runs with this
    /// process's privileges (entering a namespace needs them) and `setpriv` drops to the
    /// account after it; without a prefix the account applies directly.
    pub fn command(&self, account: &Account, binary: &Path) -> Command {
        let Some((program, prefix)) = self.prefix.split_first() else {
            let mut command = Command::new(binary);
            account.apply(&mut command);
            return command;
        };
        let mut command = Command::new(program);
        command.args(prefix);
        if let Account::Unprivileged { uid, gid, .. } = account {
            command
                .arg("setpriv")
                .arg(format!("--reuid={uid}"))
                .arg(format!("--regid={gid}"))
                .args(["--clear-groups", "--"]);
        }
        command.arg(binary);
        command
    }
}

/// Whether this process runs as root (user id 0).
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

/// The account `name` of an `/etc/passwd` text, if it has one.
fn account_in(passwd: &str, name: &str) -> Option<Account> {
    passwd.lines().find_map(|line| {
        let mut fields = line.split(':');
        if fields.next()? != name {
            return None;
        }
        let uid = fields.nth(1)?.parse().ok()?;
        let gid = fields.next()?.parse().ok()?;
        Some(Account::Unprivileged {
            name: name.to_owned(),
            uid,
            gid,
        })
    })
}

/// Waits until `ready()` holds, `child` has not exited, and at most `limit` has passed;
/// panics with `log()` otherwise.
pub fn wait_until(
    what: &str,
    child: &mut Child,
    limit: Duration,
    mut ready: impl FnMut() -> bool,
    log: impl Fn() -> String,
) {
    let deadline = Instant::now() + limit;
    loop {
        if let Ok(Some(status)) = child.try_wait() {
            panic!("{what} exited with {status}: {}", log());
        }
        if ready() {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{what} was not ready within {} s: {}",
            limit.as_secs(),
            log()
        );
        std::thread::sleep(Duration::from_millis(25));
    }
}

/// Whether something accepts TCP connections on 127.0.0.1:`port`.
pub fn listening(port: u16) -> bool {
    TcpStream::connect(("127.0.0.1", port)).is_ok()
}

/// Stops `child`: `signal` first (`INT`, `TERM`), then SIGKILL after `grace`.
pub fn stop(mut child: Child, signal: &str, grace: Duration) {
    let _ = Command::new("kill")
        .arg(format!("-{signal}"))
        .arg(child.id().to_string())
        .status();
    let deadline = Instant::now() + grace;
    while Instant::now() < deadline {
        if let Ok(Some(_)) = child.try_wait() {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// `text` with every byte but unreserved ones (RFC 3986: letters, digits, `-._~`) written as
/// `%XX`, for passwords inside URLs.
pub fn percent_encode(text: &str) -> String {
    let mut encoded = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_encoded_for_urls() {
        assert_eq!(percent_encode("p@ss:w/rd 'x%"), "p%40ss%3Aw%2Frd%20%27x%25");
        assert_eq!(percent_encode("ünï"), "%C3%BCn%C3%AF");
        assert_eq!(percent_encode("plain-1.2_~"), "plain-1.2_~");
    }

    #[test]
    fn accounts_are_read_from_passwd() {
        let passwd = "root:x:0:0:root:/root:/bin/bash\n\
                      postgres:x:105:109:PostgreSQL:/var/lib/postgresql:/bin/bash\n\
                      broken:x:abc:1::/:/bin/false\n";
        assert_eq!(
            account_in(passwd, "postgres"),
            Some(Account::Unprivileged {
                name: "postgres".to_owned(),
                uid: 105,
                gid: 109
            })
        );
        assert_eq!(account_in(passwd, "post"), None);
        assert_eq!(account_in(passwd, "broken"), None);
    }

    fn words(command: &Command) -> Vec<String> {
        std::iter::once(command.get_program())
            .chain(command.get_args())
            .map(|word| word.to_string_lossy().into_owned())
            .collect()
    }

    #[test]
    fn a_server_in_a_namespace_drops_to_its_account_after_entering() {
        let account = Account::Unprivileged {
            name: "postgres".to_owned(),
            uid: 105,
            gid: 109,
        };
        let listen = Listen::in_namespace("sauce-ns", Ipv4Addr::new(172, 16, 0, 1));
        assert!(!listen.is_local());
        assert_eq!(
            words(&listen.command(&account, Path::new("/bin/postgres"))),
            [
                "ip",
                "netns",
                "exec",
                "sauce-ns",
                "setpriv",
                "--reuid=105",
                "--regid=109",
                "--clear-groups",
                "--",
                "/bin/postgres"
            ]
        );
        assert_eq!(
            words(&listen.command(&Account::Current, Path::new("/bin/postgres"))),
            ["ip", "netns", "exec", "sauce-ns", "/bin/postgres"]
        );
    }

    #[test]
    fn a_local_server_runs_its_binary_directly() {
        let listen = Listen::loopback();
        assert!(listen.is_local());
        assert_eq!(listen.address, Ipv4Addr::LOCALHOST);
        assert_eq!(
            words(&listen.command(&Account::Current, Path::new("/bin/redis-server"))),
            ["/bin/redis-server"]
        );
    }

    #[test]
    fn fresh_folders_are_distinct_and_empty() {
        let first = fresh_folder("fixture-test");
        let second = fresh_folder("fixture-test");
        assert_ne!(first, second);
        assert_eq!(std::fs::read_dir(&first).unwrap().count(), 0);
        let _ = (
            std::fs::remove_dir_all(first),
            std::fs::remove_dir_all(second),
        );
    }

    #[test]
    fn a_free_port_can_be_bound() {
        let port = free_port();
        assert!(TcpListener::bind(("127.0.0.1", port)).is_ok());
        assert!(!listening(port));
    }
}
