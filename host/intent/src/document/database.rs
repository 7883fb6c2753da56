//! `[[database]]`: each database's name, kind, URL reference, pool and timeouts; names unique.

use std::ops::Range;

use toml::de::{DeTable, DeValue};
use toml::Spanned;

use super::{described, Checker};
use crate::database::{environment_reference, Database, DatabaseKind};
use crate::limits::parse_duration;
use crate::{keys, Milliseconds};

/// The durations `timeout` and `backoff_max` accept.
const DURATIONS: (Milliseconds, Milliseconds) = (Milliseconds(100), Milliseconds(600_000));

const EXAMPLE: &str =
    "[[database]]\n    name = \"main\"\n    kind = \"postgres\"\n    url = \"${DATABASE_URL}\"";

impl Checker<'_> {
    /// Every `[[database]]`, in order; names checked across them.
    pub(super) fn databases(&mut self, list: &Spanned<DeValue<'_>>) -> Vec<Database> {
        let array = match list.get_ref() {
            DeValue::Array(array) => array,
            DeValue::Table(_) => {
                self.error(
                    list.span(),
                    "`[database]` declares a single table, but databases are a list",
                    "write `[[database]]`, with two brackets",
                );
                return Vec::new();
            }
            other => {
                let message = format!(
                    "`database` must be a list of tables, not {}",
                    described(other)
                );
                self.error(list.span(), message, format!("write:\n    {EXAMPLE}"));
                return Vec::new();
            }
        };
        let mut names: Vec<(String, Range<usize>)> = Vec::with_capacity(array.len());
        let mut databases = Vec::with_capacity(array.len());
        for item in array.iter() {
            let (database, name) = self.database(item);
            let Some((name, span)) = name else {
                continue;
            };
            if let Some((_, first)) = names.iter().find(|(earlier, _)| *earlier == name) {
                let message = format!(
                    "database `{name}` is declared twice (first on line {})",
                    self.line_of(first)
                );
                self.error(span, message, "give each `[[database]]` its own `name`");
                continue;
            }
            names.push((name, span));
            databases.extend(database);
        }
        databases
    }

    /// One `[[database]]` if it is valid, and its name with the name's span if that is.
    fn database(
        &mut self,
        item: &Spanned<DeValue<'_>>,
    ) -> (Option<Database>, Option<(String, Range<usize>)>) {
        let DeValue::Table(table) = item.get_ref() else {
            let message = format!(
                "a `[[database]]` entry must be a table, not {}",
                described(item.get_ref())
            );
            self.error(item.span(), message, format!("write:\n    {EXAMPLE}"));
            return (None, None);
        };
        self.reject_unknown_keys(table, &keys::DATABASE);
        let name = self.database_name(item.span(), table);
        let kind = match table.get("kind") {
            Some(value) => self.choice(
                value,
                "database.kind",
                &["postgres", "redis", "mysql"],
                DatabaseKind::from_text,
            ),
            None => {
                self.error(
                    item.span(),
                    "`[[database]]` does not say which `kind` of server it is",
                    "add `kind = \"postgres\"`, `\"redis\"` or `\"mysql\"`",
                );
                None
            }
        };
        let url_env = self.database_url(item.span(), table, kind);
        let pool = table.get("pool").map(|value| {
            self.integer_in(value, "database.pool", (1, 64), 4)
                .and_then(|size| u16::try_from(size).ok())
        });
        let timeout = table
            .get("timeout")
            .map(|value| self.database_duration(value, "timeout", "5s"));
        let backoff_max = table
            .get("backoff_max")
            .map(|value| self.database_duration(value, "backoff_max", "10s"));
        let database = (|| {
            Some(Database {
                name: name.as_ref()?.0.clone(),
                kind: kind?,
                url_env: url_env?,
                pool: valid_if_present(pool)?,
                timeout: valid_if_present(timeout)?,
                backoff_max: valid_if_present(backoff_max)?,
            })
        })();
        (database, name)
    }

    fn database_name(
        &mut self,
        entry: Range<usize>,
        table: &DeTable<'_>,
    ) -> Option<(String, Range<usize>)> {
        let Some(value) = table.get("name") else {
            self.error(
                entry,
                "`[[database]]` has no `name`",
                "add one, such as `name = \"main\"`: the app reaches the pool by it",
            );
            return None;
        };
        let text = self.string(value, "database.name")?;
        let valid = text.len() <= 32
            && text.starts_with(|first: char| first.is_ascii_lowercase())
            && text.chars().all(|character| {
                character.is_ascii_lowercase()
                    || character.is_ascii_digit()
                    || character == '_'
                    || character == '-'
            });
        if !valid {
            let message = format!("`{text}` is not a valid database name");
            self.error(
                value.span(),
                message,
                "use a-z, 0-9, `_` and `-`, starting with a letter, up to 32 characters: `name = \"main\"`",
            );
            return None;
        }
        Some((text.to_owned(), value.span()))
    }

    /// The environment key of `url = "${KEY}"`.
    fn database_url(
        &mut self,
        entry: Range<usize>,
        table: &DeTable<'_>,
        kind: Option<DatabaseKind>,
    ) -> Option<String> {
        let example = kind.unwrap_or(DatabaseKind::Postgres).example_url();
        let run_hint = format!(
            "write `url = \"${{DATABASE_URL}}\"` and give the URL when the image runs: `sauce run --env DATABASE_URL={example}`"
        );
        let Some(value) = table.get("url") else {
            self.error(entry, "`[[database]]` has no `url`", run_hint);
            return None;
        };
        let text = self.string_or_hint(value, "database.url", &run_hint)?;
        if let Some(key) = environment_reference(text) {
            return Some(key.to_owned());
        }
        let (message, hint) = if text.contains("://") || text.contains('@') {
            (
                "`database.url` is a literal URL: its password would be compiled into the image"
                    .to_owned(),
                run_hint,
            )
        } else if let Some(inner) = text
            .strip_prefix("${")
            .and_then(|rest| rest.strip_suffix('}'))
        {
            (
                format!("`{inner}` is not an environment key"),
                format!(
                    "use A-Z, 0-9 and `_`, not starting with a digit: `url = \"${{{}}}\"`",
                    inner.to_ascii_uppercase().replace(['-', '.', ' '], "_")
                ),
            )
        } else if let Some(key) = text
            .strip_prefix('$')
            .filter(|key| crate::app_code::is_env_key(key))
        {
            (
                format!("`{text}` needs braces: the URL is `${{{key}}}`"),
                format!("write `url = \"${{{key}}}\"`"),
            )
        } else {
            (
                format!("`{text}` is not a reference to a run-time value"),
                run_hint,
            )
        };
        self.error(value.span(), message, hint);
        None
    }

    /// `timeout` or `backoff_max` as a duration within [`DURATIONS`].
    fn database_duration(
        &mut self,
        value: &Spanned<DeValue<'_>>,
        key: &str,
        example: &str,
    ) -> Option<Milliseconds> {
        let hint = format!(
            "write a duration with its unit, such as `{key} = \"{example}\"` (units: ms, s, m)"
        );
        let text = self.string_or_hint(value, &format!("database.{key}"), &hint)?;
        let Some(duration) = parse_duration(text) else {
            let message =
                format!("`{text}` is not a duration: `database.{key}` is a number and ms, s or m");
            self.error(value.span(), message, hint);
            return None;
        };
        let (shortest, longest) = DURATIONS;
        if !(shortest..=longest).contains(&duration) {
            let message =
                format!("`database.{key}` must be from {shortest} to {longest}, not {text}");
            self.error(
                value.span(),
                message,
                format!("for example `{key} = \"{example}\"`"),
            );
            return None;
        }
        Some(duration)
    }
}

/// An optional key's value: `Some(None)` when absent, `None` when present but invalid.
fn valid_if_present<T>(value: Option<Option<T>>) -> Option<Option<T>> {
    match value {
        None => Some(None),
        Some(value) => value.map(Some),
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::database::DatabaseKind;
    use crate::Milliseconds;

    const APP: &str = "[app]\nname = \"shop\"\n\n";

    fn problems(databases: &str) -> Vec<String> {
        crate::parse(Path::new("/p/sauce.toml"), &format!("{APP}{databases}"))
            .expect_err("invalid")
            .into_iter()
            .map(|problem| {
                format!(
                    "{}:{}: {} | {}",
                    problem.line,
                    problem.column,
                    problem.message,
                    problem.hint.unwrap_or_default()
                )
            })
            .collect()
    }

    #[test]
    fn reads_every_key_and_keeps_the_order() {
        let source = format!(
            "{APP}[[database]]\nname = \"main\"\nkind = \"postgres\"\nurl = \"${{DATABASE_URL}}\"\npool = 8\ntimeout = \"2s\"\nbackoff_max = \"30s\"\n\n\
             [[database]]\nname = \"cache\"\nkind = \"redis\"\nurl = \"${{REDIS_URL}}\"\n"
        );
        let intent = crate::parse(Path::new("/p/sauce.toml"), &source).unwrap();
        let [main, cache] = intent.databases.as_slice() else {
            panic!("{:?}", intent.databases)
        };
        assert_eq!(
            (main.name.as_str(), main.kind, main.url_env.as_str()),
            ("main", DatabaseKind::Postgres, "DATABASE_URL")
        );
        assert_eq!(
            (main.pool, main.timeout, main.backoff_max),
            (
                Some(8),
                Some(Milliseconds(2_000)),
                Some(Milliseconds(30_000))
            )
        );
        assert_eq!(main.url_as_written(), "${DATABASE_URL}");
        assert_eq!(
            (cache.kind, cache.pool, cache.timeout),
            (DatabaseKind::Redis, None, None)
        );
        assert!(intent.uses_network(), "a database needs the network");
        assert_eq!(intent.line_of("database.1.name"), Some(13));
    }

    #[test]
    fn a_literal_url_is_refused_with_the_run_time_way() {
        let found = problems(
            "[[database]]\nname = \"main\"\nkind = \"mysql\"\nurl = \"mysql://app:secret@db/shop\"\n",
        );
        assert_eq!(found, ["7:7: `database.url` is a literal URL: its password would be compiled into the image | write `url = \"${DATABASE_URL}\"` and give the URL when the image runs: `sauce run --env DATABASE_URL=mysql://USER:PASSWORD@10.0.2.2:3306/DB`"]);
    }

    #[test]
    fn references_need_braces_and_an_environment_key() {
        let found = problems(
            "[[database]]\nname = \"a\"\nkind = \"redis\"\nurl = \"$REDIS_URL\"\n\n[[database]]\nname = \"b\"\nkind = \"redis\"\nurl = \"${redis-url}\"\n",
        );
        assert_eq!(
            found,
            [
                "7:7: `$REDIS_URL` needs braces: the URL is `${REDIS_URL}` | write `url = \"${REDIS_URL}\"`",
                "12:7: `redis-url` is not an environment key | use A-Z, 0-9 and `_`, not starting with a digit: `url = \"${REDIS_URL}\"`",
            ]
        );
    }

    #[test]
    fn every_key_is_checked_in_one_pass() {
        let found = problems(
            "[[database]]\nname = \"Main\"\nkind = \"postgresql\"\nurl = \"${DATABASE_URL}\"\npool = 0\ntimeout = \"10\"\nbackof_max = \"1s\"\n",
        );
        assert_eq!(
            found,
            [
                "5:8: `Main` is not a valid database name | use a-z, 0-9, `_` and `-`, starting with a letter, up to 32 characters: `name = \"main\"`",
                "6:8: `postgresql` is not a valid `database.kind`; it is one of `\"postgres\"` or `\"redis\"` or `\"mysql\"` | did you mean `\"postgres\"`?",
                "8:8: `database.pool` must be from 1 to 64, not 0 | for example `pool = 4`",
                "9:11: `10` is not a duration: `database.timeout` is a number and ms, s or m | write a duration with its unit, such as `timeout = \"5s\"` (units: ms, s, m)",
                "10:1: unknown key `backof_max` in `[[database]]` | did you mean `backoff_max`?",
            ]
        );
    }

    #[test]
    fn names_are_unique_and_required_keys_present() {
        let found = problems(
            "[[database]]\nname = \"main\"\nkind = \"redis\"\nurl = \"${A}\"\n\n[[database]]\nname = \"main\"\nkind = \"redis\"\nurl = \"${B}\"\n\n[[database]]\nkind = \"redis\"\n",
        );
        assert_eq!(
            found,
            [
                "10:8: database `main` is declared twice (first on line 5) | give each `[[database]]` its own `name`",
                "14:1: `[[database]]` has no `name` | add one, such as `name = \"main\"`: the app reaches the pool by it",
                "14:1: `[[database]]` has no `url` | write `url = \"${DATABASE_URL}\"` and give the URL when the image runs: `sauce run --env DATABASE_URL=redis://:PASSWORD@10.0.2.2:6379/0`",
            ]
        );
    }

    #[test]
    fn a_single_bracket_table_is_not_a_list() {
        let found = problems("[database]\nname = \"main\"\n");
        assert_eq!(
            found,
            ["4:1: `[database]` declares a single table, but databases are a list | write `[[database]]`, with two brackets"]
        );
    }
}
