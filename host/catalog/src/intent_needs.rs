//! What an intent needs: the intent's tables and keys → contracts and components, each with the
//! sauce.toml line that asked for it, and the platform it runs on.

use sauce_intent::{Addressing, Intent, RouteResponse, TcpService};

use crate::request::{Machine, Need, Optimize, Platform, Reason, Request};

/// The selection request for `intent` on `machine`.
pub fn request(intent: &Intent, machine: Machine) -> Request {
    let optimize = match intent.build.optimize {
        sauce_intent::Optimize::Size => Optimize::Size,
        sauce_intent::Optimize::Speed => Optimize::Speed,
    };
    let mut needs = Vec::new();
    if let Some(http) = &intent.http {
        needs.push(Need::Component(
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
    }
    if let Some(tcp) = &intent.tcp {
        let component = match tcp.service {
            TcpService::Echo => "echo-service",
        };
        needs.push(Need::Component(
            component.to_owned(),
            Reason::intent(
                format!("[tcp] service = \"{}\"", tcp.service.as_str()),
                intent.line_of("tcp.service"),
            ),
        ));
    }
    // Address, gateway and DHCP belong to the network, whichever service uses it: a service
    // of the intent, or a component `[build] components` lists that brings the stack in.
    if intent.network.addressing == Some(Addressing::Dhcp) {
        let reason = Reason::intent("[network] ip = \"dhcp\"", intent.line_of("network.ip"));
        needs.push(if intent.uses_network() {
            Need::Component("dhcp-client".to_owned(), reason)
        } else {
            Need::ComponentWith {
                component: "dhcp-client".to_owned(),
                when: "tcp-ip".to_owned(),
                reason,
            }
        });
    }
    if intent.app.code.is_some() {
        needs.push(Need::Component(
            "app-runtime".to_owned(),
            Reason::intent(
                "[app]: the app's own code",
                intent.line_of("app.code").or(intent.line_of("app.name")),
            ),
        ));
    }
    for (index, database) in intent.databases.iter().enumerate() {
        needs.extend(crate::rules::database_needs(
            database.kind.as_str(),
            &database.name,
            intent.line_of(&format!("database.{index}.kind")),
        ));
    }
    for (index, name) in intent.build.components.iter().enumerate() {
        needs.push(Need::Component(
            name.clone(),
            Reason::intent(
                format!("[build] components names `{name}`"),
                intent
                    .line_of(&format!("build.components.{index}"))
                    .or(intent.line_of("build.components")),
            ),
        ));
    }
    Request {
        needs,
        platform: Platform { machine, optimize },
    }
}
