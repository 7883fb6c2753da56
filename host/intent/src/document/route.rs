//! One `[[http.route]]`, and the response kinds it shares with `[http.not_found]`.

use std::ops::Range;

use toml::de::{DeTable, DeValue};
use toml::Spanned;

use super::files::{resolve, Wanted};
use super::json::to_json;
use super::{described, in_source_order, route_path, Checker};
use crate::content_type::media_type_problem;
use crate::http::prefix_of;
use crate::{keys, Route, RouteResponse};

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
            let message = format!("each `http.route` must be a table, not {}", described(item.get_ref()));
            self.error(item.span(), message, "write each route as a `[[http.route]]` section");
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
        let several = "a route gives one response: keep one, and give the others their own `[[http.route]]`";
        let kind = self.response_kind(table, keys::ROUTE.exactly_one_of, &owner, item.span(), several);
        let response = kind.and_then(|(kind, value)| self.response(kind, value, "http.route"));
        if let (Some(("dir", _)), Some((decoded, value))) = (kind, &path) {
            if prefix_of(decoded).is_none() {
                let message = format!("`dir` serves a folder under a prefix, but `{decoded}` is an exact path");
                let hint = format!("end the path with `/*`: `path = \"{}/*\"`", decoded.trim_end_matches('/'));
                self.error(value.span(), message, hint);
            }
        }
        let content_type = self.content_type(table, "http.route", kind.map(|(kind, _)| kind));
        let status = self.status(table, kind.map(|(kind, _)| kind));
        let (decoded, path_value) = path?;
        Some(CheckedRoute {
            written_folder: table.get("dir").and_then(|dir| dir.get_ref().as_str()).map(str::to_owned),
            written_path: path_value.get_ref().as_str().unwrap_or_default().to_owned(),
            path_span: path_value.span(),
            route: Route { path: decoded, response: response?, content_type, status },
        })
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

    /// The one key of `kinds` that `table` (described as `owner`, at `span`) has, with its value;
    /// `several_hint` says what to do when it has more than one.
    pub(super) fn response_kind<'t, 'i>(
        &mut self,
        table: &'t DeTable<'i>,
        kinds: &[&'static str],
        owner: &str,
        span: Range<usize>,
        several_hint: &str,
    ) -> Option<(&'static str, &'t Spanned<DeValue<'i>>)> {
        let present: Vec<_> = in_source_order(table)
            .into_iter()
            .filter_map(|(key, value)| kinds.iter().find(|kind| **kind == key.get_ref().as_ref()).map(|kind| (*kind, key, value)))
            .collect();
        let quoted: Vec<String> = kinds.iter().map(|kind| format!("`{kind}`")).collect();
        match present.as_slice() {
            [] => {
                let hint = format!("add one of {}", listed(&quoted, "or"));
                self.error(span, format!("{owner} has no response"), hint);
                None
            }
            [(kind, _, value)] => Some((kind, value)),
            [_, (_, second, _), ..] => {
                let named: Vec<String> = present.iter().map(|(kind, _, _)| format!("`{kind}`")).collect();
                let both = if named.len() == 2 { "both " } else { "" };
                let message = format!("{owner} has {both}{}", listed(&named, "and"));
                self.error(second.span(), message, several_hint);
                None
            }
        }
    }

    /// The response of kind `kind` (a key of `keys::ROUTE`) whose value is `value`.
    pub(super) fn response(&mut self, kind: &str, value: &Spanned<DeValue<'_>>, table: &str) -> Option<RouteResponse> {
        let key = format!("{table}.{kind}");
        let result = match kind {
            "json" => to_json(value).map(RouteResponse::Json).map_err(|(span, message, hint)| (span, (message, hint))),
            "body" => return self.string(value, &key).map(|body| RouteResponse::Body(body.to_owned())),
            _ => {
                let text = self.string(value, &key)?;
                let checked = match kind {
                    "file" => resolve(self.project_folder, text, Wanted::File).map(RouteResponse::File),
                    "dir" => resolve(self.project_folder, text, Wanted::Folder).map(RouteResponse::Dir),
                    _ => redirect_problem(text).map_or_else(|| Ok(RouteResponse::Redirect(text.to_owned())), Err),
                };
                checked.map_err(|problem| (value.span(), problem))
            }
        };
        match result {
            Ok(response) => Some(response),
            Err((span, (message, hint))) => {
                self.error(span, message, hint);
                None
            }
        }
    }

    /// `content_type` of `table` (named `table_name`), checked against the response `kind`.
    pub(super) fn content_type(&mut self, table: &DeTable<'_>, table_name: &str, kind: Option<&str>) -> Option<String> {
        let value = table.get("content_type")?;
        let text = self.string(value, &format!("{table_name}.content_type"))?;
        let problem = match kind {
            Some("redirect") => Some(("a redirect has no body, so `content_type` does not apply".to_owned(), "remove `content_type`".to_owned())),
            Some("dir") => Some((
                "`content_type` does not apply to a `dir` route: each file's type comes from its extension".to_owned(),
                "remove `content_type`".to_owned(),
            )),
            _ => media_type_problem(text).map(|problem| (problem, "write a media type such as `text/html; charset=utf-8`".to_owned())),
        };
        match problem {
            Some((message, hint)) => {
                self.error(value.span(), message, hint);
                None
            }
            None => Some(text.to_owned()),
        }
    }

    /// `status` of a route with response `kind`: 308 by default for redirects, else 200.
    fn status(&mut self, table: &DeTable<'_>, kind: Option<&str>) -> u16 {
        let redirect = kind == Some("redirect");
        let default = if redirect { 308 } else { 200 };
        let Some(value) = table.get("status") else { return default };
        let Some(status) = self.integer_in(value, "http.route.status", (i64::MIN, i64::MAX), 200) else { return default };
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

/// `words` as prose: "`a`, `b` or `c`".
fn listed(words: &[String], conjunction: &str) -> String {
    match words.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} {conjunction} {last}", rest.join(", ")),
        _ => words.concat(),
    }
}

/// Why `location` is not a redirect target (an absolute path or an http(s) URL), if it is not.
fn redirect_problem(location: &str) -> Option<(String, String)> {
    let hint = "redirect to an absolute path such as `/new`, or a URL such as `https://example.com/`";
    if let Some(character) = location.chars().find(|character| !character.is_ascii_graphic()) {
        let message = format!("the redirect `{}` contains {character:?}", location.escape_debug());
        return Some((message, "percent-encode spaces and other characters, such as `%20`".to_owned()));
    }
    let problem = if location.is_empty() {
        "the redirect location is empty".to_owned()
    } else if location.starts_with("//") {
        format!("`{location}` is a scheme-relative URL")
    } else if location.starts_with('/') {
        return None;
    } else if let Some(rest) = location.strip_prefix("https://").or_else(|| location.strip_prefix("http://")) {
        let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
        if !host.is_empty() && !host.starts_with(':') {
            return None;
        }
        format!("`{location}` has no host")
    } else {
        format!("`{location}` is neither an absolute path nor an http(s) URL")
    };
    Some((problem, hint.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::redirect_problem;

    #[test]
    fn redirect_targets() {
        for valid in ["/", "/new?x=1", "https://example.com", "http://example.com:8080/a"] {
            assert_eq!(redirect_problem(valid), None, "{valid}");
        }
        let problem = |location: &str| redirect_problem(location).unwrap().0;
        assert_eq!(problem(""), "the redirect location is empty");
        assert_eq!(problem("//example.com/"), "`//example.com/` is a scheme-relative URL");
        assert_eq!(problem("https:///path"), "`https:///path` has no host");
        assert_eq!(problem("example.com"), "`example.com` is neither an absolute path nor an http(s) URL");
        assert_eq!(problem("ftp://example.com/"), "`ftp://example.com/` is neither an absolute path nor an http(s) URL");
        assert_eq!(problem("/a b"), "the redirect `/a b` contains ' '");
    }
}
