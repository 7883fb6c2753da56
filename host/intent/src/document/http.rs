//! `[http]`: the port, the list of routes with the checks across them, `[http.not_found]`.

use std::collections::HashMap;
use std::ops::Range;

use toml::de::{DeTable, DeValue};
use toml::Spanned;

use super::files::served_by_folder;
use super::route::CheckedRoute;
use super::{described, Checker};
use crate::{keys, Http, NotFound, RouteResponse};

impl Checker<'_> {
    pub(super) fn http(&mut self, span: Range<usize>, table: &DeTable<'_>) -> Option<Http> {
        self.reject_unknown_keys(table, &keys::HTTP);
        let port = table
            .get("port")
            .and_then(|port| self.integer_in(port, "http.port", (1, 65535), 80));
        let max_connections = table
            .get("max_connections")
            .and_then(|value| self.integer_in(value, "http.max_connections", (1, 16384), 64));
        let limits = match table.get("limits") {
            Some(value) => match value.get_ref() {
                DeValue::Table(limits) => self.limits(limits),
                other => {
                    let message =
                        format!("`http.limits` must be a table, not {}", described(other));
                    self.error(
                        value.span(),
                        message,
                        "write it as an `[http.limits]` section",
                    );
                    crate::HttpLimits::default()
                }
            },
            None => crate::HttpLimits::default(),
        };
        let not_found = table
            .get("not_found")
            .and_then(|value| self.not_found(value));
        let routes = self.routes(span, table.get("route"));
        self.check_across(&routes);
        let catch_all = routes.iter().find(|checked| {
            checked.route.path == "/*" && !matches!(checked.route.response, RouteResponse::Dir(_))
        });
        if let (Some(catch_all), Some(value)) = (
            catch_all,
            table.get("not_found").filter(|_| not_found.is_some()),
        ) {
            let message = format!(
                "`[http.not_found]` is never used: the route `/*` (line {}) answers every path",
                self.line_of(&catch_all.path_span)
            );
            self.error(
                value.span(),
                message,
                "remove `[http.not_found]`, or narrow the `/*` route",
            );
        }
        Some(Http {
            port: port.and_then(|port| u16::try_from(port).ok()).unwrap_or(80),
            routes: routes.into_iter().map(|checked| checked.route).collect(),
            not_found,
            max_connections: max_connections.and_then(|count| u16::try_from(count).ok()),
            limits,
        })
    }

    fn routes(
        &mut self,
        http_span: Range<usize>,
        list: Option<&Spanned<DeValue<'_>>>,
    ) -> Vec<CheckedRoute> {
        let no_routes_hint =
            "add one:\n    [[http.route]]\n    path = \"/\"\n    body = \"Hello\\n\"";
        let Some(list) = list else {
            self.error(http_span, "`[http]` has no routes", no_routes_hint);
            return Vec::new();
        };
        let array = match list.get_ref() {
            DeValue::Array(array) if array.is_empty() => {
                self.error(list.span(), "`[http]` has no routes", no_routes_hint);
                return Vec::new();
            }
            DeValue::Array(array) => array,
            DeValue::Table(_) => {
                let message = "`[http.route]` declares a single table, but routes are a list";
                self.error(
                    list.span(),
                    message,
                    "write `[[http.route]]`, with two brackets",
                );
                return Vec::new();
            }
            other => {
                let message = format!(
                    "`http.route` must be a list of tables, not {}",
                    described(other)
                );
                self.error(
                    list.span(),
                    message,
                    "write each route as a `[[http.route]]` section",
                );
                return Vec::new();
            }
        };
        array.iter().filter_map(|item| self.route(item)).collect()
    }

    /// Routes declared twice (also once decoded), and exact routes a folder route also serves.
    fn check_across(&mut self, routes: &[CheckedRoute]) {
        let mut first_by_path: HashMap<&str, &CheckedRoute> = HashMap::with_capacity(routes.len());
        for checked in routes {
            let Some(earlier) = first_by_path.get(checked.route.path.as_str()).copied() else {
                first_by_path.insert(&checked.route.path, checked);
                continue;
            };
            let line = self.line_of(&earlier.path_span);
            let message = if earlier.written_path == checked.written_path {
                format!(
                    "route `{}` is declared twice (first on line {line})",
                    checked.written_path
                )
            } else {
                format!(
                    "route `{}` is the same path as `{}` (line {line}) once decoded",
                    checked.written_path, earlier.written_path
                )
            };
            let hint = "keep one `[[http.route]]` per path";
            self.error(checked.path_span.clone(), message, hint);
        }
        // Folder routes are few: compare each exact route with them only (not with every
        // route, which made 20,000 routes take 25 s).
        let folder_routes: Vec<(&CheckedRoute, &str, &std::path::Path)> = routes
            .iter()
            .filter_map(
                |checked| match (checked.route.prefix(), &checked.route.response) {
                    (Some(prefix), RouteResponse::Dir(folder)) => {
                        Some((checked, prefix, folder.as_path()))
                    }
                    _ => None,
                },
            )
            .collect();
        for exact in routes
            .iter()
            .filter(|checked| checked.route.prefix().is_none())
        {
            for &(folder_route, prefix, folder) in &folder_routes {
                if served_by_folder(&exact.route.path, prefix, folder).is_none() {
                    continue;
                }
                let rest = exact.route.path.strip_prefix(prefix).unwrap_or_default();
                let name = if rest.is_empty() || rest.ends_with('/') {
                    format!("{rest}index.html")
                } else {
                    rest.to_owned()
                };
                let written_folder = folder_route
                    .written_folder
                    .as_deref()
                    .unwrap_or_default()
                    .trim_end_matches('/');
                let message = format!(
                    "`{}` is served twice: by this route and by the `dir` route `{}` (line {}), from `{written_folder}/{name}`",
                    exact.written_path,
                    folder_route.written_path,
                    self.line_of(&folder_route.path_span)
                );
                let hint =
                    "this route would hide the file: remove the route, or the file from the folder";
                self.error(exact.path_span.clone(), message, hint);
            }
        }
    }

    fn not_found(&mut self, value: &Spanned<DeValue<'_>>) -> Option<NotFound> {
        let Some(table) = value.get_ref().as_table() else {
            let message = format!(
                "`http.not_found` must be a table, not {}",
                described(value.get_ref())
            );
            self.error(
                value.span(),
                message,
                "write it as a `[http.not_found]` section with `body`, `file` or `json`",
            );
            return None;
        };
        self.reject_unknown_keys(table, &keys::NOT_FOUND);
        let owner = "`[http.not_found]`";
        let several = "the 404 page is one response: keep one of them";
        // A `redirect` or `dir` here is reported as a key of `[[http.route]]`, not twice.
        let misplaced = table.contains_key("redirect") || table.contains_key("dir");
        let kind = if misplaced {
            None
        } else {
            let kinds = keys::NOT_FOUND.exactly_one_of;
            self.response_kind(table, kinds, owner, value.span(), several)
        };
        let response = kind.and_then(|(kind, value)| self.response(kind, value, "http.not_found"));
        let content_type = self.content_type(table, "http.not_found", kind.map(|(kind, _)| kind));
        Some(NotFound {
            response: response?,
            content_type,
        })
    }

    pub(super) fn line_of(&self, span: &Range<usize>) -> usize {
        self.lines.line_and_column(self.source, span.start).0
    }
}
