//! `[tcp]`: the port and the service, checked against `[http]`'s port.

use std::ops::Range;

use toml::de::DeTable;

use super::Checker;
use crate::{keys, Http, Tcp, TcpService};

impl Checker<'_> {
    pub(super) fn tcp(
        &mut self,
        span: Range<usize>,
        table: &DeTable<'_>,
        http: Option<&Http>,
    ) -> Option<Tcp> {
        self.reject_unknown_keys(table, &keys::TCP);
        let port = match table.get("port") {
            Some(value) => self
                .integer_in(value, "tcp.port", (1, 65535), 7)
                .and_then(|port| u16::try_from(port).ok())
                .and_then(|port| self.port_of_its_own(value.span(), port, http)),
            None => {
                self.error(
                    span.clone(),
                    "`[tcp]` has no `port`",
                    "add one, such as `port = 7`",
                );
                None
            }
        };
        let service = match table.get("service") {
            Some(value) => self.choice(value, "tcp.service", &["echo"], TcpService::from_text),
            None => {
                self.error(
                    span,
                    "`[tcp]` does not say which `service` it serves",
                    "add `service = \"echo\"` (the one TCP service so far)",
                );
                None
            }
        };
        let max_connections = table.get("max_connections").map(|value| {
            self.integer_in(value, "tcp.max_connections", (1, 16384), 64)
                .and_then(|count| u16::try_from(count).ok())
        });
        Some(Tcp {
            port: port?,
            service: service?,
            max_connections: match max_connections {
                Some(count) => Some(count?),
                None => None,
            },
        })
    }

    /// `port`, unless `[http]` serves it too.
    fn port_of_its_own(
        &mut self,
        span: Range<usize>,
        port: u16,
        http: Option<&Http>,
    ) -> Option<u16> {
        if let Some(http) = http.filter(|http| http.port == port) {
            let message =
                format!("`tcp.port` {port} is `[http]`'s port too: one port carries one service");
            let hint = format!(
                "choose another port for `[tcp]` (or for `[http]`, now {})",
                http.port
            );
            self.error(span, message, hint);
            return None;
        }
        Some(port)
    }
}
