//! The webhook's contract through the test client: signed deliveries counted, the rest refused.

use sauce_app::testing::TestClient;
use serde_json::{json, Value};
use webhook::signature::sign;

const SECRET: &str = "a shared secret, given at run time";

fn client() -> TestClient<webhook::App> {
    let client = TestClient::new(webhook::router(), webhook::init());
    client.platform().set_env(webhook::SECRET_KEY, SECRET);
    client
}

fn accepted(client: &TestClient<webhook::App>) -> Value {
    let response = client.get("/webhook/count").send();
    assert_eq!(response.status(), 200);
    assert_eq!(response.header("cache-control"), Some("no-store"));
    response.json::<Value>()["accepted"].clone()
}

fn assert_json_error(response: &sauce_app::testing::TestResponse, status: u16) {
    assert_eq!(response.status(), status, "{}", response.text());
    assert_eq!(response.header("content-type"), Some("application/json"));
    assert!(response.json::<Value>()["error"].is_string());
}

#[test]
fn signed_deliveries_are_accepted_and_counted() {
    let client = client();
    assert_eq!(accepted(&client), json!(0));
    for (index, body) in [
        r#"{"event":"ping"}"#,
        r#"{"event": "push", "n": [1, 2]}"#,
        "[]",
    ]
    .into_iter()
    .enumerate()
    {
        let signature = sign(SECRET.as_bytes(), body.as_bytes());
        let response = client
            .post("/webhook")
            .header("X-Signature", &signature)
            .text(body)
            .send();
        assert_eq!(response.status(), 204, "{body}: {}", response.text());
        assert_eq!(accepted(&client), json!(index + 1));
    }
    // The GitHub form of the header, `sha256=<hex>`, upper-case hex too.
    let body = r#"{"event":"release"}"#;
    let signature = format!(
        "sha256={}",
        sign(SECRET.as_bytes(), body.as_bytes()).to_uppercase()
    );
    let response = client
        .post("/webhook")
        .header("x-signature", &signature)
        .text(body)
        .send();
    assert_eq!(response.status(), 204);
    assert_eq!(accepted(&client), json!(4));
}

#[test]
fn missing_malformed_and_wrong_signatures_are_401() {
    let client = client();
    let body = r#"{"event":"ping"}"#;
    assert_json_error(&client.post("/webhook").text(body).send(), 401);
    for signature in [
        "",
        "not hex",
        &sign(b"another secret", body.as_bytes()),
        &sign(SECRET.as_bytes(), br#"{"event":"pong"}"#),
        &"0".repeat(64),
    ] {
        let response = client
            .post("/webhook")
            .header("X-Signature", signature)
            .text(body)
            .send();
        assert_json_error(&response, 401);
    }
    assert_eq!(accepted(&client), json!(0));
    let log = client.platform().log_lines().join("\n");
    assert!(!log.contains(SECRET), "the secret is never logged:\n{log}");
}

#[test]
fn a_signed_body_that_is_not_json_is_400() {
    let client = client();
    let body = "event=ping";
    let response = client
        .post("/webhook")
        .header("X-Signature", &sign(SECRET.as_bytes(), body.as_bytes()))
        .text(body)
        .send();
    assert_json_error(&response, 400);
    assert_eq!(accepted(&client), json!(0));
}

#[test]
fn without_a_secret_nothing_is_accepted() {
    let client = client();
    client.platform().remove_env(webhook::SECRET_KEY);
    let body = r#"{"event":"ping"}"#;
    // Even a body signed with the empty key: an unset secret is not an empty one.
    let response = client
        .post("/webhook")
        .header("X-Signature", &sign(b"", body.as_bytes()))
        .text(body)
        .send();
    assert_json_error(&response, 503);
    client.platform().set_env(webhook::SECRET_KEY, "");
    let response = client
        .post("/webhook")
        .header("X-Signature", &sign(b"", body.as_bytes()))
        .text(body)
        .send();
    assert_json_error(&response, 503);
    assert_json_error(&client.post("/webhook").text(body).send(), 401);
    assert_eq!(accepted(&client), json!(0));
    assert!(client
        .platform()
        .log_lines()
        .iter()
        .any(|line| line.contains("WEBHOOK_SECRET is not set")));
}

#[test]
fn bodies_over_the_limit_and_other_methods_are_refused() {
    let client = client();
    let body = format!(r#"{{"padding":"{}"}}"#, "x".repeat(webhook::BODY_LIMIT));
    let response = client
        .post("/webhook")
        .header("X-Signature", &sign(SECRET.as_bytes(), body.as_bytes()))
        .text(body)
        .send();
    assert_eq!(response.status(), 413);
    assert_eq!(client.get("/webhook").send().status(), 405);
    assert_eq!(client.post("/webhook/count").send().status(), 405);
}
