//! The view the templates render: the intent and the component graph turned into ready-made
//! Rust literals and comments, so templates only place text and never escape it.

use std::net::Ipv4Addr;

use serde::Serialize;

use sauce_catalog::ComponentGraph;
use sauce_intent::{Addressing, Intent, RouteResponse};

use crate::assets::{self, Asset, AssetError};
use crate::budget::{self, MemoryBudget};
use crate::literal::{comment_safe, comment_safe_path, rust_string};

/// Each socket's receive buffer.
pub const RECEIVE_BUFFER: u64 = 2 * 1024;
/// Each socket's send buffer: response bytes in flight per connection.
pub const SEND_BUFFER: u64 = 4 * 1024;
/// Connections served at once when `[http] max_connections` is not given.
pub const DEFAULT_MAX_CONNECTIONS: u64 = 128;
/// The address QEMU's user networking expects when `[network]` says nothing.
pub const DEFAULT_ADDRESS: (Ipv4Addr, u8) = (Ipv4Addr::new(10, 0, 2, 15), 24);
/// QEMU user networking's gateway.
pub const DEFAULT_GATEWAY: Ipv4Addr = Ipv4Addr::new(10, 0, 2, 2);

/// Everything a board template needs.
#[derive(Clone, Debug, Serialize)]
pub struct Board {
    /// `[app] name`.
    pub name: String,
    /// The sauce.toml path, comment-safe.
    pub manifest: String,
    /// The selected components, in initialisation order.
    pub components: Vec<ComponentView>,
    /// Their names, for templates that adapt to a neighbour (`"virtio-pci" in board.names`).
    pub names: Vec<String>,
    /// The memory plan.
    pub budget: MemoryBudget,
    /// The heap component's library, when one is selected.
    pub heap: Option<String>,
    /// The heap component's name (its template grows the heap after the drivers).
    pub heap_component: Option<String>,
    /// The HTTP service, when `[http]` is present.
    pub http: Option<HttpView>,
    /// `sauce.toml:LINE` of `[app] name`.
    pub app_origin: String,
}

/// One selected component.
#[derive(Clone, Debug, Serialize)]
pub struct ComponentView {
    /// Its name; its template is `components/<name>.rs.j2`.
    pub name: String,
    /// Its init stage.
    pub stage: &'static str,
    /// Its library name.
    pub library: String,
    /// Why it is there, comment-safe.
    pub reason: String,
    /// The heap grows into the RAM left, and the components plan their memory, right after
    /// this one: the last to take DMA pages.
    pub grow_heap_after: bool,
}

/// The `[http]` table, ready to render.
#[derive(Clone, Debug, Serialize)]
pub struct HttpView {
    /// `port`.
    pub port: u16,
    /// Connections served at once.
    pub max_connections: u64,
    /// Connections one peer address may hold (0: no separate cap).
    pub connections_per_peer: u64,
    /// `Configuration` fields the intent sets (`[http.limits]`), as Rust expressions.
    pub limits: Vec<LimitView>,
    /// Each socket's receive buffer.
    pub receive_buffer: u64,
    /// Each socket's send buffer.
    pub send_buffer: u64,
    /// The routes, in declaration order.
    pub routes: Vec<RouteView>,
    /// File tables of `dir` routes.
    pub tables: Vec<FileTableView>,
    /// `[http.not_found]`, when given.
    pub not_found: Option<ResponseView>,
    /// The static address or DHCP, as a Rust expression of type `sauce_tcp_ip::Addressing`:
    /// typed constants, so the guest parses no address text at boot.
    pub address: String,
    /// The gateway, as a Rust expression of type `Option<Ipv4Address>`.
    pub gateway: String,
    /// Whether the address comes from DHCP.
    pub dhcp: bool,
    /// Where `[http]` and `[network]` are in sauce.toml, for comments.
    pub origin: String,
}

/// One field of the server's `Configuration`.
#[derive(Clone, Debug, Serialize)]
pub struct LimitView {
    /// The field's name.
    pub name: &'static str,
    /// Its value, a Rust expression.
    pub value: String,
}

/// One route.
#[derive(Clone, Debug, Serialize)]
pub struct RouteView {
    /// `[[http.route]] path = "/…" (sauce.toml:LINE)`, comment-safe.
    pub comment: String,
    /// The path as a Rust literal.
    pub path: String,
    /// The fixed response, for every kind but `dir`.
    pub response: Option<ResponseView>,
    /// The index of its file table, for `dir`.
    pub table: Option<usize>,
}

/// A fixed response.
#[derive(Clone, Debug, Serialize)]
pub struct ResponseView {
    /// The status code.
    pub status: u16,
    /// `Content-Type` as a Rust literal.
    pub content_type: String,
    /// A Rust expression of type `&'static [u8]`.
    pub body: String,
    /// `Location` as a Rust literal, for redirects.
    pub location: Option<String>,
}

/// The files of one `dir` route, sorted by path.
#[derive(Clone, Debug, Serialize)]
pub struct FileTableView {
    /// Its index: the table is `FILES_<index>`.
    pub index: usize,
    /// `[[http.route]] … dir = "public"`, comment-safe.
    pub comment: String,
    /// The files.
    pub files: Vec<FileView>,
}

/// One embedded file.
#[derive(Clone, Debug, Serialize)]
pub struct FileView {
    /// Path below the route's prefix, as a Rust literal.
    pub path: String,
    /// `Content-Type`, as a Rust literal.
    pub content_type: String,
    /// Its absolute path, as a Rust literal for `include_bytes!`.
    pub include: String,
    /// Its length, for the comment.
    pub length: u64,
    /// `ETag`, as a Rust literal.
    pub etag: String,
}

/// The board of `intent` with the components of `graph`.
pub fn board(intent: &Intent, graph: &ComponentGraph) -> Result<Board, AssetError> {
    let heap_component = graph
        .components
        .iter()
        .find(|component| component.provides.iter().any(|contract| contract == "heap"));
    // The heap grows after the last component that initialises before the network stage.
    let last_early = graph
        .components
        .iter()
        .rposition(|component| component.stage <= sauce_catalog::Stage::Driver);
    let components = graph
        .components
        .iter()
        .enumerate()
        .map(|(index, component)| ComponentView {
            name: component.name.clone(),
            stage: component.stage.as_str(),
            library: component.library.clone(),
            reason: comment_safe(&component.reason.describe()),
            grow_heap_after: heap_component.is_some() && Some(index) == last_early,
        })
        .collect();
    let heap = heap_component.map(|component| component.library.clone());
    let http = intent.http.as_ref().map(|_| http(intent)).transpose()?;
    let budget = budget::for_intent(intent);
    Ok(Board {
        name: intent.app.name.to_string(),
        manifest: comment_safe_path(&intent.manifest_path),
        names: graph
            .components
            .iter()
            .map(|component| component.name.clone())
            .collect(),
        components,
        budget,
        heap,
        heap_component: heap_component.map(|component| component.name.clone()),
        http,
        app_origin: origin(intent, "app.name"),
    })
}

/// `sauce.toml:LINE` for `key`, or `sauce.toml` when the intent does not hold it.
fn origin(intent: &Intent, key: &str) -> String {
    intent.line_of(key).map_or_else(
        || "sauce.toml".to_owned(),
        |line| format!("sauce.toml:{line}"),
    )
}

fn http(intent: &Intent) -> Result<HttpView, AssetError> {
    let http = intent.http.as_ref().expect("called for [http] intents");
    let mut routes = Vec::new();
    let mut tables = Vec::new();
    for (index, route) in http.routes.iter().enumerate() {
        let comment = comment_safe(&format!(
            "[[http.route]] path = {:?} ({})",
            route.path,
            origin(intent, &format!("http.route.{index}"))
        ));
        let files = match &route.response {
            RouteResponse::Dir(folder) => Some(assets::folder(folder)?),
            RouteResponse::File(file) => Some(vec![assets::file(file, String::new())?]),
            _ => None,
        };
        let (response, table) = match files {
            Some(files) => {
                tables.push(FileTableView {
                    index: tables.len(),
                    comment: comment.clone(),
                    files: files.iter().map(file_view).collect(),
                });
                (None, Some(tables.len() - 1))
            }
            None => (
                Some(response(
                    &route.response,
                    route.content_type.as_deref(),
                    route.status,
                )?),
                None,
            ),
        };
        routes.push(RouteView {
            comment,
            path: rust_string(&route.path),
            response,
            table,
        });
    }
    let not_found = http
        .not_found
        .as_ref()
        .map(|not_found| response(&not_found.response, not_found.content_type.as_deref(), 404))
        .transpose()?;
    let max_connections = http
        .max_connections
        .map_or(DEFAULT_MAX_CONNECTIONS, u64::from);
    let (address, dhcp) = match &intent.network.addressing {
        Some(Addressing::Static { address, prefix }) => (static_address(*address, *prefix), false),
        Some(Addressing::Dhcp) => ("sauce_tcp_ip::Addressing::Dhcp".to_owned(), true),
        None => (static_address(DEFAULT_ADDRESS.0, DEFAULT_ADDRESS.1), false),
    };
    let gateway = match (&intent.network.gateway, &intent.network.addressing) {
        (Some(gateway), _) => format!("Some({})", ipv4_address(*gateway)),
        (None, None) => format!("Some({})", ipv4_address(DEFAULT_GATEWAY)),
        (None, Some(_)) => "None".to_owned(),
    };
    Ok(HttpView {
        port: http.port,
        max_connections,
        connections_per_peer: http.limits.connections_per_peer.map_or(0, u64::from),
        limits: limit_views(&http.limits),
        receive_buffer: RECEIVE_BUFFER,
        send_buffer: SEND_BUFFER,
        routes,
        tables,
        not_found,
        address,
        gateway,
        dhcp,
        origin: origin(intent, "http"),
    })
}

/// The `Configuration` fields `[http.limits]` sets, in the struct's order.
fn limit_views(limits: &sauce_intent::HttpLimits) -> Vec<LimitView> {
    let milliseconds =
        |value: Option<sauce_intent::Milliseconds>| value.map(|value| value.0.to_string());
    let fields = [
        (
            "header_limit",
            limits.header_size.map(|bytes| bytes.to_string()),
        ),
        (
            "body_limit",
            limits.body_size.map(|bytes| bytes.to_string()),
        ),
        ("request_timeout_ms", milliseconds(limits.header_timeout)),
        ("body_timeout_ms", milliseconds(limits.body_timeout)),
        (
            "minimum_body_rate",
            limits.minimum_body_rate.map(|bytes| bytes.to_string()),
        ),
        ("idle_timeout_ms", milliseconds(limits.idle_timeout)),
        ("send_timeout_ms", milliseconds(limits.send_timeout)),
        (
            "max_pipelined",
            limits.pipelined_requests.map(|count| count.to_string()),
        ),
    ];
    fields
        .into_iter()
        .filter_map(|(name, value)| {
            Some(LimitView {
                name,
                value: value?,
            })
        })
        .collect()
}

fn response(
    kind: &RouteResponse,
    content_type: Option<&str>,
    status: u16,
) -> Result<ResponseView, AssetError> {
    let typed = |default: &str| rust_string(content_type.unwrap_or(default));
    Ok(match kind {
        RouteResponse::Body(text) => ResponseView {
            status,
            content_type: typed("text/plain; charset=utf-8"),
            body: format!("{}.as_bytes()", rust_string(text)),
            location: None,
        },
        RouteResponse::Json(text) => ResponseView {
            status,
            content_type: typed("application/json"),
            body: format!("{}.as_bytes()", rust_string(text)),
            location: None,
        },
        RouteResponse::Redirect(target) => ResponseView {
            status,
            content_type: typed("text/plain; charset=utf-8"),
            body: "b\"\"".to_owned(),
            location: Some(rust_string(target)),
        },
        RouteResponse::File(path) => {
            let asset = assets::file(path, String::new())?;
            ResponseView {
                status,
                content_type: typed(asset.content_type),
                body: format!(
                    "include_bytes!({})",
                    rust_string(&path.display().to_string())
                ),
                location: None,
            }
        }
        RouteResponse::Dir(_) => unreachable!("dir routes become file tables"),
    })
}

fn file_view(asset: &Asset) -> FileView {
    FileView {
        path: rust_string(&asset.relative_path),
        content_type: rust_string(asset.content_type),
        include: rust_string(&asset.absolute_path.display().to_string()),
        length: asset.length,
        etag: rust_string(&asset.etag),
    }
}

/// `address` as a smoltcp address expression.
fn ipv4_address(address: Ipv4Addr) -> String {
    let [a, b, c, d] = address.octets();
    format!("sauce_tcp_ip::smoltcp::wire::Ipv4Address::new({a}, {b}, {c}, {d})")
}

/// A static `Addressing` expression for `address`/`prefix`.
fn static_address(address: Ipv4Addr, prefix: u8) -> String {
    format!("sauce_tcp_ip::Addressing::Static(sauce_tcp_ip::smoltcp::wire::Ipv4Cidr::new({}, {prefix}))", ipv4_address(address))
}
