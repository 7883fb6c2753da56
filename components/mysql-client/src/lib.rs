//! A MySQL and MariaDB client for SauceOS: sans-IO protocol, async connection, pool.
//!
//! The client is written against `sauce_connect`'s traits, so the same code runs over the
//! kernel's outbound TCP in an image and over `std::net` in host tests. Three layers, each
//! usable alone:
//!
//! 1. [`protocol`]: pure encoders and decoders of the wire format (packets, handshake,
//!    authentication, result sets, prepared statements). No I/O; fuzzed.
//! 2. [`Connection`]: one authenticated session over a stream: text queries, prepared
//!    statements with bound parameters, transactions, ping, `COM_INIT_DB`.
//! 3. [`Pool`]: N connections through a `Connector`, per-query timeouts on a `Clock`,
//!    reconnect with backoff, errors a handler maps to HTTP statuses ([`ErrorKind`]).
//!
//! # Map
//! - [`protocol`]: framing, wire types, handshake, auth plugins, OK/ERR/EOF, column
//!   definitions, text and binary rows, commands; RSA for full `caching_sha2_password`.
//! - [`connection`]: [`Connection`] and [`Statement`].
//! - [`transaction`]: [`Transaction`], and what happens when one is dropped.
//! - [`pool`](mod@pool): [`Pool`], [`PoolOptions`], [`PooledConnection`], [`PooledTransaction`].
//! - [`error`]: [`Error`], [`ErrorKind`], [`Cause`] and the server's [`ServerError`].
//! - [`value`]: [`Value`], dates and times, [`FromValue`] for typed reads.
//! - [`param`]: [`Param`] and the [`params!`] macro for bound parameters.
//! - [`row`]: [`ResultSet`] and [`Row`].
//! - [`sql`]: [`Sql`], statement text that must be a literal unless marked trusted.
//! - [`board`]: the component's contract with the generated board: each `[[database]] kind =
//!   "mysql"` becomes a pool at boot, reached by name with [`pool()`] (`pool("main")`).
//! - [`options`], [`limits`], [`url`], [`random`]: settings, memory bounds, `mysql://` URLs,
//!   the caller's random source.
//!
//! # Rules
//! 1. No byte sequence from a server makes the client panic, loop, or allocate beyond
//!    [`Limits`]: decoders index through checked accessors; property tests and fuzz targets
//!    hold them to it.
//! 2. Values never become SQL text: parameters are bound with the binary protocol, and query
//!    methods take [`Sql`], which a `format!`-built string does not convert into.
//!    `CLIENT_MULTI_STATEMENTS` and `LOCAL INFILE` are never enabled.
//! 3. A connection whose operation was interrupted or whose protocol state is unknown is
//!    never used again ([`Connection::is_usable`]); a server `ERR` leaves it usable.
//! 4. A transaction is never committed implicitly; dropped, it rolls back.
//! 5. The password leaves the client only scrambled by the auth plugin or RSA-encrypted under
//!    the server's key; a server asking for a clear-text plugin is refused.
//! 6. Nothing here reads a clock or a random source of its own: both come from the caller.
//!
//! # Example
//! ```no_run
//! use sauce_connect::host::{block_on, StdClock, StdConnector};
//! use sauce_mysql::{params, Options, Pool, PoolOptions, Random};
//!
//! struct Entropy; // in an image: RDRAND
//! impl Random for Entropy {
//!     fn fill_bytes(&mut self, bytes: &mut [u8]) { bytes.fill(4) /* not random! */ }
//! }
//!
//! let options = Options::from_url("mysql://app:secret@127.0.0.1:3306/shop").unwrap();
//! let pool = Pool::new(StdConnector::default(), StdClock::default(), Entropy, options, PoolOptions::DEFAULT);
//! block_on(async {
//!     pool.execute("INSERT INTO notes (body) VALUES (?)", params!["it's; DROP TABLE notes"]).await?;
//!     let notes = pool.execute("SELECT id, body FROM notes WHERE id > ?", params![0]).await?;
//!     for row in &notes {
//!         let (id, body): (u64, String) = (row.get("id")?, row.get("body")?);
//!         println!("{id}: {body}");
//!     }
//!     Ok::<(), sauce_mysql::Error>(())
//! }).unwrap();
//! ```
#![cfg_attr(not(test), no_std)]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

extern crate alloc;

pub mod board;
pub mod connection;
pub mod error;
pub mod limits;
pub mod options;
pub mod param;
pub mod pool;
pub mod protocol;
pub mod random;
pub mod row;
pub mod sql;
pub mod transaction;
pub mod url;
pub mod value;

pub use board::pool;
pub use connection::{Connection, Statement};
pub use error::{AuthenticationError, Cause, Error, ErrorKind, UsageError};
pub use limits::Limits;
pub use options::Options;
pub use param::Param;
pub use pool::{Pool, PoolOptions, PoolStatus, PooledConnection, PooledTransaction};
pub use protocol::auth::AuthPlugin;
pub use protocol::column::{Column, ColumnType};
pub use protocol::response::ServerError;
pub use random::Random;
pub use row::{ColumnIndex, ResultSet, Row};
pub use sql::Sql;
pub use transaction::Transaction;
pub use url::DatabaseUrl;
pub use value::{ConversionError, Date, DateTime, FromValue, Time, Value};
