//! Random sequences of operations checked against a model: every answer, every redirect and
//! every visit count is what a plain map of code → (URL, visits) predicts.

use std::collections::HashMap;

use proptest::prelude::*;
use sauce_app::testing::TestClient;
use serde_json::{json, Value};

/// One request of the sequence; indexes pick among the codes made so far.
#[derive(Clone, Debug)]
enum Operation {
    Create(String),
    CreateInvalid(String),
    Follow(usize),
    FollowUnknown(String),
    Stats(usize),
    StatsUnknown(String),
}

fn valid_url() -> impl Strategy<Value = String> {
    (
        prop_oneof![Just("http"), Just("https"), Just("HTTPS")],
        "[a-z][a-z0-9-]{0,10}[a-z0-9](\\.[a-z]{2,6}){1,2}",
        proptest::option::of(1u16..),
        "(/[A-Za-z0-9._~%!$&'()*+,;=:@-]{0,12}){0,3}",
        proptest::option::of("[A-Za-z0-9=&]{0,10}"),
    )
        .prop_map(|(scheme, host, port, path, query)| {
            let port = port.map(|port| format!(":{port}")).unwrap_or_default();
            let query = query.map(|query| format!("?{query}")).unwrap_or_default();
            format!("{scheme}://{host}{port}{path}{query}")
        })
}

fn invalid_url() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        "[a-z ]{1,20}",
        "(ftp|file|javascript)://[a-z]{1,8}",
        "https://[a-z]{1,5}@[a-z]{1,5}\\.example/",
        "https://[a-z]{1,5}\\.example/ [a-z]{1,5}",
        Just(format!("https://example.com/{}", "x".repeat(2100))),
    ]
}

fn unknown_code() -> impl Strategy<Value = String> {
    // Eight characters: never one of the seven-character codes.
    "[A-Za-z0-9_-]{8}"
}

fn operation() -> impl Strategy<Value = Operation> {
    prop_oneof![
        3 => valid_url().prop_map(Operation::Create),
        1 => invalid_url().prop_map(Operation::CreateInvalid),
        4 => any::<usize>().prop_map(Operation::Follow),
        1 => unknown_code().prop_map(Operation::FollowUnknown),
        2 => any::<usize>().prop_map(Operation::Stats),
        1 => unknown_code().prop_map(Operation::StatsUnknown),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn the_service_matches_the_model(operations in proptest::collection::vec(operation(), 1..120)) {
        let client = TestClient::new(url_shortener::router(), url_shortener::init());
        let mut model: HashMap<String, (String, u64)> = HashMap::new();
        let mut codes: Vec<String> = Vec::new();
        for operation in operations {
            match operation {
                Operation::Create(url) => {
                    let response = client.post("/links").json(&json!({"url": url})).send();
                    prop_assert_eq!(response.status(), 201, "{}", url);
                    let code = response.json::<Value>()["code"].as_str().unwrap().to_owned();
                    prop_assert!(!model.contains_key(&code));
                    model.insert(code.clone(), (url, 0));
                    codes.push(code);
                }
                Operation::CreateInvalid(url) => {
                    let response = client.post("/links").json(&json!({"url": url})).send();
                    prop_assert_eq!(response.status(), 422, "{}", url);
                }
                Operation::Follow(index) if !codes.is_empty() => {
                    let code = &codes[index % codes.len()];
                    let response = client.get(&format!("/{code}")).send();
                    prop_assert_eq!(response.status(), 308);
                    let entry = model.get_mut(code).unwrap();
                    entry.1 += 1;
                    prop_assert_eq!(response.header("location"), Some(entry.0.as_str()));
                }
                Operation::Stats(index) if !codes.is_empty() => {
                    let code = &codes[index % codes.len()];
                    let response = client.get(&format!("/links/{code}/stats")).send();
                    prop_assert_eq!(response.status(), 200);
                    let (url, visits) = &model[code];
                    prop_assert_eq!(
                        response.json::<Value>(),
                        json!({"code": code, "url": url, "visits": visits})
                    );
                }
                Operation::Follow(_) | Operation::Stats(_) => {}
                Operation::FollowUnknown(code) => {
                    prop_assert_eq!(client.get(&format!("/{code}")).send().status(), 404);
                }
                Operation::StatsUnknown(code) => {
                    let response = client.get(&format!("/links/{code}/stats")).send();
                    prop_assert_eq!(response.status(), 404);
                }
            }
        }
        prop_assert_eq!(client.state().links.with(|store| store.len()), model.len());
    }

    /// No text, however odd, makes the URL check panic, and what it accepts is a safe header.
    #[test]
    fn the_url_check_is_total(url in any::<String>()) {
        if url_shortener::url::check(&url).is_ok() {
            prop_assert!(url.len() <= url_shortener::url::MAX_LENGTH);
            prop_assert!(url.bytes().all(|byte| (0x21..=0x7e).contains(&byte)));
        }
    }
}
