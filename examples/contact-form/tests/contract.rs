//! The form handler through the test client: kept messages, 303, and the 422s.

use sauce_app::testing::TestClient;
use serde_json::{json, Value};

fn client() -> TestClient<contact_form::App> {
    TestClient::new(contact_form::router(), contact_form::init())
}

#[test]
fn a_posted_form_is_kept_and_answered_with_303_to_thanks() {
    let client = client();
    let response = client
        .post("/contact")
        .form(&[
            ("name", "Ada Lovelace"),
            ("message", "Hello & thanks, 100% = 1!"),
        ])
        .send();
    assert_eq!(response.status(), 303);
    assert_eq!(response.header("location"), Some("/thanks"));
    let response = client
        .post("/contact")
        .text("message=second+one&name=%20Grace%20")
        .send();
    assert_eq!(response.status(), 303);
    let listed = client.get("/messages").send();
    assert_eq!(listed.status(), 200);
    assert_eq!(listed.header("cache-control"), Some("no-store"));
    let messages: Value = listed.json();
    assert_eq!(
        messages,
        json!([
            {"name": "Ada Lovelace", "message": "Hello & thanks, 100% = 1!", "received": "2024-01-01T00:00:00Z"},
            {"name": "Grace", "message": "second one", "received": "2024-01-01T00:00:00Z"}
        ])
    );
}

#[test]
fn missing_blank_or_long_fields_are_422() {
    let client = client();
    let long_name = "n".repeat(contact_form::messages::NAME_LIMIT + 1);
    let long_message = "m".repeat(contact_form::messages::MESSAGE_LIMIT + 1);
    for form in [
        vec![("name", "Ada")],
        vec![("message", "hello")],
        vec![("name", "  "), ("message", "hello")],
        vec![("name", "Ada"), ("message", "\n")],
        vec![("name", long_name.as_str()), ("message", "hello")],
        vec![("name", "Ada"), ("message", long_message.as_str())],
    ] {
        let response = client.post("/contact").form(&form).send();
        assert_eq!(response.status(), 422, "{form:?}");
        assert!(response.json::<Value>()["error"].is_string());
    }
    assert_eq!(
        client
            .post("/contact")
            .body(vec![0xff, 0xfe])
            .send()
            .status(),
        400
    );
    let huge = format!("name=Ada&message={}", "m".repeat(contact_form::BODY_LIMIT));
    assert_eq!(client.post("/contact").text(huge).send().status(), 413);
    assert_eq!(client.get("/messages").send().json::<Value>(), json!([]));
}

#[test]
fn only_the_newest_messages_are_kept() {
    let client = client();
    for index in 0..contact_form::messages::MAX_MESSAGES + 5 {
        let text = format!("message {index}");
        let response = client
            .post("/contact")
            .form(&[("name", "Ada"), ("message", &text)])
            .send();
        assert_eq!(response.status(), 303);
    }
    let messages: Vec<Value> = client.get("/messages").send().json();
    assert_eq!(messages.len(), contact_form::messages::MAX_MESSAGES);
    assert_eq!(messages[0]["message"], "message 5");
}

#[test]
fn other_methods_are_405() {
    let client = client();
    assert_eq!(client.get("/contact").send().status(), 405);
    assert_eq!(client.post("/messages").send().status(), 405);
}
