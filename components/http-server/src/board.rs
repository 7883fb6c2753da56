//! The http-server component's contract with the board: the routes compiled into the image
//! and the [`Configuration`] (every field from component.toml or `[http]`) in; provides
//! `http-server`.
pub use crate::Configuration;
use crate::{Router, Server};

/// The server of the image.
pub const fn init(router: Router, configuration: Configuration) -> Server {
    Server::new(router, configuration)
}
