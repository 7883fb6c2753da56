//! The HTTP provider against the fake vendors on 127.0.0.1.

use std::net::TcpListener;
use std::time::Duration;

use super::*;
use crate::testing::{FakeOptions, FakeServer, Scripted, Vendor};

const OPENAI_KEY: &str = "sk-test-openai-0123456789abcdefghij";
const ANTHROPIC_KEY: &str = "sk-ant-test-9876543210zyxwvutsrqpo";

fn request() -> ChatRequest {
    ChatRequest {
        system: "You write SauceOS projects.".to_owned(),
        messages: vec![Message::user("a hello service")],
        max_output_tokens: 1024,
        temperature: None,
        structured: false,
    }
}

fn complete(provider: &HttpProvider) -> (Result<Completion, ProviderError>, Vec<ProviderEvent>) {
    let mut events = Vec::new();
    let result = provider.complete(&request(), &mut |event| events.push(event.clone()));
    (result, events)
}

const REPLY: &str = "Plan: one route.\n\n```toml sauce.toml\n[app]\nname = \"hello\"\n```\n";

#[test]
fn openai_streams_with_progress_and_usage() {
    let server = FakeServer::scripted(
        Vendor::OpenAi,
        Some(OPENAI_KEY),
        vec![Scripted::Reply(REPLY.to_owned())],
    )
    .unwrap();
    let provider = HttpProvider::new(server.settings("gpt-4.1-mini"));
    let (result, events) = complete(&provider);
    let completion = result.unwrap();
    assert_eq!(completion.text, REPLY);
    assert_eq!(
        completion.usage.output_tokens,
        (REPLY.chars().count() as u64).div_ceil(4)
    );
    assert!(completion.usage.input_tokens > 0);
    assert!(!completion.truncated);
    let progress: Vec<u64> = events
        .iter()
        .filter_map(|event| match event {
            ProviderEvent::Receiving { bytes, .. } => Some(*bytes),
            _ => None,
        })
        .collect();
    assert!(progress.len() > 3, "{events:?}");
    assert!(progress.windows(2).all(|pair| pair[0] <= pair[1]));
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let sent = &requests[0];
    assert_eq!(sent.path, "/v1/chat/completions");
    assert_eq!(
        sent.header("authorization"),
        Some(format!("Bearer {OPENAI_KEY}").as_str())
    );
    assert_eq!(
        sent.system().as_deref(),
        Some("You write SauceOS projects.")
    );
    assert_eq!(sent.rejected, None);
    assert!(provider
        .cost(completion.usage)
        .is_some_and(|cost| cost > 0.0));
}

#[test]
fn anthropic_streams_and_answers_whole() {
    let server = FakeServer::scripted(
        Vendor::Anthropic,
        Some(ANTHROPIC_KEY),
        vec![
            Scripted::Reply(REPLY.to_owned()),
            Scripted::Reply("whole".to_owned()),
        ],
    )
    .unwrap();
    let mut settings = server.settings("claude-sonnet-4-5");
    let streamed = HttpProvider::new(settings.clone());
    let (result, _) = complete(&streamed);
    assert_eq!(result.unwrap().text, REPLY);
    settings.stream = false;
    let whole = HttpProvider::new(settings);
    let (result, events) = complete(&whole);
    let completion = result.unwrap();
    assert_eq!(completion.text, "whole");
    assert_eq!(completion.usage.output_tokens, 2);
    assert_eq!(events.len(), 1);
    let requests = server.requests();
    assert_eq!(requests[0].header("x-api-key"), Some(ANTHROPIC_KEY));
    assert_eq!(requests[0].header("anthropic-version"), Some("2023-06-01"));
    assert_eq!(requests[0].header("authorization"), None);
    assert!(requests.iter().all(|request| request.rejected.is_none()));
}

#[test]
fn a_local_server_gets_no_key() {
    let server =
        FakeServer::scripted(Vendor::OpenAi, None, vec![Scripted::Reply("hi".to_owned())]).unwrap();
    let settings = server.settings("qwen2.5-coder");
    assert_eq!(settings.kind, ProviderKind::OpenAiCompatible);
    let provider = HttpProvider::new(settings);
    assert_eq!(complete(&provider).0.unwrap().text, "hi");
    let sent = &server.requests()[0];
    assert_eq!(sent.header("authorization"), None);
    assert!(sent.json.as_ref().unwrap().get("max_tokens").is_some());
    assert_eq!(
        provider.cost(Usage {
            input_tokens: 10,
            output_tokens: 10
        }),
        None
    );
}

#[test]
fn rate_limits_are_retried_after_the_servers_wait() {
    let server = FakeServer::scripted(
        Vendor::OpenAi,
        Some(OPENAI_KEY),
        vec![
            Scripted::Status {
                status: 429,
                retry_after: Some("1".to_owned()),
                message: "Rate limit reached".to_owned(),
            },
            Scripted::Status {
                status: 503,
                retry_after: None,
                message: "busy".to_owned(),
            },
            Scripted::Reply("finally".to_owned()),
        ],
    )
    .unwrap();
    let provider = HttpProvider::new(server.settings("gpt-4.1-mini"));
    let started = std::time::Instant::now();
    let (result, events) = complete(&provider);
    assert_eq!(result.unwrap().text, "finally");
    assert!(started.elapsed() >= Duration::from_secs(1));
    let retries: Vec<(u16, Duration, u32)> = events
        .iter()
        .filter_map(|event| match event {
            ProviderEvent::Retrying {
                status,
                delay,
                retry,
            } => Some((*status, *delay, *retry)),
            _ => None,
        })
        .collect();
    assert_eq!(
        retries,
        [
            (429, Duration::from_secs(1), 1),
            (503, Duration::from_millis(40), 2)
        ]
    );
    assert_eq!(server.requests().len(), 3);
}

#[test]
fn retries_end_with_errors_that_say_so() {
    let server = FakeServer::scripted(
        Vendor::OpenAi,
        Some(OPENAI_KEY),
        vec![Scripted::Status {
            status: 429,
            retry_after: Some("3600".to_owned()),
            message: "quota".to_owned(),
        }],
    )
    .unwrap();
    let error = complete(&HttpProvider::new(server.settings("gpt-4.1-mini")))
        .0
        .unwrap_err();
    assert_eq!(
        error,
        ProviderError::RateLimited {
            vendor: "OpenAI",
            wait: Some(Duration::from_secs(3600)),
            message: "quota".to_owned()
        }
    );
    let failing: Vec<Scripted> = (0..4)
        .map(|_| Scripted::Status {
            status: 500,
            retry_after: None,
            message: "boom".to_owned(),
        })
        .collect();
    let server = FakeServer::scripted(Vendor::Anthropic, Some(ANTHROPIC_KEY), failing).unwrap();
    let error = complete(&HttpProvider::new(server.settings("claude-sonnet-4-5")))
        .0
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "Anthropic failed (HTTP 500) 4 times: boom; try again later"
    );
}

#[test]
fn stream_errors_are_retried() {
    let server = FakeServer::scripted(
        Vendor::Anthropic,
        Some(ANTHROPIC_KEY),
        vec![Scripted::StreamError, Scripted::Reply("ok".to_owned())],
    )
    .unwrap();
    let (result, events) = complete(&HttpProvider::new(server.settings("claude-sonnet-4-5")));
    assert_eq!(result.unwrap().text, "ok");
    assert!(events
        .iter()
        .any(|event| matches!(event, ProviderEvent::Retrying { .. })));
}

#[test]
fn a_refused_key_never_shows() {
    let server = FakeServer::scripted(
        Vendor::OpenAi,
        Some("sk-the-right-one-000000000000000"),
        vec![],
    )
    .unwrap();
    let mut settings = server.settings("gpt-4.1-mini");
    settings.key = Some(ApiKey::new(
        OPENAI_KEY,
        KeySource::Environment("OPENAI_API_KEY".to_owned()),
    ));
    let provider = HttpProvider::new(settings.clone());
    let error = complete(&provider).0.unwrap_err();
    assert_eq!(error.to_string(), "OpenAI refused the API key (HTTP 401): check the environment variable OPENAI_API_KEY; create a new key if it was revoked");
    for text in [
        error.to_string(),
        format!("{error:?}"),
        format!("{settings:?}"),
        format!("{provider:?}"),
        provider.describe(),
    ] {
        assert!(!text.contains(OPENAI_KEY), "{text}");
        assert!(!text.contains("0123456789"), "{text}");
    }
    let anthropic = FakeServer::scripted(Vendor::Anthropic, Some("other"), vec![]).unwrap();
    let mut settings = anthropic.settings("claude-sonnet-4-5");
    settings.key = Some(ApiKey::new(ANTHROPIC_KEY, KeySource::Given));
    let error = complete(&HttpProvider::new(settings)).0.unwrap_err();
    assert!(
        matches!(error, ProviderError::InvalidKey { status: 401, .. }),
        "{error}"
    );
}

#[test]
fn wrong_base_urls_and_unknown_models_name_the_fix() {
    let server = FakeServer::start(FakeOptions {
        vendor: Vendor::OpenAi,
        key: None,
        models: Some(vec!["llama3".to_owned()]),
        script: vec![],
    })
    .unwrap();
    let mut settings = server.settings("llama3");
    settings.base_url = format!("{}/api", server.base_url());
    let error = complete(&HttpProvider::new(settings)).0.unwrap_err();
    assert_eq!(
        error,
        ProviderError::WrongPath {
            url: format!("{}/api/v1/chat/completions", server.base_url())
        }
    );
    let error = complete(&HttpProvider::new(server.settings("gpt-5")))
        .0
        .unwrap_err();
    assert!(error.to_string().starts_with("the OpenAI-compatible server does not know the model \"gpt-5\": The model `gpt-5` does not exist"), "{error}");
    assert!(
        error
            .to_string()
            .ends_with("set SAUCE_AI_MODEL to a model it serves"),
        "{error}"
    );
    let anthropic = FakeServer::start(FakeOptions {
        vendor: Vendor::Anthropic,
        key: Some(ANTHROPIC_KEY.to_owned()),
        models: Some(vec![]),
        script: vec![],
    })
    .unwrap();
    let error = complete(&HttpProvider::new(anthropic.settings("claude-9")))
        .0
        .unwrap_err();
    assert!(
        matches!(error, ProviderError::UnknownModel { .. }),
        "{error}"
    );
}

#[test]
fn nothing_listening_and_timeouts() {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let settings = ProviderSettings::new(
        ProviderKind::OpenAiCompatible,
        &format!("http://127.0.0.1:{port}"),
        "m",
        None,
    );
    let error = complete(&HttpProvider::new(settings)).0.unwrap_err();
    assert!(
        matches!(&error, ProviderError::Unreachable { reason, .. } if reason == "connection refused"),
        "{error:?}"
    );
    assert!(error
        .to_string()
        .contains("is the server running, and is SAUCE_AI_BASE_URL right?"));

    let server = FakeServer::scripted(
        Vendor::OpenAi,
        Some(OPENAI_KEY),
        vec![Scripted::Stall(Duration::from_secs(3))],
    )
    .unwrap();
    let mut settings = server.settings("gpt-4.1-mini");
    settings.read_timeout = Duration::from_millis(300);
    let started = std::time::Instant::now();
    let error = complete(&HttpProvider::new(settings)).0.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(3));
    assert!(matches!(error, ProviderError::Timeout { .. }), "{error:?}");
    assert!(
        error
            .to_string()
            .contains("raise the limit with SAUCE_AI_TIMEOUT=SECONDS"),
        "{error}"
    );
}

#[test]
fn structured_output_through_the_anthropic_tool() {
    let project = "{\"plan\":\"p\",\"files\":[{\"path\":\"sauce.toml\",\"content\":\"[app]\\nname = \\\"a\\\"\\n\"}],\"probes\":[]}";
    let server = FakeServer::scripted(
        Vendor::Anthropic,
        Some(ANTHROPIC_KEY),
        vec![
            Scripted::Reply(project.to_owned()),
            Scripted::Reply(project.to_owned()),
        ],
    )
    .unwrap();
    let mut settings = server.settings("claude-sonnet-4-5");
    let mut structured = request();
    structured.structured = true;
    for stream in [true, false] {
        settings.stream = stream;
        let completion = HttpProvider::new(settings.clone())
            .complete(&structured, &mut |_| {})
            .unwrap();
        let reply = crate::reply::parse_reply(&completion.text);
        assert_eq!(
            reply.files.text("sauce.toml"),
            Some("[app]\nname = \"a\"\n"),
            "stream {stream}: {}",
            completion.text
        );
    }
    let sent = &server.requests()[0];
    assert_eq!(
        sent.json.as_ref().unwrap()["tool_choice"]["name"],
        "write_project"
    );
}
