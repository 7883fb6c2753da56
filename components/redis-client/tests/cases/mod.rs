//! The cases, grouped by what they cover.
mod authentication;
mod benchmark;
mod commands;
mod faults;
mod pipeline;
mod pool;

use sauce_connect::host::{block_on, StdClock, StdConnector, StdStream};
use sauce_connect::Connector;
use sauce_redis::{Client, Configuration, Error, Pool, PoolOptions};

use crate::support::harness::Case;
use crate::support::TestRandom;
use crate::Context;

/// Every case, in order.
pub fn all() -> Vec<Case<Context>> {
    let mut cases = Vec::new();
    cases.extend(authentication::cases());
    cases.extend(commands::cases());
    cases.extend(pipeline::cases());
    cases.extend(pool::cases());
    cases.extend(faults::cases());
    cases.extend(benchmark::cases());
    cases
}

/// A case that runs by default.
pub fn case(name: &'static str, run: fn(&Context)) -> Case<Context> {
    Case {
        name,
        ignored: false,
        run,
    }
}

/// Connects one client with `configuration`.
pub async fn connect(configuration: &Configuration) -> Result<Client<StdStream>, Error> {
    let stream = StdConnector::default()
        .connect(&configuration.host, configuration.port)
        .await
        .map_err(|error| Error::Connect(error.to_string()))?;
    Client::connect(stream, configuration).await
}

/// Connects with `configuration`, panicking on failure.
pub fn client_with(configuration: &Configuration) -> Client<StdStream> {
    block_on(connect(configuration)).expect("connects")
}

/// The pool type of these tests.
pub type TestPool = Pool<StdConnector, StdClock, TestRandom>;

/// A pool with `options`.
pub fn pool(configuration: Configuration, options: PoolOptions) -> TestPool {
    let connector = StdConnector {
        connect_timeout: std::time::Duration::from_millis(500),
    };
    Pool::new(
        configuration,
        options,
        connector,
        StdClock::default(),
        TestRandom(0xfeed),
    )
}
