//! The cases, grouped by what they cover.
mod authentication;
mod benchmark;
mod errors;
mod faults;
mod pool;
mod transactions;
mod types;

use sauce_connect::host::{block_on, StdClock, StdConnector, StdStream};
use sauce_connect::Connector;
use sauce_postgres::{Client, Configuration, Error, Pool, PoolOptions};

use crate::support::harness::Case;
use crate::support::TestRandom;
use crate::Context;

/// Every case, in order.
pub fn all() -> Vec<Case<Context>> {
    let mut cases = Vec::new();
    cases.extend(authentication::cases());
    cases.extend(types::cases());
    cases.extend(transactions::cases());
    cases.extend(errors::cases());
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
    Client::connect(stream, configuration, &mut TestRandom(0x5eed)).await
}

/// Connects the SCRAM user to the test database, panicking on failure.
pub fn client(context: &Context) -> Client<StdStream> {
    block_on(connect(&crate::support::configuration(&context.server))).expect("connects")
}

/// The pool type of these tests.
pub type TestPool = Pool<StdConnector, StdClock, TestRandom>;

/// A pool of the SCRAM user with `options`.
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
