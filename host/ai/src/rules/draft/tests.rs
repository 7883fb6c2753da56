//! Drafts render to intents the checker accepts.

use super::*;
use serde_json::json;
use std::path::Path;

fn valid(text: &str) -> sauce_intent::Intent {
    match sauce_intent::parse(Path::new("/nonexistent/sauce.toml"), text) {
        Ok(intent) => intent,
        Err(diagnostics) => panic!(
            "{text}\n{}",
            sauce_intent::render::render_all(&diagnostics, false)
        ),
    }
}

#[test]
fn renders_a_valid_intent() {
    let draft = Draft {
        port: Some(8080),
        max_connections: Some(100),
        routes: vec![
            DraftRoute {
                path: "/".to_owned(),
                response: DraftResponse::Body("Hello \"you\"\n".to_owned()),
                status: None,
            },
            DraftRoute {
                path: "/api/info".to_owned(),
                response: DraftResponse::Json(
                    json!({"name": "shop", "version": 1.5, "tags": ["a", 2, true], "odd key": {}}),
                ),
                status: None,
            },
            DraftRoute {
                path: "/old".to_owned(),
                response: DraftResponse::Redirect("/".to_owned()),
                status: Some(307),
            },
        ],
        not_found: Some(DraftResponse::Json(json!({"error": "not found"}))),
        ip: Some("dhcp".to_owned()),
        memory: Some(MemorySize::from_mebibytes(16)),
        optimize: Some(Optimize::Speed),
        vmm: Some("qemu".to_owned()),
        machine: Some("q35".to_owned()),
        ..Draft::default()
    };
    let text = draft.render("shop", "a shop\nwith \u{7} bells").unwrap();
    assert!(
        text.starts_with("# Written by `sauce new --describe` from: a shop with bells\n"),
        "{text}"
    );
    let intent = valid(&text);
    let http = intent.http.unwrap();
    assert_eq!(http.port, 8080);
    assert_eq!(http.routes.len(), 3);
    assert_eq!(
        http.routes[0].response,
        sauce_intent::RouteResponse::Body("Hello \"you\"\n".to_owned())
    );
    assert_eq!(http.routes[2].status, 307);
    assert_eq!(
        intent.resources.memory,
        Some(MemorySize::from_mebibytes(16))
    );
    assert_eq!(intent.build.optimize, Optimize::Speed);
}

#[test]
fn a_serial_app_has_no_http() {
    let draft = Draft {
        serial_only: true,
        ..Draft::default()
    };
    let intent = valid(
        &draft
            .render("hello", "hello on the serial console")
            .unwrap(),
    );
    assert!(intent.http.is_none());
}

#[test]
fn null_has_no_toml_form() {
    assert_eq!(
        toml_value(&json!({"a": [1, null]}), "json"),
        Err(RenderError::Json("json.a[1]".to_owned()))
    );
    assert!(toml_value(&json!(u64::MAX), "json").is_err());
    assert_eq!(toml_value(&json!(2.0), "json").unwrap(), "2.0");
}

proptest::proptest! {
    #[test]
    fn strings_round_trip(text in "\\PC{0,40}|[\\x00-\\x1f\"\\\\]{0,10}") {
        let parsed: toml::Table = toml::from_str(&format!("a = {}", string(&text))).unwrap();
        proptest::prop_assert_eq!(parsed["a"].as_str(), Some(text.as_str()));
    }
}
