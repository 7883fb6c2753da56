//! The quote API through the test client, on the virtual clock.

use std::collections::BTreeSet;
use std::net::{Ipv4Addr, SocketAddrV4};
use std::time::Duration;

use rate_limited::limiter::LIMIT;
use rate_limited::quotes::QUOTES;
use sauce_app::testing::TestClient;
use serde_json::Value;

const ADA: SocketAddrV4 = SocketAddrV4::new(Ipv4Addr::new(192, 0, 2, 1), 40000);
const BOB: SocketAddrV4 = SocketAddrV4::new(Ipv4Addr::new(192, 0, 2, 2), 40000);

fn client() -> TestClient<rate_limited::App> {
    TestClient::new(rate_limited::router(), rate_limited::init())
}

#[test]
fn quotes_come_from_the_five() {
    let client = client();
    let mut seen = BTreeSet::new();
    for _ in 0..200 {
        let response = client.get("/quote").send();
        assert_eq!(response.status(), 200);
        assert_eq!(response.header("content-type"), Some("application/json"));
        let quote: Value = response.json();
        let known = QUOTES
            .iter()
            .position(|known| quote["quote"] == known.quote && quote["author"] == known.author);
        seen.insert(known.expect("one of the five"));
        // 200 requests at 5 a second.
        client.platform().advance(Duration::from_millis(200));
    }
    assert_eq!(seen.len(), QUOTES.len(), "every quote comes up");
}

#[test]
fn the_sixth_request_in_a_second_is_429_with_retry_after() {
    let client = client();
    for _ in 0..LIMIT {
        assert_eq!(client.get("/quote").peer(ADA).send().status(), 200);
    }
    let refused = client.get("/quote").peer(ADA).send();
    assert_eq!(refused.status(), 429);
    assert_eq!(refused.header("retry-after"), Some("1"));
    assert_eq!(refused.header("content-type"), Some("application/json"));
    assert!(refused.json::<Value>()["error"].is_string());
    // Another client is not limited by Ada's requests; another port of Ada's is.
    assert_eq!(client.get("/quote").peer(BOB).send().status(), 200);
    let other_port = SocketAddrV4::new(*ADA.ip(), 40001);
    assert_eq!(client.get("/quote").peer(other_port).send().status(), 429);
    // Still refused 999 ms later; a second after the five, five more are accepted.
    client.platform().advance(Duration::from_millis(999));
    assert_eq!(client.get("/quote").peer(ADA).send().status(), 429);
    client.platform().advance(Duration::from_millis(1));
    for _ in 0..LIMIT {
        assert_eq!(client.get("/quote").peer(ADA).send().status(), 200);
    }
    assert_eq!(client.get("/quote").peer(ADA).send().status(), 429);
}

#[test]
fn a_steady_five_a_second_is_never_limited() {
    let client = client();
    for _ in 0..100 {
        assert_eq!(client.get("/quote").peer(ADA).send().status(), 200);
        client.platform().advance(Duration::from_millis(200));
    }
}

#[test]
fn other_methods_are_405() {
    let client = client();
    assert_eq!(client.post("/quote").send().status(), 405);
}
