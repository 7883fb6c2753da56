//! The contract's answers that do not need the database, through the test client: on the host
//! no pool exists (as in a guest booted without DATABASE_URL), so every valid request is 503
//! with Retry-After, while invalid ones get their own status first. The whole contract runs
//! against a real Postgres in host/cli/tests/databases_end_to_end.rs.

use notes_postgres::{init, router, App, BODY_LIMIT};
use sauce_app::testing::{TestClient, TestResponse};
use serde_json::{json, Value};

fn client() -> TestClient<App> {
    TestClient::new(router(), init())
}

fn assert_json_error(response: &TestResponse, status: u16) {
    assert_eq!(response.status(), status, "{response:?}");
    assert_eq!(response.header("content-type"), Some("application/json"));
    assert!(response.json::<Value>()["error"].is_string());
}

#[test]
fn without_a_database_valid_requests_are_503_with_retry_after() {
    let client = client();
    for response in [
        client.get("/notes").send(),
        client.post("/notes").json(&json!({"title": "milk"})).send(),
        client.get("/notes/1").send(),
        client.put("/notes/1").json(&json!({"title": "x"})).send(),
        client.patch("/notes/1").json(&json!({"done": true})).send(),
        client.delete("/notes/1").send(),
    ] {
        assert_json_error(&response, 503);
        assert_eq!(response.header("retry-after"), Some("5"));
    }
}

#[test]
fn bad_requests_are_answered_before_the_database_is_asked() {
    let client = client();
    for path in [
        "/notes/abc",
        "/notes/-1",
        "/notes/1.0",
        "/notes/99999999999999999999",
    ] {
        assert_json_error(&client.get(path).send(), 404);
        assert_json_error(&client.delete(path).send(), 404);
    }
    assert_json_error(&client.post("/notes").text("{").send(), 400);
    assert_json_error(&client.post("/notes").json(&json!(["milk"])).send(), 422);
    assert_json_error(&client.post("/notes").json(&json!({})).send(), 422);
    let long = "a".repeat(201);
    assert_json_error(
        &client.post("/notes").json(&json!({"title": long})).send(),
        422,
    );
    assert_json_error(
        &client
            .patch("/notes/1")
            .json(&json!({"title": null}))
            .send(),
        422,
    );
    let huge = "a".repeat(BODY_LIMIT + 1);
    assert_eq!(client.post("/notes").text(huge).send().status(), 413);
}
