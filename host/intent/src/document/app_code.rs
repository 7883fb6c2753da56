//! The app crate's keys: `[app] code`, `init`, `allow_unsafe`, `[app.env]`, `[[app.every]]`,
//! and whether the routes need the crate (a `handler`).

use std::ops::Range;

use toml::de::{DeTable, DeValue};
use toml::Spanned;

use super::files::{resolve, Wanted};
use super::{described, Checker};
use crate::app_code::{is_env_key, is_rust_path};
use crate::{keys, AppCode, EnvDefault, Every, Http, RouteResponse};

impl Checker<'_> {
    /// `[app.env]` and `[[app.every]]`.
    pub(super) fn app_runtime(&mut self, table: &DeTable<'_>) -> (Vec<EnvDefault>, Vec<Every>) {
        let env = match table.get("env") {
            Some(value) => self.app_env(value),
            None => Vec::new(),
        };
        let every = match table.get("every") {
            Some(value) => self.app_every(value),
            None => Vec::new(),
        };
        (env, every)
    }

    fn app_env(&mut self, value: &Spanned<DeValue<'_>>) -> Vec<EnvDefault> {
        let Some(table) = value.get_ref().as_table() else {
            let message = format!(
                "`app.env` must be a table, not {}",
                described(value.get_ref())
            );
            self.error(
                value.span(),
                message,
                "write it as an `[app.env]` section of KEY = \"value\" lines",
            );
            return Vec::new();
        };
        let mut defaults = Vec::new();
        for (key, value) in super::in_source_order(table) {
            let name = key.get_ref().as_ref();
            if !is_env_key(name) {
                let message = format!(
                    "`{}` is not an environment key",
                    crate::render::visible(name)
                );
                self.error(
                    key.span(),
                    message,
                    "use A-Z, 0-9 and `_`, starting with a letter or `_`: `DATABASE_URL`",
                );
                continue;
            }
            let hint = format!("write the value as a string: `{name} = \"…\"`");
            if let Some(text) = self.string_or_hint(value, &format!("app.env.{name}"), &hint) {
                defaults.push(EnvDefault {
                    key: name.to_owned(),
                    value: text.to_owned(),
                });
            }
        }
        defaults
    }

    fn app_every(&mut self, value: &Spanned<DeValue<'_>>) -> Vec<Every> {
        let Some(list) = value.get_ref().as_array() else {
            let message = format!(
                "`app.every` must be a list of tables, not {}",
                described(value.get_ref())
            );
            self.error(
                value.span(),
                message,
                "write each task as an `[[app.every]]` section",
            );
            return Vec::new();
        };
        let mut tasks = Vec::new();
        for item in list.iter() {
            let Some(table) = item.get_ref().as_table() else {
                self.error(
                    item.span(),
                    "each `app.every` must be a table",
                    "write each task as an `[[app.every]]` section",
                );
                continue;
            };
            self.reject_unknown_keys(table, &keys::APP_EVERY);
            let seconds = match table.get("seconds") {
                Some(value) => self.integer_in(value, "app.every.seconds", (1, 86_400), 60),
                None => {
                    self.error(
                        item.span(),
                        "this task has no `seconds`",
                        "add `seconds = 60`",
                    );
                    None
                }
            };
            let task = match table.get("task") {
                Some(value) => self.rust_function(value, "app.every.task", "stats::tick"),
                None => {
                    self.error(
                        item.span(),
                        "this task has no `task`",
                        "name the function: `task = \"stats::tick\"`",
                    );
                    None
                }
            };
            if let (Some(seconds), Some(task)) = (seconds, task) {
                tasks.push(Every {
                    seconds: u32::try_from(seconds).unwrap_or(1),
                    task,
                });
            }
        }
        tasks
    }

    /// A Rust function path (`todos::item`) at `value`.
    pub(super) fn rust_function(
        &mut self,
        value: &Spanned<DeValue<'_>>,
        key: &str,
        example: &str,
    ) -> Option<String> {
        let hint = format!("name a function of the app crate: `{example}`");
        let text = self.string_or_hint(value, key, &hint)?;
        if is_rust_path(text) {
            return Some(text.to_owned());
        }
        let message = format!(
            "`{}` is not a Rust function path",
            crate::render::visible(text)
        );
        self.error(value.span(), message, hint);
        None
    }

    /// `[app] code`, `init` and `allow_unsafe`, checked against what needs the crate: the
    /// routes' handlers and `[[app.every]]`.
    pub(super) fn app_code(
        &mut self,
        app_span: Option<Range<usize>>,
        table: Option<&DeTable<'_>>,
        http: Option<&Http>,
        has_every: bool,
    ) -> Option<AppCode> {
        let code = table.and_then(|table| table.get("code"));
        let init = table.and_then(|table| table.get("init"));
        let allow_unsafe = table.and_then(|table| table.get("allow_unsafe"));
        let handler = http.and_then(|http| {
            http.routes
                .iter()
                .find(|route| matches!(route.response, RouteResponse::Handler(_)))
        });
        let needed = code.is_some() || init.is_some() || handler.is_some() || has_every;
        if !needed {
            if let Some(value) = allow_unsafe {
                self.error(
                    value.span(),
                    "`allow_unsafe` is set but there is no app crate",
                    "remove it, or add the app's `code`",
                );
            }
            return None;
        }
        let folder = match code {
            Some(value) => {
                let text = self.string(value, "app.code")?;
                match resolve(self.project_folder, text, Wanted::Folder) {
                    Ok(folder) => Some((folder, value.span())),
                    Err((message, hint)) => {
                        self.error(value.span(), message, hint);
                        return None;
                    }
                }
            }
            None => {
                let folder = self
                    .project_folder
                    .canonicalize()
                    .unwrap_or_else(|_| self.project_folder.to_path_buf());
                Some((folder, app_span.clone().unwrap_or(0..0)))
            }
        };
        let (folder, span) = folder?;
        if !folder.join("Cargo.toml").is_file() {
            let why = match handler {
                Some(route) => format!("route `{}` names a handler", route.path),
                None => "the app names its own code".to_owned(),
            };
            let message = format!("{why}, but {} has no Cargo.toml", folder.display());
            self.error(span, message, "create the app crate with `sauce new NAME --template rust-api`, or set `[app] code` to its folder");
            return None;
        }
        let init = match init {
            Some(value) => Some(self.rust_function(value, "app.init", "init")?),
            None => None,
        };
        let allow_unsafe = match allow_unsafe {
            Some(value) => match value.get_ref().as_bool() {
                Some(allowed) => allowed,
                None => {
                    let message = format!(
                        "`app.allow_unsafe` must be true or false, not {}",
                        described(value.get_ref())
                    );
                    self.error(value.span(), message, "write `allow_unsafe = true`");
                    false
                }
            },
            None => false,
        };
        let watchdog = table
            .and_then(|table| table.get("watchdog"))
            .and_then(|value| {
                let hint = "write a duration such as `watchdog = \"5s\"` (units: ms, s, m)";
                let text = self.string_or_hint(value, "app.watchdog", hint)?;
                match crate::limits::parse_duration(text) {
                    Some(duration) if (100..=600_000).contains(&duration.0) => Some(duration),
                    Some(_) => {
                        self.error(
                            value.span(),
                            format!("`app.watchdog` must be from 100ms to 10m, not {text}"),
                            "for example `watchdog = \"5s\"`",
                        );
                        None
                    }
                    None => {
                        self.error(value.span(), format!("`{text}` is not a duration"), hint);
                        None
                    }
                }
            });
        Some(AppCode {
            folder,
            init,
            allow_unsafe,
            watchdog,
        })
    }
}
