//! Dead code elimination, end to end: the image of an intent without `[http]` carries no TCP/IP
//! or HTTP code. Panic locations name the source file of every function that can panic, so
//! an image holding smoltcp's or the HTTP server's code holds their paths; the HTTP image is
//! checked to hold them, so the test can fail.

mod common;

use common::{assert_exit, build_lock, repository, sauce, temporary_folder};

fn image(example: &str) -> Vec<u8> {
    let output_path = temporary_folder(&format!("image-contents-{example}")).join("image.elf");
    let _lock = build_lock();
    let output = sauce()
        .arg("build")
        .arg(repository().join("examples").join(example))
        .arg("-o")
        .arg(&output_path)
        .output()
        .unwrap();
    assert_exit(&output, 0);
    std::fs::read(output_path).unwrap()
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle.as_bytes())
}

/// Source paths of crates only an HTTP service needs.
const NETWORK_CODE: [&str; 5] = [
    "smoltcp",
    "components/tcp-ip",
    "components/http-server",
    "components/http-service",
    "virtio-drivers",
];

#[test]
fn an_image_without_http_holds_no_network_code() {
    let serial_only = image("hello");
    let service = image("hello-http");
    for marker in ["smoltcp", "components/http-server"] {
        assert!(
            contains(&service, marker),
            "the HTTP image should hold `{marker}`: the check would be blind"
        );
    }
    for marker in NETWORK_CODE {
        assert!(
            !contains(&serial_only, marker),
            "examples/hello holds `{marker}`"
        );
    }
    assert!(
        serial_only.len() * 2 < service.len(),
        "{} vs {} bytes",
        serial_only.len(),
        service.len()
    );
}
