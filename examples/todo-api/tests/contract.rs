//! The todo-api contract, clause by clause, through the test client.

use sauce_app::testing::TestClient;
use serde_json::{json, Value};
use todo_api::{init, router, App, BODY_LIMIT};

fn client() -> TestClient<App> {
    TestClient::new(router(), init())
}

/// Every error is JSON with a string `error`.
fn assert_json_error(response: &sauce_app::testing::TestResponse, status: u16) {
    assert_eq!(response.status(), status, "{response:?}");
    assert_eq!(response.header("content-type"), Some("application/json"));
    let body: Value = response.json();
    assert!(body["error"].is_string(), "{body}");
}

#[test]
fn an_empty_list_to_start() {
    let response = client().get("/todos").send();
    assert_eq!(response.status(), 200);
    assert_eq!(response.json::<Value>(), json!([]));
}

#[test]
fn post_creates_with_location_and_ids_from_one() {
    let client = client();
    let created = client.post("/todos").json(&json!({"title": "milk"})).send();
    assert_eq!(created.status(), 201);
    assert_eq!(created.header("location"), Some("/todos/1"));
    assert_eq!(
        created.json::<Value>(),
        json!({"id": 1, "title": "milk", "done": false})
    );
    let second = client
        .post("/todos")
        .json(&json!({"title": "eggs", "done": true}))
        .send();
    assert_eq!(second.header("location"), Some("/todos/2"));
    assert_eq!(
        second.json::<Value>(),
        json!({"id": 2, "title": "eggs", "done": true})
    );
    assert_eq!(
        client.get("/todos").send().json::<Value>(),
        json!([{"id": 1, "title": "milk", "done": false}, {"id": 2, "title": "eggs", "done": true}])
    );
    assert_eq!(
        client.platform().log_lines(),
        [
            "INFO /todos #1: created todo 1",
            "INFO /todos #2: created todo 2"
        ]
    );
}

#[test]
fn ids_only_increase_after_deletes() {
    let client = client();
    client.post("/todos").json(&json!({"title": "a"})).send();
    client.post("/todos").json(&json!({"title": "b"})).send();
    assert_eq!(client.delete("/todos/2").send().status(), 204);
    let next = client.post("/todos").json(&json!({"title": "c"})).send();
    assert_eq!(next.json::<Value>()["id"], 3);
}

#[test]
fn get_one_and_unknown_or_non_numeric_ids() {
    let client = client();
    client.post("/todos").json(&json!({"title": "milk"})).send();
    let found = client.get("/todos/1").send();
    assert_eq!(found.status(), 200);
    assert_eq!(
        found.json::<Value>(),
        json!({"id": 1, "title": "milk", "done": false})
    );
    for path in [
        "/todos/2",
        "/todos/0",
        "/todos/abc",
        "/todos/-1",
        "/todos/+1",
        "/todos/1.0",
        "/todos/99999999999999999999999",
    ] {
        assert_json_error(&client.get(path).send(), 404);
        assert_json_error(&client.put(path).json(&json!({"title": "x"})).send(), 404);
        assert_json_error(&client.patch(path).json(&json!({"done": true})).send(), 404);
        assert_json_error(&client.delete(path).send(), 404);
    }
}

#[test]
fn put_replaces_everything_but_the_id() {
    let client = client();
    client
        .post("/todos")
        .json(&json!({"title": "milk", "done": true}))
        .send();
    let replaced = client
        .put("/todos/1")
        .json(&json!({"title": "oat milk", "id": 9}))
        .send();
    assert_eq!(replaced.status(), 200);
    assert_eq!(
        replaced.json::<Value>(),
        json!({"id": 1, "title": "oat milk", "done": false})
    );
    assert_eq!(
        client.get("/todos/1").send().json::<Value>()["title"],
        "oat milk"
    );
}

#[test]
fn patch_changes_any_subset() {
    let client = client();
    client.post("/todos").json(&json!({"title": "milk"})).send();
    let done = client.patch("/todos/1").json(&json!({"done": true})).send();
    assert_eq!(
        done.json::<Value>(),
        json!({"id": 1, "title": "milk", "done": true})
    );
    let renamed = client
        .patch("/todos/1")
        .json(&json!({"title": "cream"}))
        .send();
    assert_eq!(
        renamed.json::<Value>(),
        json!({"id": 1, "title": "cream", "done": true})
    );
    let nothing = client.patch("/todos/1").json(&json!({})).send();
    assert_eq!(nothing.status(), 200);
    assert_eq!(
        nothing.json::<Value>(),
        json!({"id": 1, "title": "cream", "done": true})
    );
}

#[test]
fn delete_then_404() {
    let client = client();
    client.post("/todos").json(&json!({"title": "milk"})).send();
    let deleted = client.delete("/todos/1").send();
    assert_eq!(deleted.status(), 204);
    assert!(deleted.body().is_empty());
    assert_json_error(&client.get("/todos/1").send(), 404);
    assert_json_error(&client.delete("/todos/1").send(), 404);
}

#[test]
fn unparsable_json_is_400() {
    let client = client();
    client.post("/todos").json(&json!({"title": "milk"})).send();
    for body in [
        "{",
        "",
        "not json",
        "{\"title\": \"a\",}",
        "[1,",
        "{\"title\": \"a\"} trailing",
    ] {
        assert_json_error(&client.post("/todos").body(body).send(), 400);
        assert_json_error(&client.put("/todos/1").body(body).send(), 400);
        assert_json_error(&client.patch("/todos/1").body(body).send(), 400);
    }
}

#[test]
fn invalid_titles_are_422() {
    let client = client();
    client.post("/todos").json(&json!({"title": "milk"})).send();
    let long = "é".repeat(201);
    let invalid = [
        json!({}),
        json!({"done": true}),
        json!({"title": 3}),
        json!({"title": null}),
        json!({"title": ["a"]}),
        json!({"title": long}),
        json!({"title": "ok", "done": "yes"}),
        json!(["milk", false]),
        json!("milk"),
    ];
    for body in &invalid {
        assert_json_error(&client.post("/todos").json(body).send(), 422);
        assert_json_error(&client.put("/todos/1").json(body).send(), 422);
    }
    for body in [
        json!({"title": 3}),
        json!({"title": null}),
        json!({"title": long}),
        json!({"done": null}),
        json!([]),
    ] {
        assert_json_error(&client.patch("/todos/1").json(&body).send(), 422);
    }
    // Exactly 200 characters (400 bytes) is fine.
    let longest = "é".repeat(200);
    assert_eq!(
        client
            .post("/todos")
            .json(&json!({"title": longest}))
            .send()
            .status(),
        201
    );
    assert_eq!(client.get("/todos").send().json::<Vec<Value>>().len(), 2);
}

#[test]
fn bodies_over_the_limit_are_413() {
    let client = client();
    client.post("/todos").json(&json!({"title": "milk"})).send();
    let padding = " ".repeat(BODY_LIMIT);
    let body = format!("{{\"title\": \"x\"}}{padding}");
    assert_json_error(&client.post("/todos").body(body.clone()).send(), 413);
    assert_json_error(&client.put("/todos/1").body(body.clone()).send(), 413);
    assert_json_error(&client.patch("/todos/1").body(body).send(), 413);
    let at_limit = format!("{{\"title\": \"x\"}}{}", " ".repeat(BODY_LIMIT - 14));
    assert_eq!(at_limit.len(), BODY_LIMIT);
    assert_eq!(client.post("/todos").body(at_limit).send().status(), 201);
}

#[test]
fn other_methods_get_405_with_allow_and_options_answers() {
    let client = client();
    let refused = client.delete("/todos").send();
    assert_json_error(&refused, 405);
    assert_eq!(refused.header("allow"), Some("GET, HEAD, POST, OPTIONS"));
    let options = client.options("/todos/1").send();
    assert_eq!(options.status(), 204);
    assert_eq!(
        options.header("allow"),
        Some("GET, HEAD, PUT, PATCH, DELETE, OPTIONS")
    );
    assert_json_error(&client.get("/elsewhere").send(), 404);
}

#[test]
fn head_has_the_get_length_and_no_body() {
    let client = client();
    client.post("/todos").json(&json!({"title": "milk"})).send();
    let get = client.get("/todos/1").send();
    let head = client.head("/todos/1").send();
    assert_eq!(head.status(), 200);
    assert!(head.body().is_empty());
    assert_eq!(head.content_length(), Some(get.body().len()));
}
