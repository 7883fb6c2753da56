//! The HTTP provider against the fake vendors on 127.0.0.1.

use std::time::Duration;

use super::*;
use crate::testing::{FakeOptions, FakeServer, Scripted, Vendor};

mod errors;

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
