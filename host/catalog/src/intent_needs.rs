//! What an intent needs: the intent's tables and keys → contracts and components, each with the
//! sauce.toml line that asked for it, and the platform it runs on.

use sauce_intent::{Addressing, Intent, RouteResponse};

use crate::request::{Machine, Need, Optimize, Platform, Reason, Request};

/// The selection request for `intent` on `machine`.
pub fn request(intent: &Intent, machine: Machine) -> Request {
    let optimize = match intent.build.optimize {
        sauce_intent::Optimize::Size => Optimize::Size,
        sauce_intent::Optimize::Speed => Optimize::Speed,
    };
    let mut needs = Vec::new();
    if let Some(http) = &intent.http {
        needs.push(Need::Contract(
            "http-service".to_owned(),
            Reason::intent("[http]: an HTTP service", intent.line_of("http")),
        ));
        let file_route = http.routes.iter().enumerate().find(|(_, route)| {
            matches!(
                route.response,
                RouteResponse::Dir(_) | RouteResponse::File(_)
            )
        });
        if let Some((index, route)) = file_route {
            needs.push(Need::Contract(
                "static-file-store".to_owned(),
                Reason::intent(
                    format!("route {} serves embedded files", route.path),
                    intent.line_of(&format!("http.route.{index}")),
                ),
            ));
        }
        if intent.network.addressing == Some(Addressing::Dhcp) {
            needs.push(Need::Contract(
                "dhcp-client".to_owned(),
                Reason::intent("[network] ip = \"dhcp\"", intent.line_of("network.ip")),
            ));
        }
    }
    Request {
        needs,
        platform: Platform { machine, optimize },
    }
}
