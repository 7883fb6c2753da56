//! sauce-redis against a real Redis server started by this test (see support/server.rs).
mod cases;
mod support;

use support::harness::{self, Case};
use support::server::{binary, RedisServer};

/// What every case gets: the shared server and where its binary is.
pub struct Context {
    server: RedisServer,
    binary: std::path::PathBuf,
}

fn main() {
    let cases: Vec<Case<Context>> = cases::all();
    let Some(binary) = binary() else {
        harness::skip(
            "no redis-server on PATH (apt-get install redis-server)",
            cases.len(),
        );
        return;
    };
    let context = Context {
        server: RedisServer::start(&binary),
        binary,
    };
    let passed = harness::run(&cases, &context);
    drop(context);
    if !passed {
        std::process::exit(1);
    }
}
