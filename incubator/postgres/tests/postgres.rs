//! sauce-postgres against a real Postgres server started by this test (see support/server.rs).
mod cases;
mod support;

use support::harness::{self, Case};
use support::server::{binaries, PostgresServer};

/// What every case gets: the shared server and where its binaries are.
pub struct Context {
    server: PostgresServer,
    binaries: std::path::PathBuf,
}

fn main() {
    let cases: Vec<Case<Context>> = cases::all();
    let Some(binaries) = binaries() else {
        harness::skip(
            "no Postgres server binary under /usr/lib/postgresql (apt-get install postgresql)",
            cases.len(),
        );
        return;
    };
    let context = Context {
        server: PostgresServer::start(&binaries),
        binaries,
    };
    let passed = harness::run(&cases, &context);
    drop(context);
    if !passed {
        std::process::exit(1);
    }
}
