//! Every selected component's `Configuration`, resolved: each `[config.<key>]` default of its
//! manifest, or the value of the intent key the entry names (`intent = "http.port"`), as a
//! typed value the board renders as a Rust literal with a comment saying where it came from.
//!
//! The manifest is the only place a default is written (record 0014); this module is the only
//! place an intent key reaches a component ([`intent_value`]).

use std::net::Ipv4Addr;

use serde::Serialize;

use sauce_catalog::{ComponentGraph, ConfigEntry, SelectedComponent};
use sauce_intent::{Addressing, Intent};

use crate::literal::{comment_safe, rust_string};

/// A configuration value, typed by its entry's `type`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    /// `integer`.
    Integer(i64),
    /// `size`, in bytes.
    Size(u64),
    /// `duration`, in milliseconds.
    Duration(u64),
    /// `boolean`.
    Boolean(bool),
    /// `string`.
    Text(String),
    /// `address`: a static address and prefix, or DHCP.
    Address(Option<(Ipv4Addr, u8)>),
    /// `gateway`: an address, or none.
    Gateway(Option<Ipv4Addr>),
}

impl Value {
    /// The value as a number, for memory planning (`Size`, `Integer`, `Duration`).
    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Value::Integer(number) => u64::try_from(*number).ok(),
            Value::Size(bytes) => Some(*bytes),
            Value::Duration(milliseconds) => Some(*milliseconds),
            _ => None,
        }
    }

    /// The value as a Rust expression of the field's type.
    pub fn rust(&self) -> String {
        match self {
            Value::Integer(number) => number.to_string(),
            Value::Size(bytes) | Value::Duration(bytes) => bytes.to_string(),
            Value::Boolean(value) => value.to_string(),
            Value::Text(text) => rust_string(text),
            Value::Address(None) => "sauce_tcp_ip::Addressing::Dhcp".to_owned(),
            Value::Address(Some((address, prefix))) => format!(
                "sauce_tcp_ip::Addressing::Static(sauce_tcp_ip::smoltcp::wire::Ipv4Cidr::new({}, {prefix}))",
                ipv4(*address)
            ),
            Value::Gateway(None) => "None".to_owned(),
            Value::Gateway(Some(address)) => format!("Some({})", ipv4(*address)),
        }
    }
}

fn ipv4(address: Ipv4Addr) -> String {
    let [a, b, c, d] = address.octets();
    format!("sauce_tcp_ip::smoltcp::wire::Ipv4Address::new({a}, {b}, {c}, {d})")
}

/// Why a manifest's default cannot be read as its type.
#[derive(Debug, thiserror::Error)]
#[error("components/{component}/component.toml: [config.{key}] default {default}: {problem}")]
pub struct ConfigurationError {
    /// The component.
    pub component: String,
    /// The entry.
    pub key: String,
    /// The default as written.
    pub default: String,
    /// What is wrong.
    pub problem: String,
}

/// A manifest value as it is written in TOML.
fn written(value: &toml::Value) -> String {
    match value {
        toml::Value::String(text) => format!("{text:?}"),
        toml::Value::Integer(number) => number.to_string(),
        toml::Value::Float(number) => number.to_string(),
        toml::Value::Boolean(value) => value.to_string(),
        other => format!("{other:?}"),
    }
}

/// A manifest default as its entry's type.
pub fn parse_default(entry: &ConfigEntry) -> Result<Value, String> {
    let text = entry.default.as_str();
    let integer = entry.default.as_integer();
    match (entry.kind.as_str(), text, integer) {
        ("integer", _, Some(number)) => Ok(Value::Integer(number)),
        ("size", _, Some(number)) => u64::try_from(number)
            .map(Value::Size)
            .map_err(|_| "a size cannot be negative".to_owned()),
        ("size", Some(text), _) => sauce_catalog::manifest::parse_size(&text.replace(' ', ""))
            .or_else(|| sauce_catalog::manifest::parse_size(text))
            .map(Value::Size)
            .ok_or_else(|| "expected a size such as \"8KiB\"".to_owned()),
        ("duration", Some(text), _) => sauce_intent::limits::parse_duration(text)
            .map(|milliseconds| Value::Duration(milliseconds.0))
            .ok_or_else(|| "expected a duration such as \"10s\"".to_owned()),
        ("boolean", _, _) => entry
            .default
            .as_bool()
            .map(Value::Boolean)
            .ok_or_else(|| "expected true or false".to_owned()),
        ("string", Some(text), _) => Ok(Value::Text(text.to_owned())),
        ("address", Some(text), _) if text.eq_ignore_ascii_case("dhcp") => Ok(Value::Address(None)),
        ("address", Some(text), _) => {
            let (address, prefix) = text
                .split_once('/')
                .ok_or_else(|| "expected \"a.b.c.d/prefix\" or \"dhcp\"".to_owned())?;
            let address = address
                .parse()
                .map_err(|_| format!("{address} is not an IPv4 address"))?;
            let prefix = prefix
                .parse()
                .ok()
                .filter(|prefix| (1..=32).contains(prefix))
                .ok_or_else(|| format!("{prefix} is not a prefix length"))?;
            Ok(Value::Address(Some((address, prefix))))
        }
        ("gateway", Some(text), _) if text.eq_ignore_ascii_case("none") => Ok(Value::Gateway(None)),
        ("gateway", Some(text), _) => text
            .parse()
            .map(|address| Value::Gateway(Some(address)))
            .map_err(|_| format!("{text} is not an IPv4 address")),
        (kind, _, _) => Err(format!("not a value of type `{kind}`")),
    }
}

/// The intent keys a manifest may name in `intent =`, and their values in `intent` (`None`:
/// the intent does not set it, the manifest's default holds). A new intent key that configures
/// a component is one arm here, plus the key in sauce-intent and `intent =` in the manifest.
pub const INTENT_KEYS: &[&str] = &[
    "http.port",
    "http.max_connections",
    "http.limits.header_size",
    "http.limits.body_size",
    "http.limits.header_timeout",
    "http.limits.body_timeout",
    "http.limits.minimum_body_rate",
    "http.limits.idle_timeout",
    "http.limits.send_timeout",
    "http.limits.pipelined_requests",
    "http.limits.connections_per_peer",
    "app.watchdog",
    "tcp.port",
    "tcp.max_connections",
    "network.ip",
    "network.gateway",
    "network.dns",
];

/// The value the intent gives `key`, if any; `None` for a key not in [`INTENT_KEYS`].
pub fn intent_value(intent: &Intent, key: &str) -> Option<Value> {
    let http = intent.http.as_ref();
    let limits = http.map(|http| &http.limits);
    let integer = |value: Option<u64>| {
        value
            .and_then(|value| i64::try_from(value).ok())
            .map(Value::Integer)
    };
    let duration =
        |value: Option<sauce_intent::Milliseconds>| value.map(|value| Value::Duration(value.0));
    match key {
        "http.port" => integer(http.map(|http| u64::from(http.port))),
        "http.max_connections" => {
            integer(http.and_then(|http| http.max_connections).map(u64::from))
        }
        "http.limits.header_size" => limits?.header_size.map(Value::Size),
        "http.limits.body_size" => limits?.body_size.map(Value::Size),
        "http.limits.header_timeout" => duration(limits?.header_timeout),
        "http.limits.body_timeout" => duration(limits?.body_timeout),
        "http.limits.minimum_body_rate" => limits?.minimum_body_rate.map(Value::Size),
        "http.limits.idle_timeout" => duration(limits?.idle_timeout),
        "http.limits.send_timeout" => duration(limits?.send_timeout),
        "http.limits.pipelined_requests" => integer(limits?.pipelined_requests.map(u64::from)),
        "http.limits.connections_per_peer" => integer(limits?.connections_per_peer.map(u64::from)),
        "app.watchdog" => intent
            .app
            .code
            .as_ref()
            .and_then(|code| code.watchdog)
            .map(|watchdog| Value::Duration(watchdog.0)),
        "tcp.port" => integer(intent.tcp.as_ref().map(|tcp| u64::from(tcp.port))),
        "tcp.max_connections" => integer(
            intent
                .tcp
                .as_ref()
                .and_then(|tcp| tcp.max_connections)
                .map(u64::from),
        ),
        "network.ip" => intent
            .network
            .addressing
            .map(|addressing| match addressing {
                Addressing::Static { address, prefix } => Value::Address(Some((address, prefix))),
                Addressing::Dhcp => Value::Address(None),
            }),
        // A gateway not given is none once `ip` is: the default gateway belongs to the default
        // address (QEMU user networking), and may not be in the subnet of another.
        "network.gateway" => match (intent.network.gateway, intent.network.addressing) {
            (Some(gateway), _) => Some(Value::Gateway(Some(gateway))),
            (None, Some(_)) => Some(Value::Gateway(None)),
            (None, None) => None,
        },
        // The servers as the component's `dns` text: addresses separated by commas.
        "network.dns" => intent.network.dns.as_ref().map(|servers| {
            Value::Text(
                servers
                    .iter()
                    .map(|server| server.to_string())
                    .collect::<Vec<_>>()
                    .join(","),
            )
        }),
        _ => None,
    }
}

/// `http.limits.header_size` as sauce.toml shows it: `[http.limits] header_size`.
fn key_as_written(key: &str) -> String {
    match key.rsplit_once('.') {
        Some((table, name)) => format!("[{table}] {name}"),
        None => key.to_owned(),
    }
}

/// One field of a component's configuration in the board.
#[derive(Clone, Debug, Serialize)]
pub struct FieldView {
    /// The field (the manifest's key).
    pub name: String,
    /// Its value, a Rust expression.
    pub value: String,
    /// Where the value comes from, comment-safe: `[http] port (sauce.toml:7)` or
    /// `component.toml default "8KiB"`.
    pub origin: String,
    /// The value, for planning; `None` for values that are not numbers.
    #[serde(skip)]
    pub number: Option<u64>,
}

/// One component's configuration constant.
#[derive(Clone, Debug, Serialize)]
pub struct ConfigurationView {
    /// The component.
    pub component: String,
    /// The constant's name (`HTTP_SERVER`).
    pub constant: String,
    /// Its type (`sauce_http_server::board::Configuration`).
    pub type_path: String,
    /// Every field, in the manifest's (alphabetical) order.
    pub fields: Vec<FieldView>,
}

/// The configuration of every selected component that has `[config.*]` entries.
pub fn resolve(
    intent: &Intent,
    graph: &ComponentGraph,
) -> Result<Vec<ConfigurationView>, ConfigurationError> {
    graph
        .components
        .iter()
        .filter(|component| !component.config.is_empty())
        .map(|component| resolve_component(intent, component))
        .collect()
}

fn resolve_component(
    intent: &Intent,
    component: &SelectedComponent,
) -> Result<ConfigurationView, ConfigurationError> {
    let fields = component
        .config
        .iter()
        .map(|(key, entry)| {
            let overridden = entry
                .intent
                .as_deref()
                .and_then(|intent_key| Some((intent_key, intent_value(intent, intent_key)?)));
            let (value, origin) = match overridden {
                Some((intent_key, value)) => {
                    let line = intent
                        .line_of(intent_key)
                        .map_or_else(String::new, |line| format!(" (sauce.toml:{line})"));
                    (value, format!("{}{line}", key_as_written(intent_key)))
                }
                None => {
                    let value = parse_default(entry).map_err(|problem| ConfigurationError {
                        component: component.name.clone(),
                        key: key.clone(),
                        default: written(&entry.default),
                        problem,
                    })?;
                    (
                        value,
                        format!("component.toml default {}", written(&entry.default)),
                    )
                }
            };
            Ok(FieldView {
                name: key.clone(),
                number: value.as_u64(),
                value: value.rust(),
                origin: comment_safe(&origin),
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(ConfigurationView {
        component: component.name.clone(),
        constant: sauce_catalog::ComponentManifest::configuration_constant_of(&component.name),
        type_path: format!("{}::board::Configuration", component.library),
        fields,
    })
}

/// The number a resolved `"<component>.<key>"` has, if that component is selected.
pub fn number_of(configurations: &[ConfigurationView], reference: &str) -> Option<u64> {
    let (component, key) = reference.split_once('.')?;
    configurations
        .iter()
        .find(|configuration| configuration.component == component)?
        .fields
        .iter()
        .find(|field| field.name == key)?
        .number
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(kind: &str, default: toml::Value) -> ConfigEntry {
        ConfigEntry {
            kind: kind.to_owned(),
            default,
            doc: String::new(),
            intent: None,
        }
    }

    #[test]
    fn defaults_read_as_their_types() {
        let text = |text: &str| toml::Value::String(text.to_owned());
        assert_eq!(
            parse_default(&entry("size", text("8KiB"))),
            Ok(Value::Size(8192))
        );
        assert_eq!(
            parse_default(&entry("duration", text("10s"))),
            Ok(Value::Duration(10_000))
        );
        assert_eq!(
            parse_default(&entry("integer", toml::Value::Integer(16))),
            Ok(Value::Integer(16))
        );
        assert_eq!(
            parse_default(&entry("address", text("10.0.2.15/24"))),
            Ok(Value::Address(Some((Ipv4Addr::new(10, 0, 2, 15), 24))))
        );
        assert_eq!(
            parse_default(&entry("gateway", text("none"))),
            Ok(Value::Gateway(None))
        );
        assert!(parse_default(&entry("size", text("eight"))).is_err());
        assert!(parse_default(&entry("integer", text("8"))).is_err());
        assert!(parse_default(&entry("address", text("10.0.2.15/33"))).is_err());
    }

    #[test]
    fn every_intent_key_named_is_a_key_of_the_intent_language() {
        for key in INTENT_KEYS {
            let mut parts: Vec<&str> = key.split('.').collect();
            let name = parts.pop().unwrap();
            let mut table = &sauce_intent::keys::DOCUMENT;
            for part in parts {
                table = match &table
                    .key(part)
                    .unwrap_or_else(|| panic!("{key}: no [{part}]"))
                    .kind
                {
                    sauce_intent::keys::Kind::Table(table) => table,
                    _ => panic!("{key}: {part} is not a table"),
                };
            }
            assert!(
                table.key(name).is_some(),
                "{key} is not a key of sauce.toml"
            );
        }
    }
}
