//! One `[[http.route]]`: its path, its one response (see `response`), its status.

use std::ops::Range;

use toml::de::{DeTable, DeValue};
use toml::Spanned;

use super::{described, route_path, Checker};
use crate::http::prefix_of;
use crate::{keys, Route};

/// Statuses a redirect may have.
const REDIRECT_STATUSES: [i64; 5] = [301, 302, 303, 307, 308];

/// A checked route with what the checks across routes need.
pub(super) struct CheckedRoute {
    pub route: Route,
    /// `path` as written.
    pub written_path: String,
    /// Where `path`'s value is.
    pub path_span: Range<usize>,
    /// `dir` as written, for a folder route.
    pub written_folder: Option<String>,
}

impl Checker<'_> {
    /// Checks the route `item`; `None` when it is too broken to take part in checks across routes.
    pub(super) fn route(&mut self, item: &Spanned<DeValue<'_>>) -> Option<CheckedRoute> {
        let Some(table) = item.get_ref().as_table() else {
            let message = format!(
                "each `http.route` must be a table, not {}",
                described(item.get_ref())
            );
            self.error(
                item.span(),
                message,
                "write each route as a `[[http.route]]` section",
            );
            return None;
        };
        self.reject_unknown_keys(table, &keys::ROUTE);
        let path = match table.get("path") {
            Some(value) => self.route_path(value).map(|decoded| (decoded, value)),
            None => {
                let hint = "add `path = \"/\"` (an exact path, or a prefix ending in `/*`)";
                self.error(item.span(), "this route has no `path`", hint);
                None
            }
        };
        let owner = match &path {
            Some((_, value)) => format!("route `{}`", value.get_ref().as_str().unwrap_or_default()),
            None => "this route".to_owned(),
        };
        let several =
            "a route gives one response: keep one, and give the others their own `[[http.route]]`";
        let kind = self.response_kind(
            table,
            keys::ROUTE.exactly_one_of,
            &owner,
            item.span(),
            several,
        );
        let response = kind.and_then(|(kind, value)| self.response(kind, value, "http.route"));
        if let (Some(("dir", _)), Some((decoded, value))) = (kind, &path) {
            if prefix_of(decoded).is_none() {
                let message = format!(
                    "`dir` serves a folder under a prefix, but `{decoded}` is an exact path"
                );
                let hint = format!(
                    "end the path with `/*`: `path = \"{}/*\"`",
                    decoded.trim_end_matches('/')
                );
                self.error(value.span(), message, hint);
            }
        }
        let content_type = self.content_type(table, "http.route", kind.map(|(kind, _)| kind));
        let handler = kind.is_some_and(|(kind, _)| kind == "handler");
        if let (true, Some(value)) = (handler, table.get("status")) {
            let hint = "remove `status`: the handler's response carries its status";
            self.error(
                value.span(),
                "`status` does not apply to a `handler` route",
                hint,
            );
        }
        let status = if handler {
            200
        } else {
            self.status(table, kind.map(|(kind, _)| kind))
        };
        if let (true, Some((_, value))) = (handler, &path) {
            let written = value.get_ref().as_str().unwrap_or_default();
            if let Some((message, hint)) = crate::app_code::handler_path_problem(written) {
                self.error(value.span(), message, hint);
            }
        }
        let methods = self.methods(table, handler);
        let body_limit = self.body_limit(table, handler);
        let cache_control = table.get("cache_control").and_then(|value| {
            let text = self.string(value, "http.route.cache_control")?;
            if text.is_empty()
                || !text
                    .chars()
                    .all(|character| character == ' ' || character.is_ascii_graphic())
            {
                let message = format!(
                    "`{}` cannot be a header value",
                    crate::render::visible(text)
                );
                self.error(
                    value.span(),
                    message,
                    "write visible ASCII, such as `max-age=3600`",
                );
                return None;
            }
            Some(text.to_owned())
        });
        let (decoded, path_value) = path?;
        Some(CheckedRoute {
            written_folder: table
                .get("dir")
                .and_then(|dir| dir.get_ref().as_str())
                .map(str::to_owned),
            written_path: path_value.get_ref().as_str().unwrap_or_default().to_owned(),
            path_span: path_value.span(),
            route: Route {
                path: decoded,
                response: response?,
                content_type,
                status,
                methods: methods?,
                body_limit,
                cache_control,
            },
        })
    }

    /// `methods`: known, each once; only `GET` (and `HEAD`) unless the route has a handler.
    fn methods(&mut self, table: &DeTable<'_>, handler: bool) -> Option<Vec<String>> {
        let Some(value) = table.get("methods") else {
            return Some(Vec::new());
        };
        let hint = "write a list such as `methods = [\"GET\", \"POST\"]`";
        let Some(list) = value.get_ref().as_array() else {
            let message = format!(
                "`http.route.methods` must be a list, not {}",
                described(value.get_ref())
            );
            self.error(value.span(), message, hint);
            return None;
        };
        let mut methods: Vec<String> = Vec::new();
        let mut valid = true;
        for item in list.iter() {
            let Some(text) = self.string_or_hint(item, "http.route.methods", hint) else {
                valid = false;
                continue;
            };
            let upper = text.to_ascii_uppercase();
            let problem = if !crate::app_code::METHODS.contains(&upper.as_str()) {
                Some((
                    format!(
                        "`{}` is not a method SauceOS serves",
                        crate::render::visible(text)
                    ),
                    format!("use {}", crate::app_code::METHODS.join(", ")),
                ))
            } else if upper != text {
                Some((
                    format!("methods are written in capitals: `{upper}`, not `{text}`"),
                    format!("write `\"{upper}\"`"),
                ))
            } else if methods.contains(&upper) {
                Some((
                    format!("`{upper}` is listed twice"),
                    "list each method once".to_owned(),
                ))
            } else if !handler && !matches!(upper.as_str(), "GET" | "HEAD") {
                Some((
                    format!(
                        "only a `handler` route answers `{upper}`: this route's response is fixed"
                    ),
                    "remove it, or answer with a handler".to_owned(),
                ))
            } else {
                None
            };
            match problem {
                Some((message, hint)) => {
                    self.error(item.span(), message, hint);
                    valid = false;
                }
                None => methods.push(upper),
            }
        }
        valid.then_some(methods)
    }

    /// `body_limit`: a size, only on a handler route.
    fn body_limit(&mut self, table: &DeTable<'_>, handler: bool) -> Option<u64> {
        let value = table.get("body_limit")?;
        if !handler {
            let hint = "remove it: routes with a fixed response read no body";
            self.error(
                value.span(),
                "`body_limit` applies to `handler` routes only",
                hint,
            );
            return None;
        }
        let hint =
            "write a size with its unit, such as `body_limit = \"16KiB\"` (units: B, KiB, MiB)";
        let text = self.string_or_hint(value, "http.route.body_limit", hint)?;
        match crate::limits::parse_size(text) {
            Some(bytes) if bytes <= 64 << 20 => Some(bytes),
            Some(_) => {
                self.error(
                    value.span(),
                    format!("`body_limit` {text} is over 64MiB"),
                    "bodies are held in memory: keep them small",
                );
                None
            }
            None => {
                self.error(value.span(), format!("`{text}` is not a size"), hint);
                None
            }
        }
    }

    fn route_path(&mut self, value: &Spanned<DeValue<'_>>) -> Option<String> {
        let text = self.string(value, "http.route.path")?;
        match route_path::check(text) {
            Ok(decoded) => Some(decoded),
            Err((message, hint)) => {
                self.error(value.span(), message, hint);
                None
            }
        }
    }

    /// `status` of a route with response `kind`: 308 by default for redirects, else 200.
    fn status(&mut self, table: &DeTable<'_>, kind: Option<&str>) -> u16 {
        let redirect = kind == Some("redirect");
        let default = if redirect { 308 } else { 200 };
        let Some(value) = table.get("status") else {
            return default;
        };
        let Some(status) = self.integer_in(value, "http.route.status", (i64::MIN, i64::MAX), 200)
        else {
            return default;
        };
        let problem = match kind {
            None => None,
            Some("redirect") if !REDIRECT_STATUSES.contains(&status) => Some((
                format!("a redirect's `status` must be 301, 302, 303, 307 or 308, not {status}"),
                "308 (the default) and 307 keep the request's method; 301, 302 and 303 may turn it into GET".to_owned(),
            )),
            Some("redirect") => None,
            Some(_) if !(200..=599).contains(&status) => Some((
                format!("`http.route.status` must be from 200 to 599, not {status}"),
                "a route sends a final status with its response, such as `status = 200`".to_owned(),
            )),
            Some(kind) if status == 204 || status == 304 => Some((
                format!("status {status} must not have a body, and a `{kind}` route sends one"),
                "use 200, or another status that has a body".to_owned(),
            )),
            Some(_) => None,
        };
        if let Some((message, hint)) = problem {
            self.error(value.span(), message, hint);
        }
        u16::try_from(status).unwrap_or(default)
    }
}
