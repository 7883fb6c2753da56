//! [`AppRouter`]: the app's router as the HTTP server sees it.
use sauce_app::{Method, Router};
use sauce_http_server::{AppRoute, AppRoutes};

/// The app's routes, answering the server's question: is this path the app's?
pub struct AppRouter<S: 'static> {
    router: &'static Router<S>,
}

impl<S: 'static> AppRouter<S> {
    /// The routes of `router`.
    pub fn new(router: &'static Router<S>) -> AppRouter<S> {
        AppRouter { router }
    }
}

/// The app API's method for the server's.
pub fn method_of(method: sauce_http_server::Method) -> Method {
    use sauce_http_server::Method as Server;
    match method {
        Server::Get => Method::Get,
        Server::Head => Method::Head,
        Server::Post => Method::Post,
        Server::Put => Method::Put,
        Server::Patch => Method::Patch,
        Server::Delete => Method::Delete,
        Server::Options => Method::Options,
        Server::Connect | Server::Trace => {
            Method::from_token(method.as_str().as_bytes()).unwrap_or(Method::Get)
        }
    }
}

// The router is only read after boot, on one core.
impl<S: 'static> AppRoutes for AppRouter<S>
where
    Router<S>: Sync,
{
    fn route(&self, method: sauce_http_server::Method, path: &[u8]) -> Option<AppRoute> {
        // The server allows only ASCII in targets: without escapes, the path is its decoded
        // form already.
        let (route, limit) = if path.contains(&b'%') {
            let decoded = sauce_app::decode_path(path);
            self.router.lookup(method_of(method), &decoded)?
        } else {
            self.router.lookup_ascii(method_of(method), path)?
        };
        Some(AppRoute {
            body_limit: limit.map(|limit| limit as u64),
            route,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sauce_app::{handler, Request, Response, Result, Route};

    async fn hello(_request: Request) -> Result {
        Ok(Response::text("hi"))
    }

    #[test]
    fn the_server_learns_which_paths_and_limits_are_the_apps() {
        let router: &'static Router<()> = Box::leak(Box::new(
            Router::new()
                .add_route(
                    Route::new("/todos/{id}", &[Method::Put], handler!(hello)).body_limit(10),
                )
                .route("/caf\u{e9}", &[Method::Get], handler!(hello)),
        ));
        let routes = AppRouter::new(router);
        let put = sauce_http_server::Method::Put;
        let get = sauce_http_server::Method::Get;
        assert_eq!(
            routes.route(put, b"/todos/7"),
            Some(AppRoute {
                body_limit: Some(10),
                route: 0
            })
        );
        assert_eq!(
            routes.route(get, b"/todos/7"),
            Some(AppRoute {
                body_limit: None,
                route: 0
            })
        );
        assert_eq!(
            routes.route(get, b"/caf%C3%A9"),
            Some(AppRoute {
                body_limit: None,
                route: 1
            })
        );
        assert_eq!(routes.route(get, b"/elsewhere"), None);
    }

    #[test]
    fn every_server_method_maps_to_the_same_token() {
        for method in sauce_http_server::Method::ALL {
            assert_eq!(method_of(method).as_str(), method.as_str());
        }
    }
}
