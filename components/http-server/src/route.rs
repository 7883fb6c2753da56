//! Routes compiled into the image and the [`Router`] that picks one for a path.
use crate::files::FileStore;
use crate::method::Methods;
use crate::path;
use crate::response::Response;

/// What a route serves.
#[derive(Clone, Copy, Debug)]
pub enum Content {
    /// The same response for every request the route matches.
    Response(Response),
    /// A folder: the file a [`FileStore`] finds for the rest of the path after the route's
    /// prefix; a name not in the store gets the router's 404.
    Files(&'static dyn FileStore),
}

impl PartialEq for Content {
    /// Responses compare by value, stores by identity (the same static store).
    fn eq(&self, other: &Content) -> bool {
        match (self, other) {
            (Content::Response(one), Content::Response(other)) => one == other,
            (Content::Files(one), Content::Files(other)) => core::ptr::addr_eq(*one, *other),
            _ => false,
        }
    }
}

impl Eq for Content {}

/// One route: a path, the methods it allows, and what it serves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Route {
    /// An exact path (`/api/info`), or a prefix ending in `/*` (`/static/*` matches every path
    /// starting with `/static/`; `/*` matches every path). Stored decoded.
    pub path: &'static str,
    /// Methods answered; others get 405 with `Allow`. `GET` implies `HEAD`.
    pub methods: Methods,
    /// What the route serves.
    pub content: Content,
}

impl Route {
    /// A route serving one fixed response.
    pub const fn response(path: &'static str, methods: Methods, response: Response) -> Route {
        Route {
            path,
            methods,
            content: Content::Response(response),
        }
    }

    /// A route serving the files of `store` by the rest of the path (`path` should end in
    /// `/*`). The store is a `static`, such as the `static-files` component's `FileTable`.
    pub const fn files(
        path: &'static str,
        methods: Methods,
        store: &'static dyn FileStore,
    ) -> Route {
        Route {
            path,
            methods,
            content: Content::Files(store),
        }
    }

    /// The prefix a `…/*` route matches (`/static/` for `/static/*`); `None` for exact routes.
    pub fn prefix(&self) -> Option<&'static str> {
        self.path
            .strip_suffix('*')
            .filter(|prefix| prefix.ends_with('/'))
    }
}

/// Picks the route for a path among routes compiled into the image.
///
/// An exact route beats every prefix route; among prefix routes the longest prefix wins; among
/// equal candidates the first in the table wins. Lookup is a linear scan: route tables are
/// short, and a miss costs one comparison per route that stops at the first differing byte.
#[derive(Clone, Copy, Debug)]
pub struct Router {
    routes: &'static [Route],
    not_found: &'static Response,
    /// The app's routes, when the image has app code.
    app: Option<&'static dyn crate::app::AppRoutes>,
}

impl Router {
    /// A router over `routes` answering unknown paths with [`Response::NOT_FOUND`].
    pub const fn new(routes: &'static [Route]) -> Router {
        Router {
            routes,
            not_found: &Response::NOT_FOUND,
            app: None,
        }
    }

    /// This router handing the paths `app` answers to the app (after exact routes of the
    /// table, before its prefix routes).
    pub const fn with_app(self, app: &'static dyn crate::app::AppRoutes) -> Router {
        Router {
            app: Some(app),
            ..self
        }
    }

    /// The app's routes, if any.
    pub const fn app(&self) -> Option<&'static dyn crate::app::AppRoutes> {
        self.app
    }

    /// This router answering unknown paths (and unknown files of a folder) with `response`.
    pub const fn with_not_found(self, response: &'static Response) -> Router {
        Router {
            not_found: response,
            ..self
        }
    }

    /// The routes, in table order.
    pub const fn routes(&self) -> &'static [Route] {
        self.routes
    }

    /// The response for paths no route serves.
    pub const fn not_found(&self) -> &'static Response {
        self.not_found
    }

    /// The route serving `path` (raw, percent-escapes allowed) and the rest of the path after
    /// the route's prefix (empty for an exact route).
    pub fn find<'a>(&self, path: &'a [u8]) -> Option<(&'static Route, &'a [u8])> {
        let routes = self.routes;
        if let Some(exact) = routes.iter().find(|route| {
            route.prefix().is_none() && path::decoded_equals(path, route.path.as_bytes())
        }) {
            return Some((exact, &[]));
        }
        let mut best: Option<(&'static Route, &'a [u8], usize)> = None;
        for route in routes {
            let Some(prefix) = route.prefix() else {
                continue;
            };
            if best.is_some_and(|(_, _, length)| length >= prefix.len()) {
                continue;
            }
            if let Some(rest) = path::strip_decoded_prefix(path, prefix.as_bytes()) {
                best = Some((route, rest, prefix.len()));
            }
        }
        best.map(|(route, rest, _)| (route, rest))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::files::{FileAnswer, FileReply, FileRequest, LinearFiles};
    use crate::response::StaticFile;

    const TEXT: &str = "text/plain";
    static STORE: LinearFiles = LinearFiles(FILES);
    const FILES: &[StaticFile] = &[
        StaticFile {
            path: "index.html",
            content_type: "text/html",
            body: b"home",
            etag: None,
            last_modified: None,
            gzip: None,
        },
        StaticFile {
            path: "a/b.css",
            content_type: "text/css",
            body: b"b{}",
            etag: None,
            last_modified: None,
            gzip: None,
        },
        StaticFile {
            path: "a/index.html",
            content_type: "text/html",
            body: b"a",
            etag: None,
            last_modified: None,
            gzip: None,
        },
        StaticFile {
            path: "my file.txt",
            content_type: TEXT,
            body: b"spaced",
            etag: None,
            last_modified: None,
            gzip: None,
        },
    ];
    const ROUTES: &[Route] = &[
        Route::response("/*", Methods::GET, Response::new(200, TEXT, b"catch-all")),
        Route::response(
            "/static/special",
            Methods::GET,
            Response::new(200, TEXT, b"exact"),
        ),
        Route::files("/static/*", Methods::GET, &STORE),
        Route::response(
            "/static/deep/*",
            Methods::GET,
            Response::new(200, TEXT, b"deep"),
        ),
    ];

    fn body_of(path: &[u8]) -> Option<(&'static [u8], Vec<u8>)> {
        let (route, rest) = Router::new(ROUTES).find(path)?;
        let body = match route.content {
            Content::Response(response) => response.body,
            Content::Files(store) => match store.answer(FileRequest::new(rest)) {
                Some(FileAnswer::File(FileReply { file, .. })) => file.body,
                Some(FileAnswer::Folder) => b"folder",
                None => b"no file",
            },
        };
        Some((body, rest.to_vec()))
    }

    #[test]
    fn exact_beats_prefix_and_longest_prefix_wins() {
        assert_eq!(body_of(b"/static/special").unwrap().0, b"exact");
        assert_eq!(
            body_of(b"/static/deep/x").unwrap(),
            (&b"deep"[..], b"x".to_vec())
        );
        assert_eq!(
            body_of(b"/static/a/b.css").unwrap(),
            (&b"b{}"[..], b"a/b.css".to_vec())
        );
        assert_eq!(body_of(b"/elsewhere").unwrap().0, b"catch-all");
        assert_eq!(body_of(b"/static").unwrap().0, b"catch-all");
        assert!(Router::new(&ROUTES[1..]).find(b"/other").is_none());
    }

    #[test]
    fn folders_serve_index_and_decode_names() {
        assert_eq!(body_of(b"/static/").unwrap().0, b"home");
        assert_eq!(body_of(b"/static/a/").unwrap().0, b"a");
        assert_eq!(body_of(b"/static/my%20file.txt").unwrap().0, b"spaced");
        assert_eq!(body_of(b"/static/a%2Fb.css").unwrap().0, b"b{}");
        assert_eq!(body_of(b"/static/a").unwrap().0, b"no file");
        assert_eq!(body_of(b"/static/../secret").unwrap().0, b"no file");
    }

    #[test]
    fn prefixes_need_the_trailing_slash_star() {
        let route = Route::response("/weird*", Methods::GET, Response::NOT_FOUND);
        assert_eq!(route.prefix(), None);
        assert_eq!(ROUTES[0].prefix(), Some("/"));
    }

    #[test]
    fn routes_compare_stores_by_identity() {
        static OTHER: LinearFiles = LinearFiles(FILES);
        assert_eq!(ROUTES[2], Route::files("/static/*", Methods::GET, &STORE));
        assert_ne!(ROUTES[2], Route::files("/static/*", Methods::GET, &OTHER));
        assert_ne!(ROUTES[2], ROUTES[3]);
    }
}
