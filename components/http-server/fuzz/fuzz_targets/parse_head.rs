//! Arbitrary bytes as a request head: never a panic, and every view lies inside the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sauce_http_server::{parse_head, path, Configuration};

fuzz_target!(|data: &[u8]| {
    let configuration = Configuration {
        header_limit: 4096,
        ..Configuration::DEFAULT
    };
    if let Ok(Some(head)) = parse_head(data, &configuration) {
        assert!(head.length <= data.len() && head.length <= configuration.header_limit);
        let count = head.headers().count();
        assert!(count <= configuration.max_headers);
        let target = path::target_path(head.target);
        let _ = (
            path::has_valid_escapes(target),
            path::has_dot_segment(target),
        );
    }
});
