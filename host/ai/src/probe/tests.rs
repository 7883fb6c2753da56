//! The probe line format and answer checks.

use super::*;

fn response(status: u16, content_type: &str, body: &str) -> ProbeResponse {
    ProbeResponse {
        status,
        headers: vec![("Content-Type".to_owned(), content_type.to_owned())],
        body: body.as_bytes().to_vec(),
    }
}

#[test]
fn reads_the_line_format() {
    let (probes, errors) = parse_probes(
        "# health\nGET /healthz -> 200 application/json\npost /orders {\"item\": 1} -> 201\nDELETE /orders/9 => 404\nGET /a b c -> 200\n",
        ProbeOrigin::Proposed,
    );
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(probes.len(), 4);
    assert_eq!(probes[0].content_type.as_deref(), Some("application/json"));
    assert_eq!(probes[1].method, "POST");
    assert_eq!(probes[1].body.as_deref(), Some("{\"item\": 1}"));
    assert_eq!(probes[1].body_content_type(), Some("application/json"));
    assert_eq!(probes[2].status, ExpectedStatus::Exactly(404));
    assert_eq!(probes[3].body.as_deref(), Some("b c"));
    assert_eq!(
        probes[0].to_string(),
        "GET /healthz -> 200 application/json"
    );
}

#[test]
fn reports_bad_lines() {
    let (probes, errors) = parse_probes(
        "GET /a\nFETCH! /a -> 200\nGET a -> 200\nGET /a -> 99\nGET /a -> 200 json\n",
        ProbeOrigin::Proposed,
    );
    assert!(probes.is_empty());
    let kinds: Vec<_> = errors
        .iter()
        .map(|(line, error)| (*line, error.clone()))
        .collect();
    assert_eq!(
        kinds,
        vec![
            (1, ProbeParseError::NoArrow),
            (2, ProbeParseError::Method("FETCH!".to_owned())),
            (3, ProbeParseError::Path),
            (4, ProbeParseError::Status("99".to_owned())),
            (5, ProbeParseError::ContentType("json".to_owned())),
        ]
    );
}

#[test]
fn caps_the_number_of_probes() {
    let text = "GET / -> 200\n".repeat(100);
    assert_eq!(
        parse_probes(&text, ProbeOrigin::Proposed).0.len(),
        MAX_MODEL_PROBES
    );
}

#[test]
fn verifies_answers() {
    let probe = Probe::parse_line("GET /j -> 200 application/json", ProbeOrigin::Proposed)
        .unwrap()
        .unwrap();
    assert_eq!(
        probe.verify(&response(200, "application/json; charset=utf-8", "{}")),
        Ok(())
    );
    let error = probe
        .verify(&response(500, "application/json", "{\"error\":\"boom\"}"))
        .unwrap_err();
    assert!(
        error.contains("expected status 200, got 500 with body {\\\"error\\\""),
        "{error}"
    );
    let error = probe
        .verify(&response(200, "text/plain", "{}"))
        .unwrap_err();
    assert!(
        error.contains("expected content type application/json, got text/plain"),
        "{error}"
    );
    let error = probe
        .verify(&response(200, "application/json", "{oops"))
        .unwrap_err();
    assert!(error.contains("not valid JSON"), "{error}");
    let mut redirect = Probe::parse_line("GET /old -> 308", ProbeOrigin::Proposed)
        .unwrap()
        .unwrap();
    redirect.location = Some("/new".to_owned());
    let mut answer = response(308, "text/plain", "");
    answer
        .headers
        .push(("location".to_owned(), "/new".to_owned()));
    assert_eq!(redirect.verify(&answer), Ok(()));
    answer.headers.pop();
    assert!(redirect
        .verify(&answer)
        .unwrap_err()
        .contains("expected Location /new, got none"));
}

#[test]
fn encodes_paths() {
    assert_eq!(encode_path("/café menu"), "/caf%C3%A9%20menu");
    assert_eq!(encode_path("/a?b=c"), "/a?b=c");
}

proptest::proptest! {
    #[test]
    fn never_panics(line in "\\PC{0,80}") {
        let _ = Probe::parse_line(&line, ProbeOrigin::Proposed);
    }
}

#[test]
fn answered_is_any_status_below_500() {
    let probe = Probe::parse_line("GET /todos/1 -> answered", ProbeOrigin::Proposed)
        .unwrap()
        .unwrap();
    assert_eq!(probe.status, ExpectedStatus::Answered);
    assert_eq!(probe.to_string(), "GET /todos/1 -> answered");
    assert!(probe
        .verify(&response(404, "application/json", "{}"))
        .is_ok());
    assert_eq!(
        probe.verify(&response(500, "application/json", "{}")),
        Err("expected an answer below 500, got 500 with body {}".to_owned())
    );
}
