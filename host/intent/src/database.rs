//! `[[database]]`: a database the app's handlers use through a pooled client, its connection
//! URL read from the run-time environment (never compiled into the image).

use serde::Serialize;

use crate::Milliseconds;

/// Which server a database is, and so which client component the image gets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DatabaseKind {
    /// PostgreSQL (`postgres://`): the `postgres-client` component.
    Postgres,
    /// Redis (`redis://`): the `redis-client` component.
    Redis,
    /// MySQL or MariaDB (`mysql://`): the `mysql-client` component.
    Mysql,
}

impl DatabaseKind {
    /// Every kind, in documentation order.
    pub const ALL: [DatabaseKind; 3] = [
        DatabaseKind::Postgres,
        DatabaseKind::Redis,
        DatabaseKind::Mysql,
    ];

    /// Reads `kind = "postgres"`.
    pub fn from_text(text: &str) -> Option<DatabaseKind> {
        DatabaseKind::ALL
            .into_iter()
            .find(|kind| kind.as_str() == text)
    }

    /// The name as written.
    pub const fn as_str(self) -> &'static str {
        match self {
            DatabaseKind::Postgres => "postgres",
            DatabaseKind::Redis => "redis",
            DatabaseKind::Mysql => "mysql",
        }
    }

    /// The catalog component that is the client.
    pub const fn component(self) -> &'static str {
        match self {
            DatabaseKind::Postgres => "postgres-client",
            DatabaseKind::Redis => "redis-client",
            DatabaseKind::Mysql => "mysql-client",
        }
    }

    /// The client's crate, which the app's Cargo.toml names (sauce supplies it).
    pub const fn crate_name(self) -> &'static str {
        match self {
            DatabaseKind::Postgres => "sauce-postgres",
            DatabaseKind::Redis => "sauce-redis",
            DatabaseKind::Mysql => "sauce-mysql",
        }
    }

    /// An example URL of this kind, for hints.
    pub const fn example_url(self) -> &'static str {
        match self {
            DatabaseKind::Postgres => "postgres://USER:PASSWORD@10.0.2.2:5432/DB",
            DatabaseKind::Redis => "redis://:PASSWORD@10.0.2.2:6379/0",
            DatabaseKind::Mysql => "mysql://USER:PASSWORD@10.0.2.2:3306/DB",
        }
    }
}

/// One `[[database]]`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Database {
    /// `name`: how the app reaches its pool (`sauce_postgres::pool("main")`); unique.
    pub name: String,
    /// `kind`: the server.
    pub kind: DatabaseKind,
    /// The environment key of `url = "${KEY}"`: the guest reads the URL from it at boot.
    pub url_env: String,
    /// `pool`: the most connections open at once; `None` keeps the client's default.
    pub pool: Option<u16>,
    /// `timeout`: one operation's deadline (waiting for a connection, connecting, the query);
    /// `None` keeps the client's default.
    pub timeout: Option<Milliseconds>,
    /// `backoff_max`: the longest pause between connection attempts while the server is down;
    /// `None` keeps the client's default.
    pub backoff_max: Option<Milliseconds>,
}

impl Database {
    /// `url` as sauce.toml writes it: `${DATABASE_URL}`.
    pub fn url_as_written(&self) -> String {
        format!("${{{}}}", self.url_env)
    }
}

/// The environment key of a `url` value written `${KEY}`, if it is one.
pub fn environment_reference(text: &str) -> Option<&str> {
    text.strip_prefix("${")?
        .strip_suffix('}')
        .filter(|key| crate::app_code::is_env_key(key))
}

/// `url` with its password (and anything between `:` and `@` in the authority) shown as
/// `***`, for logs and `sauce plan`: `postgres://app:***@10.0.2.2:5432/notes`. A text that is
/// not `scheme://…` is masked whole unless it has no `@`.
pub fn masked_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return if url.contains('@') {
            "***".to_owned()
        } else {
            url.to_owned()
        };
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, path) = rest.split_at(authority_end);
    match authority.rsplit_once('@') {
        Some((user_information, host)) => {
            let user = match user_information.split_once(':') {
                Some((user, _)) => format!("{user}:***"),
                None => user_information.to_owned(),
            };
            format!("{scheme}://{user}@{host}{path}")
        }
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_read_and_name_their_clients() {
        for kind in DatabaseKind::ALL {
            assert_eq!(DatabaseKind::from_text(kind.as_str()), Some(kind));
            assert!(kind.component().ends_with("-client"));
            assert!(kind.example_url().starts_with(kind.as_str()));
        }
        assert_eq!(DatabaseKind::from_text("postgresql"), None);
    }

    #[test]
    fn only_a_braced_environment_key_is_a_reference() {
        assert_eq!(
            environment_reference("${DATABASE_URL}"),
            Some("DATABASE_URL")
        );
        for text in [
            "$DATABASE_URL",
            "${database_url}",
            "${}",
            "postgres://x",
            "${A}b",
        ] {
            assert_eq!(environment_reference(text), None, "{text}");
        }
    }

    #[test]
    fn passwords_are_masked() {
        assert_eq!(
            masked_url("postgres://app:s3cr@t@10.0.2.2:5432/notes?sslmode=disable"),
            "postgres://app:***@10.0.2.2:5432/notes?sslmode=disable"
        );
        assert_eq!(
            masked_url("redis://:pw@cache:6379/2"),
            "redis://:***@cache:6379/2"
        );
        assert_eq!(masked_url("mysql://root@db/shop"), "mysql://root@db/shop");
        assert_eq!(masked_url("redis://cache:6379"), "redis://cache:6379");
        assert_eq!(masked_url("user:password@host"), "***");
        assert_eq!(masked_url("host"), "host");
    }
}
