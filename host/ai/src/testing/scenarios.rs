//! The issue's scripted scenarios, as data: the description, the replies the fake model gives,
//! the build failures the fake pipeline scripts, and what must happen. This crate's tests run
//! them against both vendors; the integrator's end-to-end tests can run them against the real
//! pipeline (the compile-error scenario then needs no build rule: rustc fails by itself).

use std::time::Duration;

use super::pipeline::BuildRule;
use super::server::Scripted;

/// The description every scenario starts from.
pub const DESCRIPTION: &str = "a hello service on port 8080 with a health check on /healthz";

/// The intent a correct answer holds.
pub const INTENT: &str = "[app]\nname = \"hello\"\n\n[http]\nport = 8080\n\n[[http.route]]\npath = \"/\"\nbody = \"Hello from SauceOS\\n\"\n\n[[http.route]]\npath = \"/healthz\"\njson = { status = \"ok\" }\n";

/// The same intent with a misspelt key (`bdy`), which `sauce check` rejects.
pub const INVALID_INTENT: &str = "[app]\nname = \"hello\"\n\n[http]\nport = 8080\n\n[[http.route]]\npath = \"/\"\nbdy = \"Hello from SauceOS\\n\"\n\n[[http.route]]\npath = \"/healthz\"\njson = { status = \"ok\" }\n";

/// The intent of the scenarios with code: [`INTENT`] plus a handler route in the app crate.
pub const CODE_INTENT: &str = "[app]\nname = \"hello\"\ncode = \".\"\n\n[http]\nport = 8080\n\n[[http.route]]\npath = \"/\"\nbody = \"Hello from SauceOS\\n\"\n\n[[http.route]]\npath = \"/healthz\"\njson = { status = \"ok\" }\n\n[[http.route]]\npath = \"/greetings\"\nhandler = \"greetings\"\n";

/// The app crate's manifest in the scenarios with code.
pub const MANIFEST: &str = "[package]\nname = \"hello\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\nsauce-app = \"0.1\"\n\n[workspace]\n";

/// An app crate that does not compile (a `&str` where a `u64` belongs, line 9).
pub const BROKEN_LIBRARY: &str = "#![no_std]\n#![forbid(unsafe_code)]\n//! Greeting counts.\n\nuse sauce_app::{Request, Response, Result};\n\n/// How many greetings so far.\npub async fn greetings(_request: Request) -> Result {\n    let count: u64 = \"none yet\";\n    Ok(Response::json(&count))\n}\n";

/// The same crate, fixed.
pub const FIXED_LIBRARY: &str = "#![no_std]\n#![forbid(unsafe_code)]\n//! Greeting counts.\n\nuse sauce_app::{Request, Response, Result};\n\n/// How many greetings so far.\npub async fn greetings(_request: Request) -> Result {\n    let count: u64 = 0;\n    Ok(Response::json(&count))\n}\n";

/// An app crate that reaches for `unsafe`.
pub const UNSAFE_LIBRARY: &str = "#![no_std]\n#![forbid(unsafe_code)]\n//! Greeting counts.\n\nuse sauce_app::{Request, Response, Result};\n\n/// How many greetings so far.\npub async fn greetings(_request: Request) -> Result {\n    let counts = [0_u64];\n    let count = unsafe { *counts.get_unchecked(0) };\n    Ok(Response::json(&count))\n}\n";

/// What rustc prints for [`BROKEN_LIBRARY`]; `{folder}` is the project folder.
pub const RUSTC_ERROR: &str = "error[E0308]: mismatched types\n --> {folder}/src/lib.rs:9:22\n  |\n9 |     let count: u64 = \"none yet\";\n  |                ---   ^^^^^^^^^^ expected `u64`, found `&str`\n  |                |\n  |                expected due to this\n\nFor more information about this error, try `rustc --explain E0308`.\nerror: could not compile `hello` (lib) due to 1 previous error\n";

/// A reply in the requested format holding `files`, with a plan and probes.
pub fn reply(plan: &str, files: &[(&str, &str, &str)]) -> String {
    let mut text = format!("{plan}\n\n");
    for (language, name, contents) in files {
        text.push_str(&format!("```{language} {name}\n{contents}```\n\n"));
    }
    text.push_str(
        "```probes\nGET /healthz -> 200 application/json\nGET / -> 200 text/plain\n```\n",
    );
    text
}

/// The correct answer: just the intent.
pub fn correct_reply() -> String {
    reply(
        "Plan: a text route at / and a JSON health check.",
        &[("toml", "sauce.toml", INTENT)],
    )
}

/// What a scenario must end with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Expectation {
    /// Whether the project passes and is installed.
    pub success: bool,
    /// Attempts made.
    pub attempts: usize,
    /// Requests the fake server receives (retries count).
    pub requests: usize,
    /// Text the last request's last message must contain (the diagnostic fed back).
    pub feedback: Option<&'static str>,
    /// Text the provider error must contain, when the run ends in one.
    pub error: Option<&'static str>,
    /// The sauce.toml a passing run installs.
    pub intent: &'static str,
}

/// One scripted scenario.
#[derive(Clone, Debug)]
pub struct Scenario {
    /// Its name.
    pub name: &'static str,
    /// The fake model's answers.
    pub script: Vec<Scripted>,
    /// Scripted build failures.
    pub build_rules: Vec<BuildRule>,
    /// Whether the key sauce sends is the one the server expects.
    pub right_key: bool,
    /// The read timeout to use (short for the timeout scenario).
    pub read_timeout: Duration,
    /// What must happen.
    pub expect: Expectation,
}

fn scenario(name: &'static str, script: Vec<Scripted>, expect: Expectation) -> Scenario {
    Scenario {
        name,
        script,
        build_rules: Vec::new(),
        right_key: true,
        read_timeout: Duration::from_secs(5),
        expect,
    }
}

fn code_files(library: &'static str) -> [(&'static str, &'static str, &'static str); 3] {
    [
        ("toml", "sauce.toml", CODE_INTENT),
        ("toml", "Cargo.toml", MANIFEST),
        ("rust", "src/lib.rs", library),
    ]
}

/// Every scenario of the issue.
pub fn scenarios() -> Vec<Scenario> {
    let passes = |attempts, requests, feedback| Expectation {
        success: true,
        attempts,
        requests,
        feedback,
        error: None,
        intent: INTENT,
    };
    let mut compile = scenario(
        "a Rust compile error repaired after rustc's feedback",
        vec![
            Scripted::Reply(reply(
                "Plan: the intent plus a greeting counter.",
                &code_files(BROKEN_LIBRARY),
            )),
            Scripted::Reply(reply(
                "Changed: the count starts at 0, a u64.",
                &[("rust", "src/lib.rs", FIXED_LIBRARY)],
            )),
        ],
        Expectation {
            intent: CODE_INTENT,
            ..passes(2, 2, Some(" --> src/lib.rs:9:22"))
        },
    );
    compile.build_rules.push(BuildRule {
        file: "src/lib.rs".to_owned(),
        contains: "\"none yet\"".to_owned(),
        diagnostics: RUSTC_ERROR.to_owned(),
    });
    let mut unauthorized = scenario(
        "a 401 with a clear message",
        vec![],
        Expectation {
            success: false,
            attempts: 0,
            requests: 1,
            feedback: None,
            error: Some("refused the API key (HTTP 401)"),
            intent: INTENT,
        },
    );
    unauthorized.right_key = false;
    let mut timeout = scenario(
        "a timeout",
        vec![Scripted::Stall(Duration::from_secs(3))],
        Expectation {
            success: false,
            attempts: 0,
            requests: 1,
            feedback: None,
            error: Some("no answer from"),
            intent: INTENT,
        },
    );
    timeout.read_timeout = Duration::from_millis(300);
    vec![
        scenario(
            "a correct answer first time",
            vec![Scripted::Reply(correct_reply())],
            passes(1, 1, None),
        ),
        scenario(
            "an invalid intent repaired after the diagnostic is fed back",
            vec![
                Scripted::Reply(reply(
                    "Plan: two routes.",
                    &[("toml", "sauce.toml", INVALID_INTENT)],
                )),
                Scripted::Reply(reply(
                    "Changed: `bdy` is `body`.",
                    &[("toml", "sauce.toml", INTENT)],
                )),
            ],
            passes(2, 2, Some("bdy")),
        ),
        compile,
        scenario(
            "unsafe rejected and repaired",
            vec![
                Scripted::Reply(reply(
                    "Plan: the intent plus a fast counter.",
                    &code_files(UNSAFE_LIBRARY),
                )),
                Scripted::Reply(reply(
                    "Changed: no unsafe; a checked read.",
                    &[("rust", "src/lib.rs", FIXED_LIBRARY)],
                )),
            ],
            Expectation {
                intent: CODE_INTENT,
                ..passes(2, 2, Some("error[security/unsafe]"))
            },
        ),
        scenario(
            "a reply with no usable block",
            vec![
                Scripted::Reply(
                    "Sure! A hello service is a great idea. Let me know if you want code."
                        .to_owned(),
                ),
                Scripted::Reply(correct_reply()),
            ],
            passes(2, 2, Some("no file in a fenced block")),
        ),
        scenario(
            "429 then success (Retry-After)",
            vec![
                Scripted::Status {
                    status: 429,
                    retry_after: Some("1".to_owned()),
                    message: "Rate limit reached for requests".to_owned(),
                },
                Scripted::Reply(correct_reply()),
            ],
            passes(1, 2, None),
        ),
        timeout,
        unauthorized,
    ]
}
