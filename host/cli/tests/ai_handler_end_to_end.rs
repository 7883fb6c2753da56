//! End to end: `sauce new NAME --describe` whose model writes handler code. The first answer
//! does not compile; rustc's error (through clippy, from the real toolchain) is fed back, the
//! repaired crate is built into the image, booted under TCG, and its handler serves.

mod ai;
mod common;

use ai::{run_building, sauce_with_model, Guest, OPENAI_KEY};
use common::{assert_exit, build_lock, temporary_folder, text};
use sauce_ai::testing::scenarios::{self, CODE_INTENT, DESCRIPTION};
use sauce_ai::testing::{FakeServer, Scripted, Vendor};

#[test]
fn a_rust_compile_error_is_repaired_after_rustc_speaks_and_the_handler_serves() {
    let folder = temporary_folder("ai-compile-error");
    let code = |plan: &str, library: &str| {
        scenarios::reply(
            plan,
            &[
                ("toml", "sauce.toml", CODE_INTENT),
                ("toml", "Cargo.toml", scenarios::MANIFEST),
                ("rust", "src/lib.rs", library),
            ],
        )
    };
    let server = FakeServer::scripted(
        Vendor::OpenAi,
        Some(OPENAI_KEY),
        vec![
            Scripted::Reply(code("Plan: a greeting counter.", scenarios::BROKEN_LIBRARY)),
            Scripted::Reply(code(
                "Changed: the count starts at 0.",
                scenarios::FIXED_LIBRARY,
            )),
        ],
    )
    .unwrap();
    let output = run_building(
        sauce_with_model(&folder, &server, Vendor::OpenAi, OPENAI_KEY).args([
            "new",
            "hello",
            "--describe",
            DESCRIPTION,
        ]),
    );
    assert_exit(&output, 0);
    let (stdout, _) = text(&output);
    assert!(
        stdout.starts_with("attempt 1 failed at build: error[E0308]: mismatched types"),
        "{stdout}"
    );
    assert!(
        stdout.contains("attempt 2 fixed the build failure and passed every stage"),
        "{stdout}"
    );
    let feedback = server.requests()[1].last_message().unwrap();
    assert!(feedback.contains("The build failed"), "{feedback}");
    assert!(feedback.contains("--> src/lib.rs:9:22"), "{feedback}");
    assert!(
        feedback.contains("expected `u64`, found `&str`"),
        "{feedback}"
    );
    let project = folder.join("hello");
    assert_eq!(
        std::fs::read_to_string(project.join("src/lib.rs")).unwrap(),
        scenarios::FIXED_LIBRARY
    );
    // The handler runs in the image: GET /greetings answers the count as JSON.
    let guest = {
        let _lock = build_lock();
        Guest::start(&project, 8080)
    };
    let greetings = guest.get("/greetings");
    assert!(greetings.starts_with("HTTP/1.1 200"), "{greetings}");
    assert!(greetings.ends_with("\r\n\r\n0"), "{greetings}");
}
