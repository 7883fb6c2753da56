//! The counter through the test client, with its periodic task on the virtual clock.

use std::time::Duration;

use sauce_app::testing::{run_for, TestClient};
use serde_json::{json, Value};

fn stats(client: &TestClient<counter::App>) -> Value {
    let response = client.get("/stats").send();
    assert_eq!(response.header("cache-control"), Some("no-store"));
    response.json()
}

#[test]
fn requests_count_once_their_second_is_over_and_leave_after_a_minute() {
    let client = TestClient::new(counter::router(), counter::init());
    for _ in 0..30 {
        assert_eq!(client.get("/").send().text(), "hello\n");
    }
    assert_eq!(stats(&client), json!({"last_minute": 0, "per_second": 0.0}));

    // One tick (at 1 s): the 30 requests enter the window.
    let ticks = counter::every_second().run(client.state());
    assert!(run_for(ticks, Duration::from_millis(1_500)).is_none());
    assert_eq!(
        stats(&client),
        json!({"last_minute": 30, "per_second": 0.5})
    );

    // Six more requests, then 59 ticks: the first takes the six, the 30 are still in the window.
    for _ in 0..6 {
        client.get("/").send();
    }
    let ticks = counter::every_second().run(client.state());
    assert!(run_for(ticks, Duration::from_millis(59_500)).is_none());
    assert_eq!(
        stats(&client),
        json!({"last_minute": 36, "per_second": 0.6})
    );
    // 60 more quiet seconds: everything has left the window.
    let ticks = counter::every_second().run(client.state());
    assert!(run_for(ticks, Duration::from_millis(60_500)).is_none());
    assert_eq!(stats(&client), json!({"last_minute": 0, "per_second": 0.0}));
}
