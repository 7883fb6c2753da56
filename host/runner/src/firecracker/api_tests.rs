//! The API client against a local HTTP server on a Unix socket that checks each request.

use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::net::UnixListener;
use std::thread::JoinHandle;

use serde_json::json;

use super::*;

/// One request as the server saw it.
#[derive(Debug, PartialEq)]
struct Seen {
    method: String,
    path: String,
    content_type: Option<String>,
    body: serde_json::Value,
}

/// Serves one connection per scripted answer; returns what each request carried.
fn server(socket: &Path, answers: Vec<&'static str>) -> JoinHandle<Vec<Seen>> {
    let listener = UnixListener::bind(socket).unwrap();
    std::thread::spawn(move || {
        let mut seen = Vec::new();
        for answer in answers {
            let (stream, _) = listener.accept().unwrap();
            let mut reader = BufReader::new(stream);
            let mut request_line = String::new();
            reader.read_line(&mut request_line).unwrap();
            let mut words = request_line.split_whitespace();
            let (method, path, version) = (
                words.next().unwrap(),
                words.next().unwrap(),
                words.next().unwrap(),
            );
            assert_eq!(version, "HTTP/1.1");
            let (mut length, mut content_type) = (0, None);
            loop {
                let mut header = String::new();
                reader.read_line(&mut header).unwrap();
                assert!(
                    header.ends_with("\r\n"),
                    "header lines end in CRLF: {header:?}"
                );
                let Some((name, value)) = header.trim_end().split_once(':') else {
                    break;
                };
                match name.to_ascii_lowercase().as_str() {
                    "content-length" => length = value.trim().parse().unwrap(),
                    "content-type" => content_type = Some(value.trim().to_owned()),
                    _ => {}
                }
            }
            let mut body = vec![0; length];
            reader.read_exact(&mut body).unwrap();
            seen.push(Seen {
                method: method.to_owned(),
                path: path.to_owned(),
                content_type,
                body: serde_json::from_slice(&body).expect("the body is JSON"),
            });
            reader.get_mut().write_all(answer.as_bytes()).unwrap();
        }
        seen
    })
}

const NO_CONTENT: &str =
    "HTTP/1.1 204 No Content\r\nServer: Firecracker API\r\nConnection: keep-alive\r\n\r\n";
const BAD_REQUEST: &str = "HTTP/1.1 400 Bad Request\r\nServer: Firecracker API\r\nContent-Type: application/json\r\nContent-Length: 66\r\n\r\n{\"fault_message\":\"The kernel file cannot be opened: No such file\"}";

#[test]
fn each_request_carries_its_method_path_and_json_body() {
    let folder = tempfile::tempdir().unwrap();
    let socket = folder.path().join("api.sock");
    let server = server(&socket, vec![NO_CONTENT, NO_CONTENT, NO_CONTENT]);
    let client = ApiClient::new(&socket);
    client
        .put(
            "/boot-source",
            &json!({"kernel_image_path": "/i.elf", "boot_args": "sauce"}),
        )
        .unwrap();
    client
        .put(
            "/machine-config",
            &json!({"vcpu_count": 1, "mem_size_mib": 32}),
        )
        .unwrap();
    client
        .put("/actions", &json!({"action_type": "InstanceStart"}))
        .unwrap();
    let seen = server.join().unwrap();
    let expected = [
        (
            "/boot-source",
            json!({"kernel_image_path": "/i.elf", "boot_args": "sauce"}),
        ),
        (
            "/machine-config",
            json!({"vcpu_count": 1, "mem_size_mib": 32}),
        ),
        ("/actions", json!({"action_type": "InstanceStart"})),
    ];
    assert_eq!(seen.len(), expected.len());
    for (seen, (path, body)) in seen.iter().zip(expected) {
        assert_eq!(seen.method, "PUT");
        assert_eq!(seen.path, path);
        assert_eq!(seen.content_type.as_deref(), Some("application/json"));
        assert_eq!(seen.body, body);
    }
}

#[test]
fn a_refusal_shows_the_fault_message_verbatim() {
    let folder = tempfile::tempdir().unwrap();
    let socket = folder.path().join("api.sock");
    let server = server(&socket, vec![BAD_REQUEST]);
    let error = ApiClient::new(&socket)
        .put("/boot-source", &json!({"kernel_image_path": "/missing"}))
        .unwrap_err();
    server.join().unwrap();
    assert_eq!(
        error.to_string(),
        "Firecracker refused PUT /boot-source (400): The kernel file cannot be opened: No such file"
    );
}

#[test]
fn a_dead_socket_is_unreachable() {
    let folder = tempfile::tempdir().unwrap();
    let client = ApiClient::new(folder.path().join("nobody.sock"));
    let error = client.put("/actions", &json!({})).unwrap_err();
    assert!(matches!(error, ApiError::Unreachable { .. }), "{error}");
    let started = Instant::now();
    let error = client
        .wait_until_listening(started + Duration::from_secs(5), || false)
        .unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "gives up when the server is gone"
    );
    assert!(error.to_string().contains("nobody.sock"), "{error}");
}

#[test]
fn responses_parse_with_and_without_bodies() {
    let parse = |text: &str| read_response(&mut text.as_bytes());
    assert_eq!(
        parse(NO_CONTENT).unwrap(),
        Response {
            status: 204,
            body: String::new()
        }
    );
    let refused = parse(BAD_REQUEST).unwrap();
    assert_eq!(refused.status, 400);
    assert_eq!(
        fault_message(&refused.body),
        "The kernel file cannot be opened: No such file"
    );
    assert_eq!(
        parse("HTTP/1.1 200 OK\ncontent-length: 2\n\nok")
            .unwrap()
            .body,
        "ok"
    );
}

#[test]
fn broken_responses_are_errors_not_panics() {
    for text in [
        "",
        "HTTP/1.1 204",
        "SSH-2.0 hello\r\n\r\n",
        "HTTP/1.1 abc OK\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: many\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
        "HTTP/1.1 200 OK\r\nno colon\r\n\r\n",
    ] {
        assert!(read_response(&mut text.as_bytes()).is_err(), "{text:?}");
    }
}

#[test]
fn bodies_without_a_fault_message_are_shown_whole() {
    assert_eq!(fault_message("{\"error\":\"x\"}"), "{\"error\":\"x\"}");
    assert_eq!(fault_message(" "), "(empty body)");
}

#[test]
fn requests_are_encoded_with_a_length() {
    let text = encode_put("/actions", &json!({"action_type": "SendCtrlAltDel"}));
    assert!(text.starts_with("PUT /actions HTTP/1.1\r\n"), "{text}");
    assert!(
        text.ends_with("Content-Length: 32\r\n\r\n{\"action_type\":\"SendCtrlAltDel\"}"),
        "{text}"
    );
}
