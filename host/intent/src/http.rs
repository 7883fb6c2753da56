//! The `[http]` table of an intent: port, routes and their responses, the custom 404.

use std::path::PathBuf;

use serde::Serialize;

use crate::content_type::content_type_for;

/// Content type of `body` routes that do not name one.
pub const TEXT_CONTENT_TYPE: &str = "text/plain; charset=utf-8";
/// Content type of `json` routes that do not name one.
pub const JSON_CONTENT_TYPE: &str = "application/json";

/// The `[http]` table: present ⇒ the image is an HTTP service.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Http {
    /// `port`: the guest TCP port (default 80, 1..=65535).
    pub port: u16,
    /// `[[http.route]]`, in declaration order; at least one.
    pub routes: Vec<Route>,
    /// `[http.not_found]`: the page answering paths no route serves (default: a plain 404).
    pub not_found: Option<NotFound>,
    /// `max_connections`: connections served at once (1..=16384); `None` = the board's
    /// default. The image serves fewer when its memory does not hold them all.
    pub max_connections: Option<u16>,
    /// `[http.limits]`: limits and timeouts; absent keys keep the component's defaults.
    pub limits: crate::HttpLimits,
}

/// One `[[http.route]]`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Route {
    /// `path`, decoded (`%20` → space): an exact path `/x`, or a prefix `/x/*` or `/*`.
    pub path: String,
    /// What the route answers.
    pub response: RouteResponse,
    /// `content_type` as written; `None` = inferred (see [`Route::effective_content_type`]).
    pub content_type: Option<String>,
    /// `status`: 200 by default, 308 for a redirect.
    pub status: u16,
    /// `methods`, upper case, in the order written; empty: the default (`GET`, which answers
    /// `HEAD` too).
    pub methods: Vec<String>,
    /// `body_limit`: the largest request body a handler route accepts (413 beyond).
    pub body_limit: Option<u64>,
    /// `cache_control`: the `Cache-Control` header of the route's responses.
    pub cache_control: Option<String>,
}

/// The one response kind of a route.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "lowercase")]
pub enum RouteResponse {
    /// `body = "…"`: inline text.
    Body(String),
    /// `file = "…"`: one file, absolute and canonical, inside the project folder.
    File(PathBuf),
    /// `dir = "…"`: a folder, absolute and canonical, inside the project folder; only on a
    /// route whose path ends in `/*`.
    Dir(PathBuf),
    /// `json = …`: compact JSON text of the TOML value, keys in source order.
    Json(String),
    /// `redirect = "…"`: the `Location`, an absolute path `/…` or an `http(s)://` URL.
    Redirect(String),
    /// `handler = "…"`: a function of the app crate (`todos::item`) answers.
    Handler(String),
}

impl RouteResponse {
    /// The key that declares this kind in sauce.toml: `body`, `file`, `dir`, `json`, `redirect`.
    pub const fn key(&self) -> &'static str {
        match self {
            RouteResponse::Body(_) => "body",
            RouteResponse::File(_) => "file",
            RouteResponse::Dir(_) => "dir",
            RouteResponse::Json(_) => "json",
            RouteResponse::Redirect(_) => "redirect",
            RouteResponse::Handler(_) => "handler",
        }
    }

    /// The content type used when none is written: text for `body`, JSON for `json`, by
    /// extension for `file`; `None` for `dir` (each file's own) and `redirect` (no body).
    pub fn default_content_type(&self) -> Option<&'static str> {
        match self {
            RouteResponse::Body(_) => Some(TEXT_CONTENT_TYPE),
            RouteResponse::Json(_) => Some(JSON_CONTENT_TYPE),
            RouteResponse::File(path) => Some(content_type_for(path)),
            RouteResponse::Dir(_) | RouteResponse::Redirect(_) | RouteResponse::Handler(_) => None,
        }
    }
}

impl Route {
    /// The `Content-Type` this route sends: as written, else inferred; `None` for `dir` routes
    /// (the type of each file, see [`content_type_for`]) and redirects.
    pub fn effective_content_type(&self) -> Option<&str> {
        self.content_type
            .as_deref()
            .or_else(|| self.response.default_content_type())
    }

    /// The prefix a `…/*` route serves (`/static/` for `/static/*`); `None` for exact paths.
    pub fn prefix(&self) -> Option<&str> {
        prefix_of(&self.path)
    }
}

/// The prefix a path ending in `/*` serves: `/static/*` → `/static/`; `None` otherwise.
pub fn prefix_of(path: &str) -> Option<&str> {
    path.strip_suffix('*')
        .filter(|prefix| prefix.ends_with('/'))
}

/// `[http.not_found]`: the answer, with status 404, for a path no route serves.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NotFound {
    /// A [`RouteResponse::Body`], [`RouteResponse::File`] or [`RouteResponse::Json`].
    pub response: RouteResponse,
    /// `content_type` as written; `None` = inferred as for routes.
    pub content_type: Option<String>,
}

impl NotFound {
    /// The `Content-Type` of the 404 page: as written, else inferred.
    pub fn effective_content_type(&self) -> Option<&str> {
        self.content_type
            .as_deref()
            .or_else(|| self.response.default_content_type())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn route(path: &str, response: RouteResponse) -> Route {
        Route {
            path: path.to_owned(),
            response,
            content_type: None,
            status: 200,
            methods: Vec::new(),
            body_limit: None,
            cache_control: None,
        }
    }

    #[test]
    fn content_types_are_written_or_inferred() {
        let body = route("/", RouteResponse::Body("hi".to_owned()));
        assert_eq!(body.effective_content_type(), Some(TEXT_CONTENT_TYPE));
        let file = route("/a", RouteResponse::File(PathBuf::from("/p/a.css")));
        assert_eq!(
            file.effective_content_type(),
            Some("text/css; charset=utf-8")
        );
        let mut json = route("/j", RouteResponse::Json("{}".to_owned()));
        assert_eq!(json.effective_content_type(), Some(JSON_CONTENT_TYPE));
        json.content_type = Some("application/problem+json".to_owned());
        assert_eq!(
            json.effective_content_type(),
            Some("application/problem+json")
        );
        let dir = route("/s/*", RouteResponse::Dir(PathBuf::from("/p/s")));
        assert_eq!(dir.effective_content_type(), None);
        assert_eq!(dir.response.key(), "dir");
    }

    #[test]
    fn prefixes_end_in_slash_star() {
        assert_eq!(prefix_of("/static/*"), Some("/static/"));
        assert_eq!(prefix_of("/*"), Some("/"));
        assert_eq!(prefix_of("/a*"), None);
        assert_eq!(prefix_of("/a"), None);
    }
}
