//! sauce-postgres against a real Postgres server started by this test (tests/database-servers).
mod cases;
mod support;

use sauce_database_servers::PostgresServer;
use support::harness::{self, Case};

/// What every case gets: the shared server.
pub struct Context {
    server: PostgresServer,
}

fn main() {
    let cases: Vec<Case<Context>> = cases::all();
    let server = match PostgresServer::start() {
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
