//! The keys of `[[database]]`.

use super::{patterns, Key, Kind, TableKeys};
/// `timeout` and `backoff_max`.
const DURATION: &str = r"^\s*\d+\s*(ms|s|m)\s*$";

/// `[[database]]`.
pub static DATABASE: TableKeys = TableKeys {
    header: "[[database]]",
    title: "A database",
    description: "A database the app's handlers use through a pooled client (`sauce_postgres::pool(\"main\")`, `sauce_redis::pool`, `sauce_mysql::pool`); the image gets the client and outbound TCP. Its URL is read at boot from the run-time environment, never compiled in.",
    keys: &[
        Key { name: "name", description: "How the app's code names the database's pool: a-z, 0-9, `_` and `-`, starting with a letter, up to 32 characters; unique.", kind: Kind::Text { pattern: Some(patterns::DATABASE_NAME), format: None, examples: &["main"] } },
        Key { name: "kind", description: "The server: `postgres`, `redis`, or `mysql` (MySQL and MariaDB).", kind: Kind::Choice { options: &["postgres", "redis", "mysql"], default: None } },
        Key { name: "url", description: "Where the connection URL comes from: `${KEY}`, a value given at run time with `sauce run --env KEY=postgres://USER:PASSWORD@HOST:PORT/DB` (redis://[USER:PASSWORD@]HOST:PORT[/DB], mysql://USER:PASSWORD@HOST:PORT/DB). A literal URL is refused: its password would be compiled into the image.", kind: Kind::Text { pattern: Some(patterns::DATABASE_URL), format: None, examples: &["${DATABASE_URL}"] } },
        Key { name: "pool", description: "The most connections open at once, from 1 to 64 (default 4); connections are opened on demand.", kind: Kind::Integer { minimum: 1, maximum: 64, default: Some(4) } },
        Key { name: "timeout", description: "One operation's deadline: waiting for a connection, connecting and the query, from 100ms to 10m (default 5s; 2s for redis). Past it the handler gets a timeout error (504).", kind: Kind::Text { pattern: Some(DURATION), format: None, examples: &["5s"] } },
        Key { name: "backoff_max", description: "The longest pause between connection attempts while the server is down (they start at 100ms and double), from 100ms to 10m (default 10s); meanwhile handlers get an unavailable error (503 with Retry-After).", kind: Kind::Text { pattern: Some(DURATION), format: None, examples: &["10s"] } },
    ],
    required: &["name", "kind", "url"],
    exactly_one_of: &[],
};
