//! Two compact worked examples for the system prompt: fixed responses only, and a route with
//! logic in an app crate. Tests check that the first passes the real intent checker and that
//! both read back through the reply parser and pass the security checks.

/// A description and the reply that answers it.
pub struct Example {
    /// What the user asked.
    pub description: &'static str,
    /// The reply, in the reply format.
    pub reply: &'static str,
}

/// Fixed responses: no code needed.
pub const STATIC: Example = Example {
    description: "a JSON API on port 8080: /api/info returns the service name and version, /info redirects there, unknown paths get a JSON 404",
    reply: r#"Plan: two routes with fixed answers and a redirect; no code needed.

```toml sauce.toml
[app]
name = "info-api"

[http]
port = 8080

[[http.route]]
path = "/api/info"
json = { service = "info-api", version = 1 }

[[http.route]]
path = "/info"
redirect = "/api/info"

[http.not_found]
json = { error = "not found" }
```

```probes
GET /api/info -> 200 application/json
GET /info -> 308
GET /nothing -> 404 application/json
```
"#,
};

/// A route with logic: state and a handler.
pub const CODE: Example = Example {
    description: "a counter: POST /count adds one and returns the new count, GET /count returns it",
    reply: r#"Plan: one handler route for GET and POST on /count, with the count in the app's state.

```toml sauce.toml
[app]
name = "counter"
code = "."
init = "init"

[http]
port = 80

[[http.route]]
path = "/count"
methods = ["GET", "POST"]
handler = "count"
```

```toml Cargo.toml
[package]
name = "counter"
version = "0.1.0"
edition = "2021"

[dependencies]
sauce-app = "0.1"
serde = { version = "1", default-features = false, features = ["derive", "alloc"] }
```

```rust src/lib.rs
#![no_std]
#![forbid(unsafe_code)]
//! A counter: POST /count adds one, GET /count reads it.

extern crate alloc;

use sauce_app::{Method, Request, Response, Result, Shared};
use serde::Serialize;

pub struct State {
    count: Shared<u64>,
}

pub fn init() -> State {
    State { count: Shared::new(0) }
}

#[derive(Serialize)]
struct Count {
    count: u64,
}

pub async fn count(request: Request, state: &'static State) -> Result {
    let count = if request.method() == Method::Post {
        state.count.with_mut(|count| {
            *count += 1;
            *count
        })
    } else {
        state.count.with(|count| *count)
    };
    Ok(Response::json(&Count { count }))
}
```

```probes
GET /count -> 200 application/json
POST /count -> 200 application/json
```
"#,
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reply::parse_reply;
    use crate::security::{check_sources, SecurityPolicy};

    #[test]
    fn the_static_example_checks() {
        let reply = parse_reply(STATIC.reply);
        assert!(reply.problems().is_empty(), "{}", reply.problems());
        assert_eq!(reply.probes.len(), 3);
        let intent = reply.files.text("sauce.toml").unwrap();
        let parsed = sauce_intent::parse(std::path::Path::new("/nonexistent/sauce.toml"), intent);
        assert!(parsed.is_ok(), "{parsed:?}");
    }

    #[test]
    fn the_code_example_passes_the_security_checks() {
        let reply = parse_reply(CODE.reply);
        assert!(reply.problems().is_empty(), "{}", reply.problems());
        assert_eq!(reply.files.len(), 3);
        assert_eq!(
            check_sources(&reply.files, &SecurityPolicy::default()),
            Vec::new()
        );
    }
}
