//! Where and how to connect: parsed from `postgres://USER:PASSWORD@HOST:PORT/DB?options`,
//! displayed with the password masked, and the limits that bound memory per connection.
use alloc::string::String;

use sauce_connect::url::{self, UrlError};

/// How to reach and log into one database.
#[derive(Clone, PartialEq, Eq)]
pub struct Configuration {
    /// Host name or address.
    pub host: String,
    /// TCP port (5432 by default).
    pub port: u16,
    /// The role to log in as.
    pub user: String,
    /// Its password, if the server asks for one.
    pub password: Option<String>,
    /// The database (the user's name by default).
    pub database: String,
    /// `application_name`, shown in `pg_stat_activity`.
    pub application_name: Option<String>,
    /// Bounds on what the server may make this client hold.
    pub limits: Limits,
}

/// Bounds on memory and work a server can cause.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// The longest message accepted (one row is one message).
    pub max_message_bytes: usize,
    /// The most row data one query may return.
    pub max_result_bytes: usize,
    /// The most PBKDF2 iterations SCRAM may ask for.
    pub max_scram_iterations: u32,
}

impl Limits {
    /// 1 MiB messages, 16 MiB results, 100,000 SCRAM iterations.
    pub const DEFAULT: Limits = Limits {
        max_message_bytes: 1 << 20,
        max_result_bytes: 16 << 20,
        max_scram_iterations: 100_000,
    };
}

impl Default for Limits {
    fn default() -> Self {
        Limits::DEFAULT
    }
}

/// Why a URL is not a usable configuration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConfigurationError {
    /// the URL must start with `postgres://` or `postgresql://` (`redis://` for Redis)
    Scheme,
    /// the URL has no host, or a malformed one (one host only; IPv6 in brackets)
    Host,
    /// `{0}` is not a port number
    Port(String),
    /// a `%` escape is not followed by two hexadecimal digits
    PercentEncoding,
    /// a decoded value is not UTF-8
    NotUtf8,
    /// a decoded value contains a NUL byte
    Nul,
    /// the URL names no user
    User,
    /// `{0}` is not an option this client knows
    UnknownOption(String),
    /// `sslmode={0}` needs TLS, which this client does not have
    Tls(String),
    /// option `{0}` has a value this client does not accept
    OptionValue(String),
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
            ConfigurationError::Scheme => formatter.write_str(
                "the URL must start with `postgres://` or `postgresql://` (`redis://` for Redis)",
            ),
            ConfigurationError::Host => formatter.write_str(
                "the URL has no host, or a malformed one (one host only; IPv6 in brackets)",
            ),
            ConfigurationError::Port(text) => write!(formatter, "`{text}` is not a port number"),
            ConfigurationError::PercentEncoding => {
                formatter.write_str("a `%` escape is not followed by two hexadecimal digits")
            }
            ConfigurationError::NotUtf8 => formatter.write_str("a decoded value is not UTF-8"),
            ConfigurationError::Nul => formatter.write_str("a decoded value contains a NUL byte"),
            ConfigurationError::User => formatter.write_str("the URL names no user"),
            ConfigurationError::UnknownOption(name) => {
                write!(formatter, "`{name}` is not an option this client knows")
            }
            ConfigurationError::Tls(mode) => write!(
                formatter,
                "`sslmode={mode}` needs TLS, which this client does not have"
            ),
            ConfigurationError::OptionValue(name) => write!(
                formatter,
                "option `{name}` has a value this client does not accept"
            ),
        }
    }
}

impl Configuration {
    /// Parses `postgres://USER[:PASSWORD]@HOST[:PORT][/DATABASE][?OPTIONS]`. User, password and
    /// database are percent-decoded. Options: `application_name=…`, `sslmode=disable|allow|prefer`
    /// (there is no TLS, so stricter modes are refused rather than silently ignored).
    pub fn parse(text: &str) -> Result<Configuration, ConfigurationError> {
        let parts = url::split(text, &["postgres", "postgresql"])?;
        let user = url::percent_decode(parts.user.unwrap_or_default())?;
        if user.is_empty() {
            return Err(ConfigurationError::User);
        }
        let password = parts.password.map(url::percent_decode).transpose()?;
        let database = match url::percent_decode(parts.path)? {
            database if database.is_empty() => user.clone(),
            database => database,
        };
        let mut configuration = Configuration {
            host: url::percent_decode(parts.host)?,
            port: url::port(parts.port, 5432)?,
            user,
            password,
            database,
            application_name: None,
            limits: Limits::DEFAULT,
        };
        for pair in url::query_pairs(parts.query) {
            let (name, value) = pair?;
            match name.as_str() {
                "application_name" => configuration.application_name = Some(value),
                "sslmode" => match value.as_str() {
                    "disable" | "allow" | "prefer" => {}
                    "require" | "verify-ca" | "verify-full" => {
                        return Err(ConfigurationError::Tls(value))
                    }
                    _ => return Err(ConfigurationError::OptionValue(name)),
                },
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

/// The URL form with the password replaced by `***` (user, host and database as given).
impl core::fmt::Display for Configuration {
    fn fmt(&self, formatter: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(formatter, "postgres://{}", self.user)?;
        if self.password.is_some() {
            formatter.write_str(":***")?;
        }
        if self.host.contains(':') {
            write!(
                formatter,
                "@[{}]:{}/{}",
                self.host, self.port, self.database
            )
        } else {
            write!(formatter, "@{}:{}/{}", self.host, self.port, self.database)
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
    fn a_full_url_is_decoded_and_displayed_masked() {
        let configuration =
            Configuration::parse("postgres://app%20user:p%40ss%3Aw%2Fd@db:6000/my%2Ddb?application_name=notes&sslmode=disable")
                .unwrap();
        assert_eq!(configuration.user, "app user");
        assert_eq!(configuration.password.as_deref(), Some("p@ss:w/d"));
        assert_eq!(configuration.host, "db");
        assert_eq!(configuration.port, 6000);
        assert_eq!(configuration.database, "my-db");
        assert_eq!(configuration.application_name.as_deref(), Some("notes"));
        let shown = format!("{configuration} {configuration:?}");
        assert!(!shown.contains("p@ss"), "{shown}");
        assert_eq!(
            format!("{configuration}"),
            "postgres://app user:***@db:6000/my-db"
        );
    }

    #[test]
    fn defaults_fill_the_port_and_database() {
        let configuration = Configuration::parse("postgresql://me@[::1]").unwrap();
        assert_eq!(
            (configuration.port, configuration.database.as_str()),
            (5432, "me")
        );
        assert_eq!(configuration.password, None);
        assert_eq!(format!("{configuration}"), "postgres://me@[::1]:5432/me");
    }

    #[test]
    fn unusable_urls_say_why() {
        let cases = [
            ("mysql://u@h/d", ConfigurationError::Scheme),
            ("postgres://h/d", ConfigurationError::User),
            (
                "postgres://u@h:99999/d",
                ConfigurationError::Port("99999".into()),
            ),
            (
                "postgres://u@h/d?sslmode=require",
                ConfigurationError::Tls("require".into()),
            ),
            (
                "postgres://u@h/d?sslmode=maybe",
                ConfigurationError::OptionValue("sslmode".into()),
            ),
            (
                "postgres://u@h/d?pool=4",
                ConfigurationError::UnknownOption("pool".into()),
            ),
            ("postgres://u%00@h/d", ConfigurationError::Nul),
        ];
        for (url, expected) in cases {
            assert_eq!(Configuration::parse(url), Err(expected), "{url}");
        }
    }
}
