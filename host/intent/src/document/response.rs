//! The response of a route or of `[http.not_found]`: which kind it is (exactly one), its value
//! (inline text, a file, a folder, JSON, a redirect target), and its `content_type`.

use std::ops::Range;

use toml::de::{DeTable, DeValue};
use toml::Spanned;

use super::files::{resolve, Wanted};
use super::json::to_json;
use super::{in_source_order, Checker};
use crate::content_type::media_type_problem;
use crate::RouteResponse;

impl Checker<'_> {
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
            .filter_map(|(key, value)| {
                kinds
                    .iter()
                    .find(|kind| **kind == key.get_ref().as_ref())
                    .map(|kind| (*kind, key, value))
            })
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
                let named: Vec<String> = present
                    .iter()
                    .map(|(kind, _, _)| format!("`{kind}`"))
                    .collect();
                let both = if named.len() == 2 { "both " } else { "" };
                let message = format!("{owner} has {both}{}", listed(&named, "and"));
                self.error(second.span(), message, several_hint);
                None
            }
        }
    }

    /// The response of kind `kind` (a key of `keys::ROUTE`) whose value is `value`.
    pub(super) fn response(
        &mut self,
        kind: &str,
        value: &Spanned<DeValue<'_>>,
        table: &str,
    ) -> Option<RouteResponse> {
        let key = format!("{table}.{kind}");
        let result = match kind {
            "json" => to_json(value)
                .map(RouteResponse::Json)
                .map_err(|(span, message, hint)| (span, (message, hint))),
            "body" => {
                return self
                    .string(value, &key)
                    .map(|body| RouteResponse::Body(body.to_owned()))
            }
            "handler" => {
                return self
                    .rust_function(value, &key, "todos::item")
                    .map(RouteResponse::Handler)
            }
            _ => {
                let text = self.string(value, &key)?;
                let checked =
                    match kind {
                        "file" => resolve(self.project_folder, text, Wanted::File)
                            .map(RouteResponse::File),
                        "dir" => resolve(self.project_folder, text, Wanted::Folder)
                            .map(RouteResponse::Dir),
                        _ => redirect_problem(text)
                            .map_or_else(|| Ok(RouteResponse::Redirect(text.to_owned())), Err),
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
    pub(super) fn content_type(
        &mut self,
        table: &DeTable<'_>,
        table_name: &str,
        kind: Option<&str>,
    ) -> Option<String> {
        let value = table.get("content_type")?;
        let text = self.string(value, &format!("{table_name}.content_type"))?;
        let problem = match kind {
            Some("redirect") => Some(("a redirect has no body, so `content_type` does not apply".to_owned(), "remove `content_type`".to_owned())),
            Some("dir") => Some((
                "`content_type` does not apply to a `dir` route: each file's type comes from its extension".to_owned(),
                "remove `content_type`".to_owned(),
            )),
            Some("handler") => Some((
                "`content_type` does not apply to a `handler` route: the handler's response sets it".to_owned(),
                "remove `content_type`, and return `Response::json`, `Response::html`… from the handler".to_owned(),
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
}

/// `words` as prose: "`a`, `b` or `c`".
fn listed(words: &[String], conjunction: &str) -> String {
    match words.split_last() {
        Some((last, rest)) if !rest.is_empty() => {
            format!("{} {conjunction} {last}", rest.join(", "))
        }
        _ => words.concat(),
    }
}

/// Why `location` is not a redirect target (an absolute path or an http(s) URL), if it is not.
fn redirect_problem(location: &str) -> Option<(String, String)> {
    let hint =
        "redirect to an absolute path such as `/new`, or a URL such as `https://example.com/`";
    if let Some(character) = location
        .chars()
        .find(|character| !character.is_ascii_graphic())
    {
        let message = format!(
            "the redirect `{}` contains {character:?}",
            location.escape_debug()
        );
        return Some((
            message,
            "percent-encode spaces and other characters, such as `%20`".to_owned(),
        ));
    }
    let problem = if location.is_empty() {
        "the redirect location is empty".to_owned()
    } else if location.starts_with("//") {
        format!("`{location}` is a scheme-relative URL")
    } else if location.starts_with('/') {
        return None;
    } else if let Some(rest) = location
        .strip_prefix("https://")
        .or_else(|| location.strip_prefix("http://"))
    {
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
        for valid in [
            "/",
            "/new?x=1",
            "https://example.com",
            "http://example.com:8080/a",
        ] {
            assert_eq!(redirect_problem(valid), None, "{valid}");
        }
        let problem = |location: &str| redirect_problem(location).unwrap().0;
        assert_eq!(problem(""), "the redirect location is empty");
        assert_eq!(
            problem("//example.com/"),
            "`//example.com/` is a scheme-relative URL"
        );
        assert_eq!(problem("https:///path"), "`https:///path` has no host");
        assert_eq!(
            problem("example.com"),
            "`example.com` is neither an absolute path nor an http(s) URL"
        );
        assert_eq!(
            problem("ftp://example.com/"),
            "`ftp://example.com/` is neither an absolute path nor an http(s) URL"
        );
        assert_eq!(problem("/a b"), "the redirect `/a b` contains ' '");
    }
}
