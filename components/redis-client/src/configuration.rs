//! Where and how to connect: parsed from `redis://[USER:PASSWORD@]HOST[:PORT][/DB]`, displayed
//! with the password masked.
use alloc::string::String;

use crate::resp::Limits;
use sauce_connect::url::{self, UrlError};

/// Which protocol version a connection speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Protocol {
    /// RESP2 (every Redis); authentication with `AUTH`.
    Resp2,
    /// RESP3 through `HELLO 3` (Redis 6 and later), falling back to RESP2 when the server
    /// does not know `HELLO`.
    Resp3,
}

/// How to reach and log into one Redis server.
#[derive(Clone, PartialEq, Eq)]
pub struct Configuration {
    /// Host name or address.
    pub host: String,
    /// TCP port (6379 by default).
    pub port: u16,
    /// The ACL user (`None`: the `default` user).
    pub user: Option<String>,
    /// The password, if the server requires one.
    pub password: Option<String>,
    /// The logical database `SELECT`ed after connecting (0 by default).
    pub database: u32,
    /// RESP3 by default.
    pub protocol: Protocol,
    /// Bounds on what one reply may make the client hold.
    pub limits: Limits,
}

/// Why a URL is not a usable configuration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConfigurationError {
    /// the URL must start with `redis://`
    Scheme,
    /// the URL has no host, or a malformed one (IPv6 in brackets)
    Host,
    /// `{0}` is not a port number
    Port(String),
    /// a `%` escape is not followed by two hexadecimal digits
    PercentEncoding,
    /// a decoded value is not UTF-8
    NotUtf8,
    /// a decoded value contains a NUL byte
    Nul,
    /// `{0}` is not a database number
    Database(String),
    /// `{0}` is not an option this client knows
    UnknownOption(String),
    /// option `{0}` has a value this client does not accept
    OptionValue(String),
    /// `rediss://` needs TLS, which this client does not have
    Tls,
}

/// The shared URL reader's errors, as this client's.
impl From<UrlError> for ConfigurationError {
    fn from(error: UrlError) -> ConfigurationError {
        match error {
            UrlError::Scheme => ConfigurationError::Scheme,
            UrlError::Host => ConfigurationError::Host,
            UrlError::Port(text) => ConfigurationError::Port(text),
            UrlError::PercentEncoding => ConfigurationError::PercentEncoding,
            UrlError::NotUtf8 => ConfigurationError::NotUtf8,
            UrlError::Nul => ConfigurationError::Nul,
        }
    }
}

impl core::fmt::Display for ConfigurationError {
    fn fmt(&self, formatter: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            ConfigurationError::Scheme => formatter.write_str("the URL must start with `redis://`"),
            ConfigurationError::Host => {
                formatter.write_str("the URL has no host, or a malformed one (IPv6 in brackets)")
            }
            ConfigurationError::Port(text) => write!(formatter, "`{text}` is not a port number"),
            ConfigurationError::PercentEncoding => {
                formatter.write_str("a `%` escape is not followed by two hexadecimal digits")
            }
            ConfigurationError::NotUtf8 => formatter.write_str("a decoded value is not UTF-8"),
            ConfigurationError::Nul => formatter.write_str("a decoded value contains a NUL byte"),
            ConfigurationError::Database(text) => {
                write!(formatter, "`{text}` is not a database number")
            }
            ConfigurationError::UnknownOption(name) => {
                write!(formatter, "`{name}` is not an option this client knows")
            }
            ConfigurationError::OptionValue(name) => write!(
                formatter,
                "option `{name}` has a value this client does not accept"
            ),
            ConfigurationError::Tls => {
                formatter.write_str("`rediss://` needs TLS, which this client does not have")
            }
        }
    }
}

impl Configuration {
    /// Parses `redis://[[USER]:PASSWORD@]HOST[:PORT][/DB][?protocol=2|3]`; user and password
    /// are percent-decoded (`redis://:secret@host` has a password and no user).
    pub fn parse(text: &str) -> Result<Configuration, ConfigurationError> {
        if text.starts_with("rediss://") {
            return Err(ConfigurationError::Tls);
        }
        let parts = url::split(text, &["redis"])?;
        let user = parts
            .user
            .map(url::percent_decode)
            .transpose()?
            .filter(|user| !user.is_empty());
        let password = parts.password.map(url::percent_decode).transpose()?;
        let path = parts.path.trim_end_matches('/');
        let database = if path.is_empty() {
            0
        } else {
            path.parse()
                .map_err(|_| ConfigurationError::Database(String::from(path)))?
        };
        let mut configuration = Configuration {
            host: url::percent_decode(parts.host)?,
            port: url::port(parts.port, 6379)?,
            user,
            password,
            database,
            protocol: Protocol::Resp3,
            limits: Limits::DEFAULT,
        };
        for pair in url::query_pairs(parts.query) {
            let (name, value) = pair?;
            match (name.as_str(), value.as_str()) {
                ("protocol", "2" | "resp2") => configuration.protocol = Protocol::Resp2,
                ("protocol", "3" | "resp3") => configuration.protocol = Protocol::Resp3,
                ("protocol", _) => return Err(ConfigurationError::OptionValue(name)),
                _ => return Err(ConfigurationError::UnknownOption(name)),
            }
        }
        Ok(configuration)
    }
}

impl core::str::FromStr for Configuration {
    type Err = ConfigurationError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Configuration::parse(text)
    }
}

/// The URL form with the password replaced by `***`.
impl core::fmt::Display for Configuration {
    fn fmt(&self, formatter: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        formatter.write_str("redis://")?;
        match (&self.user, &self.password) {
            (Some(user), Some(_)) => write!(formatter, "{user}:***@")?,
            (Some(user), None) => write!(formatter, "{user}@")?,
            (None, Some(_)) => formatter.write_str(":***@")?,
            (None, None) => {}
        }
        if self.host.contains(':') {
            write!(formatter, "[{}]:{}/{}", self.host, self.port, self.database)
        } else {
            write!(formatter, "{}:{}/{}", self.host, self.port, self.database)
        }
    }
}

/// Same as `Display`: a configuration never prints its password.
impl core::fmt::Debug for Configuration {
    fn fmt(&self, formatter: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(formatter, "Configuration({self})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::format;

    #[test]
    fn urls_with_and_without_users_parse_and_display_masked() {
        let configuration = Configuration::parse("redis://app:s%3Acret%40@cache:7000/3").unwrap();
        assert_eq!(configuration.user.as_deref(), Some("app"));
        assert_eq!(configuration.password.as_deref(), Some("s:cret@"));
        assert_eq!(
            (
                configuration.host.as_str(),
                configuration.port,
                configuration.database
            ),
            ("cache", 7000, 3)
        );
        assert_eq!(format!("{configuration}"), "redis://app:***@cache:7000/3");
        assert!(!format!("{configuration:?}").contains("cret"));

        let configuration = Configuration::parse("redis://:secret@localhost").unwrap();
        assert_eq!(
            (
                configuration.user.as_deref(),
                configuration.password.as_deref()
            ),
            (None, Some("secret"))
        );
        assert_eq!(format!("{configuration}"), "redis://:***@localhost:6379/0");

        let configuration = Configuration::parse("redis://localhost/?protocol=2").unwrap();
        assert_eq!(configuration.protocol, Protocol::Resp2);
        assert_eq!(configuration.password, None);
    }

    #[test]
    fn unusable_urls_say_why() {
        let cases = [
            ("http://h", ConfigurationError::Scheme),
            ("rediss://h", ConfigurationError::Tls),
            ("redis://h/x", ConfigurationError::Database("x".into())),
            ("redis://h:0", ConfigurationError::Port("0".into())),
            (
                "redis://h?protocol=4",
                ConfigurationError::OptionValue("protocol".into()),
            ),
            (
                "redis://h?timeout=1",
                ConfigurationError::UnknownOption("timeout".into()),
            ),
            ("redis://:%zz@h", ConfigurationError::PercentEncoding),
        ];
        for (url, expected) in cases {
            assert_eq!(Configuration::parse(url), Err(expected), "{url}");
        }
    }
}
