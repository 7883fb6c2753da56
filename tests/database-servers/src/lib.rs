//! Test fixture: real database servers of a test's own, started and stopped by the test.
//!
//! The database clients' tests (`components/{postgres,redis,mysql}-client`) and the end-to-end
//! tests of the database examples (`host/cli/tests/databases_end_to_end.rs`) run against real
//! servers: `postgres` (initdb + postgres), `redis-server` and `mariadbd`, installed by
//! `scripts/install-dependencies.sh`. Each server here lives in a fresh folder under the
//! temporary directory, listens on a free port of 127.0.0.1 (QEMU user networking's 10.0.2.2
//! reaches it from a guest), runs as an unprivileged user, and is stopped and deleted when
//! dropped.
//!
//! # Map
//! - [`postgres`]: [`PostgresServer`], with roles for SCRAM, md5 and cleartext logins.
//! - [`redis`]: [`RedisServer`], with a password for `default` and an ACL user.
//! - [`mariadb`]: [`MariadbServer`] (and one shared per test binary), with accounts made by an
//!   init file.
//! - [`process`]: what the three share: free ports, fresh folders, the unprivileged account,
//!   where a server listens ([`Listen`]), finding binaries, waiting for a port,
//!   percent-encoding passwords for URLs.
//! - [`harness`]: a runner for tests that share one server (`N passed, N failed, N skipped`).
//!
//! # Rules
//! 1. A server that cannot be found is a [`Missing`] (what, and the Debian package to
//!    install): tests skip saying so. Anything else that fails (initdb, a server that does not
//!    start) panics with the server's log: a broken fixture is a failed test, not a skip.
//! 2. Nothing is left behind: dropping a server stops its process and deletes its folder,
//!    also after a panic; no system service is touched.
//! 3. Servers listen on 127.0.0.1 only, on a port nothing else held when it was chosen — unless
//!    a test gives Postgres another [`Listen`]: one address, inside a network namespace the
//!    test made (the TAP tests: `host/cli/tests/outbound_tap.rs`), where it still runs as the
//!    unprivileged account.
//! 4. When the test runs as root, servers run as an unprivileged user (`postgres`, `redis`,
//!    `mysql` when such an account exists, else `nobody`); otherwise as the test's own user.
#![forbid(unsafe_code)]

pub mod harness;
pub mod mariadb;
pub mod postgres;
pub mod process;
pub mod redis;

pub use mariadb::MariadbServer;
pub use postgres::PostgresServer;
pub use process::Listen;
pub use redis::RedisServer;

/// A server binary is not installed, so tests that need it are skipped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Missing {
    /// What was looked for: a binary and where (`redis-server on PATH`).
    pub what: &'static str,
    /// The Debian package that installs it.
    pub package: &'static str,
}

impl core::fmt::Display for Missing {
    fn fmt(&self, formatter: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(
            formatter,
            "no {} (apt-get install -y {}, or scripts/install-dependencies.sh)",
            self.what, self.package
        )
    }
}

impl std::error::Error for Missing {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_server_names_its_package() {
        let missing = Missing {
            what: "`redis-server` on PATH",
            package: "redis-server",
        };
        assert_eq!(
            missing.to_string(),
            "no `redis-server` on PATH (apt-get install -y redis-server, or scripts/install-dependencies.sh)"
        );
    }
}
