//! sauce-redis against a real Redis server started by this test (tests/database-servers).
mod cases;
mod support;

use sauce_database_servers::RedisServer;
use support::harness::{self, Case};

/// What every case gets: the shared server.
pub struct Context {
    server: RedisServer,
}

fn main() {
    let cases: Vec<Case<Context>> = cases::all();
    let server = match RedisServer::start() {
        Ok(server) => server,
        Err(missing) => return harness::skip(&missing, cases.len()),
    };
    let context = Context { server };
    let passed = harness::run(&cases, &context);
    drop(context);
    if !passed {
        std::process::exit(1);
    }
}
