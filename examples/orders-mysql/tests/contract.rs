//! What the routes answer without the database (on the host no pool exists, as in a guest
//! booted without DATABASE_URL): bad requests get their own status first, valid ones 503 with
//! Retry-After. The transaction runs against a real MariaDB in
//! host/cli/tests/databases_end_to_end.rs.

use orders_mysql::{init, router, App};
use sauce_app::testing::{TestClient, TestResponse};
use serde_json::{json, Value};

fn client() -> TestClient<App> {
    TestClient::new(router(), init())
}

fn assert_json_error(response: &TestResponse, status: u16) {
    assert_eq!(response.status(), status, "{response:?}");
    assert!(response.json::<Value>()["error"].is_string());
}

#[test]
fn without_a_database_valid_requests_are_503_with_retry_after() {
    let client = client();
    let order =
        json!({"customer": "ada", "lines": [{"item": "tea", "quantity": 2, "price_cents": 350}]});
    for response in [
        client.get("/orders").send(),
        client.post("/orders").json(&order).send(),
        client.get("/orders/1").send(),
    ] {
        assert_json_error(&response, 503);
        assert_eq!(response.header("retry-after"), Some("5"));
    }
}

#[test]
fn bad_orders_are_refused_before_the_database_is_asked() {
    let client = client();
    let line = json!({"item": "tea", "quantity": 1, "price_cents": 1});
    for body in [
        json!({"customer": "", "lines": [line]}),
        json!({"customer": "a".repeat(101), "lines": [line]}),
        json!({"customer": "ada", "lines": []}),
        json!({"customer": "ada", "lines": vec![line.clone(); 51]}),
        json!({"customer": "ada", "lines": [{"item": "", "quantity": 1, "price_cents": 1}]}),
        json!({"customer": "ada", "lines": [{"item": "tea", "quantity": 1}]}),
        json!({"customer": "ada", "lines": [line], "paid": true}),
        json!([line]),
    ] {
        assert_json_error(&client.post("/orders").json(&body).send(), 422);
    }
    assert_json_error(&client.post("/orders").text("{").send(), 400);
    for path in ["/orders/x", "/orders/-1", "/orders/99999999999999999999"] {
        assert_json_error(&client.get(path).send(), 404);
    }
}
