//! The http-server component's contract with the board: the routes compiled into the image
//! and the [`Configuration`] (every field from component.toml or `[http]`), and the app's
//! routes when it has any, in; provides `http-server`.
pub use crate::Configuration;
use crate::{Router, Server};

/// The server of the image; the app's routes (`app-routes`, when the image has app code) are
/// answered by the app.
pub fn init(
    router: Router,
    app: Option<&'static dyn crate::AppRoutes>,
    configuration: Configuration,
) -> Server {
    let router = match app {
        Some(app) => router.with_app(app),
        None => router,
    };
    Server::new(router, configuration)
}
