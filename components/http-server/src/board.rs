//! The http-server component's contract with the board: the routes compiled into the image
//! and the [`Configuration`] (every field from component.toml or `[http]`), and the app's
//! routes when it has any, in; provides `http-server`.
pub use crate::Configuration;
use crate::{Router, Server};

/// The server of the image; the app's routes (`app-routes`, when the image has app code) are
/// answered by the app. `launched_at` is the command line's `sauce.time=` (the host's Unix
/// milliseconds when it launched the guest, about when the guest's clock started): with it
/// every response carries `Date`.
pub fn init(
    router: Router,
    app: Option<&'static dyn crate::AppRoutes>,
    configuration: Configuration,
    launched_at: Option<&str>,
) -> Server {
    let router = match app {
        Some(app) => router.with_app(app),
        None => router,
    };
    let server = Server::new(router, configuration);
    match launched_at.and_then(|text| text.parse::<u64>().ok()) {
        Some(offset_ms) => server.with_wall_clock(offset_ms),
        None => server,
    }
}
