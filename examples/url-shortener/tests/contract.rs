//! The shortener's contract through the test client: create, follow, count, and the errors.

use sauce_app::testing::TestClient;
use serde_json::{json, Value};

fn client() -> TestClient<url_shortener::App> {
    TestClient::new(url_shortener::router(), url_shortener::init())
}

#[test]
fn a_link_redirects_and_counts_its_visits() {
    let client = client();
    let response = client
        .post("/links")
        .json(&json!({"url": "https://example.com/a?b=c"}))
        .send();
    assert_eq!(response.status(), 201);
    assert_eq!(response.header("content-type"), Some("application/json"));
    let created: Value = response.json();
    let code = created["code"].as_str().unwrap().to_owned();
    assert_eq!(code.len(), url_shortener::links::CODE_LENGTH);
    assert!(code
        .bytes()
        .all(|byte| byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_'));
    assert_eq!(created["url"], "https://example.com/a?b=c");
    assert_eq!(
        response.header("location"),
        Some(format!("/{code}").as_str())
    );

    let stats = |client: &TestClient<url_shortener::App>| -> Value {
        let response = client.get(&format!("/links/{code}/stats")).send();
        assert_eq!(response.status(), 200);
        assert_eq!(response.header("cache-control"), Some("no-store"));
        response.json()
    };
    assert_eq!(
        stats(&client),
        json!({"code": code, "url": "https://example.com/a?b=c", "visits": 0})
    );
    for _ in 0..3 {
        let visit = client.get(&format!("/{code}")).send();
        assert_eq!(visit.status(), 308);
        assert_eq!(visit.header("location"), Some("https://example.com/a?b=c"));
        assert_eq!(visit.header("cache-control"), Some("no-store"));
    }
    assert_eq!(stats(&client)["visits"], 3);
    // HEAD is a visit too (a client that checks a link follows it).
    assert_eq!(client.head(&format!("/{code}")).send().status(), 308);
    assert_eq!(stats(&client)["visits"], 4);
}

#[test]
fn each_post_makes_its_own_code() {
    let client = client();
    let codes: Vec<String> = (0..20)
        .map(|_| {
            let response = client
                .post("/links")
                .json(&json!({"url": "http://example.com/"}))
                .send();
            assert_eq!(response.status(), 201);
            response.json::<Value>()["code"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    let mut unique = codes.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), codes.len());
}

#[test]
fn unknown_codes_are_json_404s() {
    let client = client();
    for path in ["/nothing", "/links/nothing/stats", "/caf%C3%A9"] {
        let response = client.get(path).send();
        assert_eq!(response.status(), 404, "{path}");
        assert_eq!(response.header("content-type"), Some("application/json"));
        assert!(response.json::<Value>()["error"].is_string(), "{path}");
    }
}

#[test]
fn bodies_without_a_valid_url_are_refused() {
    let client = client();
    let long = format!("https://example.com/{}", "a".repeat(2048));
    for (body, status) in [
        (json!({"url": "not a url"}), 422),
        (json!({"url": "ftp://example.com/"}), 422),
        (json!({"url": "https://user:pw@example.com/"}), 422),
        (json!({"url": long}), 422),
        (json!({"url": 5}), 422),
        (json!({"link": "https://example.com/"}), 422),
        (json!(["https://example.com/"]), 422),
    ] {
        let response = client.post("/links").json(&body).send();
        assert_eq!(response.status(), status, "{body}");
        assert!(response.json::<Value>()["error"].is_string(), "{body}");
    }
    assert_eq!(client.post("/links").text("{oops").send().status(), 400);
    let huge = format!(r#"{{"url":"https://example.com/{}"}}"#, "a".repeat(5000));
    assert_eq!(client.post("/links").text(huge).send().status(), 413);
    // Nothing above was stored.
    assert!(client.state().links.with(|store| store.is_empty()));
}

#[test]
fn methods_outside_the_contract_are_405() {
    let client = client();
    assert_eq!(client.get("/links").send().status(), 405);
    assert_eq!(client.delete("/abc").send().status(), 405);
    assert_eq!(client.post("/links/abc/stats").send().status(), 405);
}

#[test]
fn a_full_store_answers_507_and_keeps_serving() {
    let client = client();
    let mut first = String::new();
    for index in 0..url_shortener::links::MAX_LINKS {
        let response = client
            .post("/links")
            .json(&json!({"url": format!("https://example.com/{index}")}))
            .send();
        assert_eq!(response.status(), 201);
        if index == 0 {
            first = response.json::<Value>()["code"]
                .as_str()
                .unwrap()
                .to_owned();
        }
    }
    let response = client
        .post("/links")
        .json(&json!({"url": "https://example.com/more"}))
        .send();
    assert_eq!(response.status(), 507);
    assert!(response.json::<Value>()["error"].is_string());
    assert_eq!(client.get(&format!("/{first}")).send().status(), 308);
}
