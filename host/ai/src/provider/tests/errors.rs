//! Provider errors against the fake vendors: each names the fix and never shows the key.

use std::net::TcpListener;
use std::time::Duration;

use super::*;

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
