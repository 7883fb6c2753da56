//! The view the board template renders: the intent and the component graph turned into ready-made
//! Rust literals and comments, and each component's snippet rendered section by section
//! ([`crate::snippets`]), so templates only place text and never escape it.

use serde::Serialize;

use sauce_catalog::ComponentGraph;
use sauce_intent::{Intent, RouteResponse};

use crate::assets::{self, Asset, AssetError};
use crate::budget::{self, MemoryBudget};
use crate::configuration::{self, ConfigurationView};
use crate::literal::{comment_safe, comment_safe_path, rust_string};
use crate::snippets::{self, Sections};
use crate::GenerateError;

/// Everything the board template needs.
#[derive(Clone, Debug, Serialize)]
pub struct Board {
    /// `[app] name`.
    pub name: String,
    /// The sauce.toml path, comment-safe.
    pub manifest: String,
    /// The selected components, in initialisation order, their snippets rendered.
    pub components: Vec<ComponentView>,
    /// Every selected component's configuration constant.
    pub configurations: Vec<ConfigurationView>,
    /// The memory plan.
    pub budget: MemoryBudget,
    /// Whether a heap is selected (the board then uses `alloc`).
    pub heap: bool,
    /// The snippet section that never returns (the executor's run loop), when one is selected.
    pub finish: Option<String>,
    /// `sauce.toml:LINE` of `[app] name`.
    pub app_origin: String,
    /// Whether some snippet takes `&mut platform` (the board's parameter is then `mut`).
    pub platform_mutable: bool,
}

/// One selected component.
#[derive(Clone, Debug, Serialize)]
pub struct ComponentView {
    /// Its name.
    pub name: String,
    /// Its init stage.
    pub stage: &'static str,
    /// Why it is there, comment-safe.
    pub reason: String,
    /// Its snippet's sections.
    pub sections: Sections,
    /// The heap grows into the RAM left right after this one: the last to take DMA pages.
    pub grow_heap_after: bool,
}

/// The intent's `[http]` table as snippets render it (routes and files; every number is a
/// configuration field, see [`crate::configuration`]).
#[derive(Clone, Debug, Serialize)]
pub struct HttpView {
    /// The routes, in declaration order.
    pub routes: Vec<RouteView>,
    /// File tables of `file` and `dir` routes.
    pub tables: Vec<FileTableView>,
    /// `[http.not_found]`, as a Rust expression of type `Response`, when given.
    pub not_found: Option<String>,
    /// Where `[http]` is in sauce.toml, for comments.
    pub origin: String,
}

/// One route.
#[derive(Clone, Debug, Serialize)]
pub struct RouteView {
    /// `[[http.route]] path = "/…" (sauce.toml:LINE)`, comment-safe.
    pub comment: String,
    /// The path as a Rust literal.
    pub path: String,
    /// The fixed response, a Rust expression of type `Response`, for every kind but files.
    pub response: Option<String>,
    /// The index of its file table, for `file` and `dir`.
    pub table: Option<usize>,
}

/// The files of one `file` or `dir` route, sorted by path.
#[derive(Clone, Debug, Serialize)]
pub struct FileTableView {
    /// Its index.
    pub index: usize,
    /// `[[http.route]] … dir = "public"`, comment-safe.
    pub comment: String,
    /// The files.
    pub files: Vec<FileView>,
    /// `.with_headers(&[("Cache-Control", "…")])` for the route's `cache_control`, or empty.
    pub headers: String,
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
    /// `Last-Modified`: a Rust expression of type `Option<&str>`.
    pub last_modified: String,
    /// The gzip copy: a Rust expression of type `Option<Compressed>` (the bytes inline).
    pub gzip: String,
    /// The gzip copy's length, for the comment (0 without one).
    pub gzip_length: usize,
}

/// The board of `intent` with the components of `graph`.
pub fn board(intent: &Intent, graph: &ComponentGraph) -> Result<Board, GenerateError> {
    let configurations = configuration::resolve(intent, graph)?;
    let http = intent.http.as_ref().map(|_| http(intent)).transpose()?;
    let heap = graph
        .components
        .iter()
        .find(|component| component.provides.iter().any(|contract| contract == "heap"));
    // The heap grows after the last component that initialises before the protocols.
    let last_driver = graph
        .components
        .iter()
        .rposition(|component| component.stage <= sauce_catalog::Stage::Driver);
    let context = snippets::BoardContext {
        name: intent.app.name.to_string(),
        http,
        app: crate::app::view(intent),
        databases: crate::database::views(intent),
    };
    let rendered = snippets::render_all(graph, &configurations, &context)?;
    let components: Vec<ComponentView> = graph
        .components
        .iter()
        .zip(rendered)
        .enumerate()
        .map(|(index, (component, sections))| ComponentView {
            name: component.name.clone(),
            stage: component.stage.as_str(),
            reason: comment_safe(&component.reason.describe()),
            sections,
            grow_heap_after: heap.is_some() && Some(index) == last_driver,
        })
        .collect();
    let finishing: Vec<&ComponentView> = components
        .iter()
        .filter(|component| !component.sections.finish.is_empty())
        .collect();
    if finishing.len() > 1 {
        return Err(GenerateError::Contract(format!(
            "{} and {} both end the board (a `finish` section): only one may",
            finishing[0].name, finishing[1].name
        )));
    }
    let finish = finishing
        .first()
        .map(|component| component.sections.finish.clone());
    let budget = budget::for_graph(intent, graph, &configurations);
    let platform_mutable = components.iter().any(|component| {
        let sections = &component.sections;
        [
            &sections.init,
            &sections.grow,
            &sections.ready,
            &sections.run,
        ]
        .iter()
        .any(|text| text.contains("&mut platform"))
    });
    Ok(Board {
        platform_mutable,
        name: intent.app.name.to_string(),
        manifest: comment_safe_path(&intent.manifest_path),
        components,
        configurations,
        budget,
        heap: heap.is_some(),
        finish,
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
        if matches!(route.response, RouteResponse::Handler(_)) {
            continue;
        }
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
                    headers: with_headers(&cache_control(route)),
                });
                (None, Some(tables.len() - 1))
            }
            None => (
                Some(response(
                    &route.response,
                    route.content_type.as_deref(),
                    route.status,
                    &cache_control(route),
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
        .map(|not_found| {
            response(
                &not_found.response,
                not_found.content_type.as_deref(),
                404,
                &[],
            )
        })
        .transpose()?;
    Ok(HttpView {
        routes,
        tables,
        not_found,
        origin: origin(intent, "http"),
    })
}

/// The route's `Cache-Control` header field, as Rust literals, when it has one.
fn cache_control(route: &sauce_intent::Route) -> Vec<(String, String)> {
    route
        .cache_control
        .iter()
        .map(|value| (rust_string("Cache-Control"), rust_string(value)))
        .collect()
}

/// `.with_headers(&[(name, value), …])` for header fields given as Rust literals; empty for
/// none.
fn with_headers(headers: &[(String, String)]) -> String {
    if headers.is_empty() {
        return String::new();
    }
    let fields: Vec<String> = headers
        .iter()
        .map(|(name, value)| format!("({name}, {value})"))
        .collect();
    format!(".with_headers(&[{}])", fields.join(", "))
}

/// A fixed response as a Rust expression of type `sauce_http_server::Response`, with the
/// header fields `extra` (Rust literals) after its own.
fn response(
    kind: &RouteResponse,
    content_type: Option<&str>,
    status: u16,
    extra: &[(String, String)],
) -> Result<String, AssetError> {
    let typed = |default: &str| rust_string(content_type.unwrap_or(default));
    let (content_type, body, location) = match kind {
        RouteResponse::Body(text) => (
            typed("text/plain; charset=utf-8"),
            format!("{}.as_bytes()", rust_string(text)),
            None,
        ),
        RouteResponse::Json(text) => (
            typed("application/json"),
            format!("{}.as_bytes()", rust_string(text)),
            None,
        ),
        RouteResponse::Redirect(target) => (
            typed("text/plain; charset=utf-8"),
            "b\"\"".to_owned(),
            Some(rust_string(target)),
        ),
        RouteResponse::File(path) => {
            let asset = assets::file(path, String::new())?;
            (
                typed(asset.content_type),
                format!(
                    "include_bytes!({})",
                    rust_string(&path.display().to_string())
                ),
                None,
            )
        }
        RouteResponse::Dir(_) => unreachable!("dir routes become file tables"),
        RouteResponse::Handler(_) => unreachable!("handler routes are the app router's"),
    };
    let mut headers: Vec<(String, String)> = location
        .map(|location| (rust_string("Location"), location))
        .into_iter()
        .collect();
    headers.extend_from_slice(extra);
    let headers = with_headers(&headers);
    Ok(format!(
        "sauce_http_server::Response::new({status}, {content_type}, {body}){headers}"
    ))
}

fn file_view(asset: &Asset) -> FileView {
    FileView {
        path: rust_string(&asset.relative_path),
        content_type: rust_string(asset.content_type),
        include: rust_string(&asset.absolute_path.display().to_string()),
        length: asset.length,
        etag: rust_string(&asset.etag),
        last_modified: asset.last_modified.as_deref().map_or_else(
            || "None".to_owned(),
            |date| format!("Some({})", rust_string(date)),
        ),
        gzip: asset.gzip.as_deref().map_or_else(
            || "None".to_owned(),
            |bytes| {
                format!(
                    "Some(sauce_http_server::response::Compressed {{ body: {}, etag: {} }})",
                    crate::assets::compression::byte_string_literal(bytes),
                    rust_string(&asset.gzip_etag())
                )
            },
        ),
        gzip_length: asset.gzip.as_ref().map_or(0, Vec::len),
    }
}
