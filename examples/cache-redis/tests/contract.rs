//! What the routes answer without Redis (on the host no pool exists, as in a guest booted
//! without REDIS_URL): 503 with Retry-After, never a pass from the limiter. The routes run
//! against a real Redis in host/cli/tests/databases_end_to_end.rs.

use cache_redis::router;
use sauce_app::testing::TestClient;
use serde_json::Value;

#[test]
fn without_redis_both_routes_are_503_with_retry_after() {
    let client = TestClient::new(router(), ());
    for path in ["/hits", "/limited"] {
        let response = client.get(path).send();
        assert_eq!(response.status(), 503, "{path}");
        assert_eq!(response.header("retry-after"), Some("5"));
        assert!(response.json::<Value>()["error"].is_string());
    }
    assert_eq!(client.post("/hits").send().status(), 405);
}
