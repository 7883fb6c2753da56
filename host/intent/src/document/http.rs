//! The `[http]` and `[network]` tables: the service's port, its routes, the guest's address.
//!
//! This version serves routes of the `body` kind (inline text with an optional content type and
//! status); the other response kinds of design brief §4 (`file`, `dir`, `json`, `redirect`) are
//! recognised and reported as not supported yet, with a hint.

use toml::de::DeValue;
use toml::Spanned;

use super::{described, Checker};
use crate::{Http, Network, Route};

const HTTP_KEYS: [&str; 2] = ["port", "route"];
const ROUTE_KEYS: [&str; 8] = ["path", "body", "file", "dir", "json", "redirect", "content_type", "status"];
const LATER_KINDS: [&str; 4] = ["file", "dir", "json", "redirect"];
const NETWORK_KEYS: [&str; 2] = ["ip", "gateway"];

impl Checker<'_> {
    pub(super) fn http(&mut self, http: &Spanned<DeValue<'_>>) -> Option<Http> {
        let table = http.get_ref().as_table()?;
        self.reject_unknown_keys(table, "http", &HTTP_KEYS);
        let port = match table.get("port") {
            Some(port) => self.integer_in(port, "http.port", 1, 65535).map_or(80, |port| port as u16),
            None => 80,
        };
        let mut routes = Vec::new();
        if let Some(list) = table.get("route") {
            let Some(array) = list.get_ref().as_array() else {
                let message = format!("`http.route` must be a list of tables, not {}", described(list.get_ref()));
                let diagnostic = self.diagnostic(list.span(), message);
                self.report(diagnostic.with_hint("write each route as a `[[http.route]]` section"));
                return None;
            };
            for item in array.iter() {
                if let Some(route) = self.route(item) {
                    if routes.iter().any(|known: &Route| known.path == route.path) {
                        let diagnostic = self.diagnostic(item.span(), format!("route `{}` is declared twice", route.path));
                        self.report(diagnostic.with_hint("keep one `[[http.route]]` per path"));
                        continue;
                    }
                    routes.push(route);
                }
            }
        }
        if routes.is_empty() {
            let diagnostic = self.diagnostic(http.span(), "`[http]` has no routes");
            self.report(diagnostic.with_hint("add one:\n    [[http.route]]\n    path = \"/\"\n    body = \"Hello\\n\""));
            return None;
        }
        Some(Http { port, routes })
    }

    fn route(&mut self, route: &Spanned<DeValue<'_>>) -> Option<Route> {
        let Some(table) = route.get_ref().as_table() else {
            let diagnostic = self.diagnostic(route.span(), "each `http.route` must be a table");
            self.report(diagnostic.with_hint("write it as a `[[http.route]]` section"));
            return None;
        };
        self.reject_unknown_keys(table, "http.route", &ROUTE_KEYS);
        let Some(path) = table.get("path") else {
            let diagnostic = self.diagnostic(route.span(), "this route has no `path`");
            self.report(diagnostic.with_hint("add `path = \"/\"` (an exact path, or a prefix ending in `/*`)"));
            return None;
        };
        let path_text = self.expect_string(path, "http.route.path")?.to_owned();
        if !path_text.starts_with('/') || path_text.contains(char::is_whitespace) {
            let diagnostic = self.diagnostic(path.span(), format!("`{path_text}` is not a path"));
            self.report(diagnostic.with_hint("paths start with `/` and contain no spaces"));
            return None;
        }
        for kind in LATER_KINDS {
            if let Some((key, _)) = table.get_key_value(kind) {
                let diagnostic = self.diagnostic(key.span(), format!("`{kind}` routes are not supported by this version of sauce yet"));
                self.report(diagnostic.with_hint("serve inline text with `body = \"…\"` for now"));
                return None;
            }
        }
        let Some(body) = table.get("body") else {
            let diagnostic = self.diagnostic(route.span(), format!("route `{path_text}` has no response"));
            self.report(diagnostic.with_hint("add `body = \"…\"`"));
            return None;
        };
        let body = self.expect_string(body, "http.route.body")?.to_owned();
        let content_type = match table.get("content_type") {
            Some(value) => self.expect_string(value, "http.route.content_type")?.to_owned(),
            None => "text/plain; charset=utf-8".to_owned(),
        };
        let status = match table.get("status") {
            Some(value) => self.integer_in(value, "http.route.status", 200, 599)? as u16,
            None => 200,
        };
        Some(Route { path: path_text, body, content_type, status })
    }

    pub(super) fn network(&mut self, network: &Spanned<DeValue<'_>>) -> Network {
        let Some(table) = network.get_ref().as_table() else { return Network::default() };
        self.reject_unknown_keys(table, "network", &NETWORK_KEYS);
        let ip = table.get("ip").and_then(|ip| {
            let text = self.expect_string(ip, "network.ip")?;
            if text == "dhcp" || valid_cidr(text) {
                Some(text.to_owned())
            } else {
                let diagnostic = self.diagnostic(ip.span(), format!("`{text}` is not an IPv4 address with a prefix"));
                self.report(diagnostic.with_hint("write `ip = \"10.0.2.15/24\"` or `ip = \"dhcp\"`"));
                None
            }
        });
        let gateway = table.get("gateway").and_then(|gateway| {
            let text = self.expect_string(gateway, "network.gateway")?;
            if text.parse::<std::net::Ipv4Addr>().is_ok() {
                Some(text.to_owned())
            } else {
                let diagnostic = self.diagnostic(gateway.span(), format!("`{text}` is not an IPv4 address"));
                self.report(diagnostic.with_hint("write `gateway = \"10.0.2.2\"`"));
                None
            }
        });
        Network { ip, gateway }
    }

    fn integer_in(&mut self, value: &Spanned<DeValue<'_>>, key: &str, low: i64, high: i64) -> Option<i64> {
        let number = value.get_ref().as_integer().and_then(|integer| i64::from_str_radix(integer.as_str(), integer.radix()).ok());
        match number {
            Some(number) if (low..=high).contains(&number) => Some(number),
            _ => {
                let message = format!("`{key}` must be a whole number from {low} to {high}");
                let diagnostic = self.diagnostic(value.span(), message);
                self.report(diagnostic.with_hint(format!("for example `{} = {low}`", key.rsplit('.').next().unwrap_or(key))));
                None
            }
        }
    }
}

fn valid_cidr(text: &str) -> bool {
    let Some((address, prefix)) = text.split_once('/') else { return false };
    address.parse::<std::net::Ipv4Addr>().is_ok() && prefix.parse::<u8>().is_ok_and(|prefix| prefix <= 32)
}
