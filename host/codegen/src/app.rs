//! The app's own code as the board wires it: its crate's package, its state's `init`, its
//! handler routes (`sauce_app::Route`s), its periodic tasks and its `[app.env]` defaults, as
//! ready-made Rust text for the app-runtime component's snippet.

use std::path::Path;

use serde::Serialize;

use sauce_intent::{Intent, RouteResponse};

use crate::literal::{comment_safe, rust_string};

/// The app crate is a dependency of the board under this name: handlers are `app::…`.
pub const CRATE_ALIAS: &str = "app";

/// What the snippet places.
#[derive(Clone, Debug, Serialize)]
pub struct AppView {
    /// `app::init()`, or `()` without `init`.
    pub init_call: String,
    /// Where the state comes from, comment-safe.
    pub init_comment: String,
    /// The handler routes.
    pub routes: Vec<HandlerRouteView>,
    /// The periodic tasks.
    pub every: Vec<EveryView>,
    /// `[app.env]` defaults as Rust string literals.
    pub env: Vec<EnvView>,
}

/// One handler route.
#[derive(Clone, Debug, Serialize)]
pub struct HandlerRouteView {
    /// `[[http.route]] path = "…" (sauce.toml:LINE)`, comment-safe.
    pub comment: String,
    /// The pattern as a Rust literal.
    pub path: String,
    /// `sauce_app::Method::Get, …`.
    pub methods: String,
    /// `app::todos::item`.
    pub handler: String,
    /// `.body_limit(4096).cache_control("…")`, or empty.
    pub options: String,
}

/// One periodic task.
#[derive(Clone, Debug, Serialize)]
pub struct EveryView {
    /// `[[app.every]] task = "…" (sauce.toml:LINE)`, comment-safe.
    pub comment: String,
    /// The period.
    pub seconds: u32,
    /// `app::stats::tick`.
    pub task: String,
}

/// One `[app.env]` default.
#[derive(Clone, Debug, Serialize)]
pub struct EnvView {
    /// The key, a Rust literal.
    pub key: String,
    /// The value, a Rust literal.
    pub value: String,
}

/// The app view of `intent`, when it has app code.
pub fn view(intent: &Intent) -> Option<AppView> {
    let code = intent.app.code.as_ref()?;
    let line = |key: &str| {
        intent
            .line_of(key)
            .map_or_else(String::new, |line| format!(" (sauce.toml:{line})"))
    };
    let (init_call, init_comment) = match &code.init {
        Some(init) => (
            format!("{CRATE_ALIAS}::{init}()"),
            format!("[app] init = {init:?}{}", line("app.init")),
        ),
        None => (
            "()".to_owned(),
            "no [app] init: handlers take no state".to_owned(),
        ),
    };
    let routes = intent
        .http
        .iter()
        .flat_map(|http| http.routes.iter().enumerate())
        .filter_map(|(index, route)| {
            let RouteResponse::Handler(handler) = &route.response else {
                return None;
            };
            let methods: Vec<&str> = if route.methods.is_empty() {
                vec!["GET"]
            } else {
                route.methods.iter().map(String::as_str).collect()
            };
            let methods = methods
                .iter()
                .map(|method| format!("sauce_app::Method::{}", method_variant(method)))
                .collect::<Vec<_>>()
                .join(", ");
            let mut options = String::new();
            if let Some(limit) = route.body_limit {
                options.push_str(&format!(".body_limit({limit})"));
            }
            if let Some(value) = &route.cache_control {
                options.push_str(&format!(".cache_control({})", rust_string(value)));
            }
            Some(HandlerRouteView {
                comment: comment_safe(&format!(
                    "[[http.route]] path = {:?}{}",
                    route.path,
                    line(&format!("http.route.{index}"))
                )),
                path: rust_string(&route.path),
                methods,
                handler: format!("{CRATE_ALIAS}::{handler}"),
                options,
            })
        })
        .collect();
    let every = intent
        .app
        .every
        .iter()
        .enumerate()
        .map(|(index, task)| EveryView {
            comment: comment_safe(&format!(
                "[[app.every]] task = {:?}, every {} s{}",
                task.task,
                task.seconds,
                line(&format!("app.every.{index}"))
            )),
            seconds: task.seconds,
            task: format!("{CRATE_ALIAS}::{}", task.task),
        })
        .collect();
    let env = intent
        .app
        .env
        .iter()
        .map(|pair| EnvView {
            key: rust_string(&pair.key),
            value: rust_string(&pair.value),
        })
        .collect();
    Some(AppView {
        init_call,
        init_comment: comment_safe(&init_comment),
        routes,
        every,
        env,
    })
}

/// `Get` for `GET`.
fn method_variant(method: &str) -> String {
    let lower = method.to_ascii_lowercase();
    let mut characters = lower.chars();
    characters
        .next()
        .map(|first| first.to_ascii_uppercase().to_string() + characters.as_str())
        .unwrap_or_default()
}

/// The app crate's package name, read from its Cargo.toml (`None` when unreadable).
pub fn package_name(folder: &Path) -> Option<String> {
    let text = std::fs::read_to_string(folder.join("Cargo.toml")).ok()?;
    let manifest: toml::Table = toml::from_str(&text).ok()?;
    Some(manifest.get("package")?.get("name")?.as_str()?.to_owned())
}
