//! The flag service through the test client, with `FLAGS` set as `sauce run --env` would.

use sauce_app::testing::TestClient;
use serde_json::{json, Value};

fn client(flags: Option<&str>) -> TestClient<feature_flags::App> {
    let client = TestClient::new(feature_flags::router(), feature_flags::init());
    if let Some(flags) = flags {
        client.platform().set_env(feature_flags::FLAGS_KEY, flags);
    }
    client
}

#[test]
fn flags_start_from_the_setting_and_can_be_set() {
    let client = client(Some("beta, dark-mode,not valid"));
    let listed = client.get("/flags").send();
    assert_eq!(listed.status(), 200);
    assert_eq!(listed.header("cache-control"), Some("no-store"));
    assert_eq!(
        listed.json::<Value>(),
        json!({"beta": true, "dark-mode": true})
    );
    assert!(client
        .platform()
        .log_lines()
        .iter()
        .any(|line| line.contains("`not valid` is not a flag name")));

    let response = client
        .put("/flags/beta")
        .json(&json!({"enabled": false}))
        .send();
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.json::<Value>(),
        json!({"name": "beta", "enabled": false})
    );
    let response = client
        .put("/flags/new.checkout")
        .json(&json!({"enabled": true}))
        .send();
    assert_eq!(
        response.json::<Value>(),
        json!({"name": "new.checkout", "enabled": true})
    );
    assert_eq!(
        client.get("/flags/beta").send().json::<Value>(),
        json!({"name": "beta", "enabled": false})
    );
    assert_eq!(
        client.get("/flags").send().json::<Value>(),
        json!({"beta": false, "dark-mode": true, "new.checkout": true})
    );
    // FLAGS was read once: changing it later changes nothing.
    client.platform().set_env(feature_flags::FLAGS_KEY, "other");
    assert_eq!(client.get("/flags/other").send().status(), 404);
}

#[test]
fn without_the_setting_there_are_no_flags() {
    let client = client(None);
    assert_eq!(client.get("/flags").send().json::<Value>(), json!({}));
    let response = client.get("/flags/beta").send();
    assert_eq!(response.status(), 404);
    assert!(response.json::<Value>()["error"].is_string());
}

#[test]
fn bad_bodies_and_names_are_refused() {
    let client = client(Some("beta"));
    for (body, status) in [
        (r#"{"enabled": "yes"}"#, 422),
        (r#"{"on": true}"#, 422),
        ("[true]", 422),
        ("{oops", 400),
    ] {
        let response = client.put("/flags/beta").text(body).send();
        assert_eq!(response.status(), status, "{body}");
        assert!(response.json::<Value>()["error"].is_string());
    }
    let response = client
        .put("/flags/not%20a%20name")
        .json(&json!({"enabled": true}))
        .send();
    assert_eq!(response.status(), 422);
    let long = format!(r#"{{"enabled": true, "pad": "{}"}}"#, "x".repeat(2000));
    assert_eq!(client.put("/flags/beta").text(long).send().status(), 413);
    assert_eq!(client.delete("/flags/beta").send().status(), 405);
    assert_eq!(
        client.get("/flags").send().json::<Value>(),
        json!({"beta": true})
    );
}

#[test]
fn a_full_table_answers_507_but_existing_flags_still_change() {
    let client = client(None);
    for index in 0..feature_flags::flags::MAX_FLAGS {
        let response = client
            .put(&format!("/flags/flag-{index}"))
            .json(&json!({"enabled": true}))
            .send();
        assert_eq!(response.status(), 200);
    }
    let response = client
        .put("/flags/one-more")
        .json(&json!({"enabled": true}))
        .send();
    assert_eq!(response.status(), 507);
    let response = client
        .put("/flags/flag-0")
        .json(&json!({"enabled": false}))
        .send();
    assert_eq!(response.status(), 200);
}
