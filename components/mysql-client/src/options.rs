//! [`Options`]: where to connect, as whom, and how the session behaves.
use alloc::string::String;
use core::fmt;

use crate::error::Error;
use crate::limits::Limits;
use crate::protocol::auth::AuthPlugin;
use crate::url::DatabaseUrl;

/// Settings of one connection. `Debug` masks the password.
#[derive(Clone)]
pub struct Options {
    /// Host name or address.
    pub host: String,
    /// TCP port.
    pub port: u16,
    /// User name.
    pub user: String,
    /// Password (empty for none).
    pub password: String,
    /// The default database, if any.
    pub database: Option<String>,
    /// Bounds on replies.
    pub limits: Limits,
    /// How many prepared statements [`Connection::execute`](crate::Connection::execute)
    /// keeps per connection (least recently used ones are closed); 0 prepares every time.
    pub statement_cache: usize,
    /// The plugin for the first authentication response, like `mysql --default-auth`; `None`
    /// uses the server's default when this client implements it (the server switches
    /// plugins with an auth-switch request when the account uses another one).
    pub auth_plugin: Option<AuthPlugin>,
    /// The server's RSA public key (PEM) for full `caching_sha2_password` authentication.
    /// Pinning it protects the password from a server impersonator; without it the key is
    /// requested from the server when [`allow_public_key_retrieval`](Self::allow_public_key_retrieval).
    pub server_public_key: Option<String>,
    /// Whether to ask the server for its public key when full authentication needs it and
    /// none is pinned. On by default, because this client has no TLS: without it an account
    /// using `caching_sha2_password` could log in only while the server's cache holds it.
    pub allow_public_key_retrieval: bool,
}

impl Options {
    /// Settings for `user` with `password` at `host:port`, everything else default.
    pub fn new(host: &str, port: u16, user: &str, password: &str) -> Options {
        Options {
            host: String::from(host),
            port,
            user: String::from(user),
            password: String::from(password),
            database: None,
            limits: Limits::DEFAULT,
            statement_cache: 32,
            auth_plugin: None,
            server_public_key: None,
            allow_public_key_retrieval: true,
        }
    }

    /// Settings from a `mysql://USER:PASSWORD@HOST:PORT/DB` URL.
    pub fn from_url(url: &str) -> Result<Options, Error> {
        DatabaseUrl::parse(url).map(Options::from)
    }

    /// The same settings with `database` as the default database.
    pub fn with_database(mut self, database: &str) -> Options {
        self.database = Some(String::from(database));
        self
    }
}

impl From<DatabaseUrl> for Options {
    fn from(url: DatabaseUrl) -> Options {
        let mut options = Options::new(&url.host, url.port, &url.user, &url.password);
        options.database = url.database;
        options
    }
}

impl fmt::Debug for Options {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("Options")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("user", &self.user)
            .field(
                "password",
                &if self.password.is_empty() { "" } else { "***" },
            )
            .field("database", &self.database)
            .field("limits", &self.limits)
            .field("statement_cache", &self.statement_cache)
            .field("auth_plugin", &self.auth_plugin)
            .field("server_public_key", &self.server_public_key.is_some())
            .field(
                "allow_public_key_retrieval",
                &self.allow_public_key_retrieval,
            )
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::format;

    #[test]
    fn a_url_fills_the_options_and_debug_hides_the_password() {
        let options = Options::from_url("mysql://app:hunter2@db:3307/shop").unwrap();
        assert_eq!(options.host, "db");
        assert_eq!(options.port, 3307);
        assert_eq!(options.database.as_deref(), Some("shop"));
        assert_eq!(options.password, "hunter2");
        let printed = format!("{options:?}");
        assert!(!printed.contains("hunter2"));
        assert!(printed.contains("\"***\""));
        assert_eq!(
            Options::new("h", 1, "u", "")
                .with_database("d")
                .database
                .as_deref(),
            Some("d")
        );
    }
}
