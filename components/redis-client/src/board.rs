//! The redis-client component's contract with the board: for each `[[database]] kind =
//! "redis"`, a pool made at boot from the URL given at run time (`sauce run --env
//! REDIS_URL=…`), kept under the database's name for the app's handlers
//! ([`pool`](crate::pool)). Making a pool opens nothing, so boot never waits for the database.
mod registry;

use alloc::boxed::Box;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;

use sauce_connect::{Clock, Connector};
use sauce_core::command_line::CommandLine;
use sauce_entropy::SystemRandom;
use sauce_outbound_tcp::{ExecutorClock, TcpConnector};

use crate::{Configuration as DatabaseConfiguration, Pool, PoolOptions};

pub use registry::{AlreadyRegistered, Registry};

/// A pool in an image: over outbound-tcp's connector, the executor's clock and the image's
/// generator.
pub type ImagePool = Pool<TcpConnector, ExecutorClock, SystemRandom>;

/// The image's pools, by database name.
static POOLS: Registry<ImagePool> = Registry::new();

/// The pool of the `[[database]]` named `name`, when the image has one and its URL was given
/// at boot; `None` otherwise (answer 503: the boot log says why).
pub fn pool(name: &str) -> Option<&'static ImagePool> {
    POOLS.get(name)
}

/// `[config.*]` of component.toml: one database's pool; the board overrides each field its
/// `[[database]]` sets (`pool`, `timeout`, `backoff_max`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Configuration {
    /// The most connections open at once.
    pub pool_size: usize,
    /// One operation's deadline: waiting for a connection, connecting, the command.
    pub timeout_ms: u64,
    /// The longest pause between connection attempts while the server is down.
    pub backoff_max_ms: u64,
}

impl Configuration {
    /// component.toml's defaults (the pool's own).
    pub const DEFAULT: Configuration = Configuration {
        pool_size: 4,
        timeout_ms: 2_000,
        backoff_max_ms: 10_000,
    };

    /// The pool's options.
    pub fn pool_options(&self) -> PoolOptions {
        PoolOptions {
            size: self.pool_size,
            timeout_ms: self.timeout_ms,
            backoff_max_ms: self.backoff_max_ms,
            ..PoolOptions::DEFAULT
        }
    }
}

/// Why a database has no pool in this boot.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BoardError {
    /// database {name}: no {key} was given at run time (sauce run --env {key}=redis://[USER:PASSWORD@]HOST:PORT[/DB])
    MissingUrl {
        /// The database.
        name: &'static str,
        /// The environment key its `url` names.
        key: &'static str,
    },
    /// database {name}: {key} is not a Redis URL: {problem}
    InvalidUrl {
        /// The database.
        name: &'static str,
        /// The environment key its `url` names.
        key: &'static str,
        /// What is wrong (never the password).
        problem: String,
    },
    /// database {0}: declared twice
    Duplicate(&'static str),
}

impl fmt::Display for BoardError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BoardError::MissingUrl { name, key } => write!(
                formatter,
                "database {name}: no {key} was given at run time (sauce run --env {key}=redis://[USER:PASSWORD@]HOST:PORT[/DB])"
            ),
            BoardError::InvalidUrl { name, key, problem } => write!(
                formatter,
                "database {name}: {key} is not a Redis URL: {problem}"
            ),
            BoardError::Duplicate(name) => write!(formatter, "database {name}: declared twice"),
        }
    }
}

/// A pool made: what the boot log says about it (the password masked).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Started {
    /// The database.
    pub name: &'static str,
    /// The URL, masked.
    pub url: String,
    /// The pool's size.
    pub pool_size: usize,
}

impl fmt::Display for Started {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            formatter,
            "database {}: {}, up to {} connections (opened on demand)",
            self.name, self.url, self.pool_size
        )
    }
}

/// The run-time value `key` of the command line (`sauce.env.KEY=`), percent-decoded; `Err`
/// when it is not UTF-8.
pub fn url_of(command_line: &CommandLine<'_>, key: &str) -> Option<Result<String, ()>> {
    let bytes: Vec<u8> = command_line.environment(key)?.collect();
    Some(String::from_utf8(bytes).map_err(|_| ()))
}

/// Makes the pool of the database `name` from the URL the command line gives under `url_key`
/// and registers it for [`pool`](crate::pool).
pub fn init(
    name: &'static str,
    configuration: Configuration,
    url_key: &'static str,
    command_line: &CommandLine<'_>,
    connector: TcpConnector,
) -> Result<Started, BoardError> {
    let url = match url_of(command_line, url_key) {
        None => None,
        Some(Ok(url)) => Some(url),
        Some(Err(())) => {
            return Err(BoardError::InvalidUrl {
                name,
                key: url_key,
                problem: "it is not UTF-8".to_string(),
            })
        }
    };
    let parts = Parts {
        connector,
        clock: ExecutorClock,
        random: SystemRandom,
    };
    init_in(&POOLS, name, configuration, url_key, url.as_deref(), parts)
}

/// What a pool is made over.
pub struct Parts<C, K, R> {
    /// Opens connections.
    pub connector: C,
    /// Times operations and backoff.
    pub clock: K,
    /// Backoff jitter.
    pub random: R,
}

/// [`init`] into any registry, over any connector, clock and random source (host tests).
pub fn init_in<C: Connector, K: Clock, R: rand_core::RngCore>(
    registry: &Registry<Pool<C, K, R>>,
    name: &'static str,
    configuration: Configuration,
    url_key: &'static str,
    url: Option<&str>,
    parts: Parts<C, K, R>,
) -> Result<Started, BoardError> {
    let url = url.ok_or(BoardError::MissingUrl { name, key: url_key })?;
    let database = DatabaseConfiguration::parse(url).map_err(|error| BoardError::InvalidUrl {
        name,
        key: url_key,
        problem: error.to_string(),
    })?;
    if registry.get(name).is_some() {
        return Err(BoardError::Duplicate(name));
    }
    let started = Started {
        name,
        url: database.to_string(),
        pool_size: configuration.pool_size,
    };
    let pool = Box::leak(Box::new(Pool::new(
        database,
        configuration.pool_options(),
        parts.connector,
        parts.clock,
        parts.random,
    )));
    registry
        .register(name, pool)
        .map_err(|AlreadyRegistered(name)| BoardError::Duplicate(name))?;
    Ok(started)
}

#[cfg(test)]
mod tests {
    use sauce_connect::host::{StdClock, StdConnector};

    use super::*;

    type HostPool = Pool<StdConnector, StdClock, SystemRandom>;

    fn start(
        registry: &Registry<HostPool>,
        name: &'static str,
        url: Option<&str>,
    ) -> Result<Started, BoardError> {
        let configuration = Configuration {
            pool_size: 2,
            ..Configuration::DEFAULT
        };
        let parts = Parts {
            connector: StdConnector::default(),
            clock: StdClock::default(),
            random: SystemRandom,
        };
        init_in(registry, name, configuration, "REDIS_URL", url, parts)
    }

    #[test]
    fn a_pool_is_registered_under_its_name_and_logged_masked() {
        let registry = Registry::new();
        let started = start(
            &registry,
            "main",
            Some("redis://app:s3cret@10.0.2.2:6379/2"),
        )
        .unwrap();
        assert_eq!(
            started.to_string(),
            "database main: redis://app:***@10.0.2.2:6379/2, up to 2 connections (opened on demand)"
        );
        assert!(registry.get("main").is_some());
        assert!(registry.get("other").is_none());
        assert_eq!(
            start(&registry, "main", Some("redis://cache")),
            Err(BoardError::Duplicate("main"))
        );
    }

    #[test]
    fn a_missing_or_wrong_url_says_how_to_give_it_and_registers_nothing() {
        let registry = Registry::new();
        let missing = start(&registry, "main", None).unwrap_err();
        assert_eq!(
            missing.to_string(),
            "database main: no REDIS_URL was given at run time (sauce run --env REDIS_URL=redis://[USER:PASSWORD@]HOST:PORT[/DB])"
        );
        let wrong = start(&registry, "main", Some("mysql://app:s3cret@db/x")).unwrap_err();
        assert!(matches!(wrong, BoardError::InvalidUrl { .. }), "{wrong:?}");
        assert!(!wrong.to_string().contains("s3cret"), "{wrong}");
        assert!(registry.get("main").is_none());
    }

    #[test]
    fn the_url_is_read_percent_decoded_from_the_command_line() {
        let line = CommandLine::new(
            "console=ttyS0 sauce.env.REDIS_URL=redis://:p%20w@cache sauce.env.BAD=%FF",
        );
        assert_eq!(
            url_of(&line, "REDIS_URL"),
            Some(Ok("redis://:p w@cache".to_string()))
        );
        assert_eq!(url_of(&line, "OTHER"), None);
        assert_eq!(url_of(&line, "BAD"), Some(Err(())));
    }

    #[test]
    fn the_defaults_are_the_pools() {
        let options = Configuration::DEFAULT.pool_options();
        assert_eq!(options.size, PoolOptions::DEFAULT.size);
        assert_eq!(options.timeout_ms, PoolOptions::DEFAULT.timeout_ms);
        assert_eq!(options.backoff_max_ms, PoolOptions::DEFAULT.backoff_max_ms);
    }
}
