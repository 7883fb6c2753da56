//! Resolution from the environment and the config file.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::*;

fn environment(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
    let map: HashMap<String, String> = pairs
        .iter()
        .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
        .collect();
    move |name: &str| map.get(name).cloned()
}

fn resolve(pairs: &[(&str, &str)]) -> Result<Option<ProviderSettings>, ConfigError> {
    ProviderSettings::resolve(&environment(pairs), None)
}

fn file(text: &str) -> (tempfile::TempDir, Result<Option<FileSettings>, ConfigError>) {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("config.toml");
    std::fs::write(&path, text).unwrap();
    let settings = read_file(&path);
    (folder, settings)
}

#[test]
fn nothing_configured_means_no_provider() {
    assert!(resolve(&[("HOME", "/home/user")]).unwrap().is_none());
}

#[test]
fn the_provider_follows_the_key() {
    let openai = resolve(&[("OPENAI_API_KEY", "sk-one")]).unwrap().unwrap();
    assert_eq!(openai.kind, ProviderKind::OpenAi);
    assert_eq!(openai.model, "gpt-4.1-mini");
    assert_eq!(openai.base_url, "https://api.openai.com");
    assert_eq!(
        openai.key.as_ref().map(|key| key.source().clone()),
        Some(KeySource::Environment("OPENAI_API_KEY".to_owned()))
    );
    let anthropic = resolve(&[
        ("ANTHROPIC_API_KEY", "sk-ant"),
        ("SAUCE_AI_MODEL", "claude-haiku-4-5"),
    ])
    .unwrap()
    .unwrap();
    assert_eq!(anthropic.kind, ProviderKind::Anthropic);
    assert_eq!(anthropic.model, "claude-haiku-4-5");
    assert!(matches!(
        resolve(&[("OPENAI_API_KEY", "a"), ("ANTHROPIC_API_KEY", "b")]),
        Err(ConfigError::Ambiguous)
    ));
    let chosen = resolve(&[
        ("OPENAI_API_KEY", "a"),
        ("ANTHROPIC_API_KEY", "b"),
        ("SAUCE_AI_PROVIDER", "anthropic"),
    ])
    .unwrap()
    .unwrap();
    assert_eq!(chosen.kind, ProviderKind::Anthropic);
}

#[test]
fn a_local_server_needs_no_key_but_a_model() {
    let local = resolve(&[
        ("SAUCE_AI_BASE_URL", "http://127.0.0.1:11434/v1/"),
        ("SAUCE_AI_MODEL", "qwen2.5-coder:7b"),
    ])
    .unwrap()
    .unwrap();
    assert_eq!(local.kind, ProviderKind::OpenAiCompatible);
    assert_eq!(local.base_url, "http://127.0.0.1:11434");
    assert!(local.key.is_none());
    let error = resolve(&[("SAUCE_AI_BASE_URL", "http://127.0.0.1:8080")]).unwrap_err();
    assert!(error.to_string().contains("set SAUCE_AI_MODEL"), "{error}");
    let with_key = resolve(&[
        ("SAUCE_AI_PROVIDER", "openai-compatible"),
        ("SAUCE_AI_MODEL", "m"),
        ("SAUCE_AI_API_KEY", "k"),
        ("OPENAI_API_KEY", "not-this-one"),
    ])
    .unwrap()
    .unwrap();
    assert_eq!(
        with_key.key.as_ref().map(|key| key.source().clone()),
        Some(KeySource::Environment("SAUCE_AI_API_KEY".to_owned()))
    );
}

#[test]
fn errors_name_the_fix() {
    let missing = resolve(&[
        ("SAUCE_AI_PROVIDER", "anthropic"),
        ("XDG_CONFIG_HOME", "/cfg"),
    ])
    .unwrap_err();
    assert_eq!(
        missing.to_string(),
        "no API key for Anthropic: set ANTHROPIC_API_KEY, or name a variable (api_key_env) or a command (api_key_command) in the [ai] table of /cfg/sauce/config.toml"
    );
    let unknown = resolve(&[("SAUCE_AI_PROVIDER", "gemini")]).unwrap_err();
    assert!(
        unknown
            .to_string()
            .contains("use openai, anthropic or openai-compatible"),
        "{unknown}"
    );
    let url = resolve(&[
        ("OPENAI_API_KEY", "k"),
        ("SAUCE_AI_BASE_URL", "api.openai.com"),
    ])
    .unwrap_err();
    assert!(
        url.to_string().contains("not an http:// or https:// URL"),
        "{url}"
    );
    let plain = resolve(&[
        ("OPENAI_API_KEY", "k"),
        ("SAUCE_AI_BASE_URL", "http://10.0.0.5:8000"),
    ])
    .unwrap_err();
    assert!(plain.to_string().contains("travel unencrypted"), "{plain}");
    let timeout = resolve(&[("OPENAI_API_KEY", "k"), ("SAUCE_AI_TIMEOUT", "soon")]).unwrap_err();
    assert!(
        timeout.to_string().contains("a number of seconds"),
        "{timeout}"
    );
}

#[test]
fn the_config_file_fills_in_and_the_environment_wins() {
    let (_folder, settings) = file("[ai]\nprovider = \"openai\"\nmodel = \"gpt-4o\"\napi_key_env = \"MY_OPENAI_KEY\"\ntimeout = 30\nmax_retries = 2\nstructured_output = true\n");
    let settings = settings.unwrap().unwrap();
    let resolved = ProviderSettings::resolve(
        &environment(&[("MY_OPENAI_KEY", "sk-mine")]),
        Some(&settings),
    )
    .unwrap()
    .unwrap();
    assert_eq!(resolved.kind, ProviderKind::OpenAi);
    assert_eq!(resolved.model, "gpt-4o");
    assert_eq!(resolved.read_timeout, Duration::from_secs(30));
    assert_eq!(resolved.retry.max_retries, 2);
    assert!(resolved.structured_output);
    assert_eq!(
        resolved.key.as_ref().map(|key| key.source().clone()),
        Some(KeySource::Environment("MY_OPENAI_KEY".to_owned()))
    );
    let overridden = ProviderSettings::resolve(
        &environment(&[
            ("MY_OPENAI_KEY", "sk-mine"),
            ("OPENAI_API_KEY", "sk-env"),
            ("SAUCE_AI_MODEL", "gpt-4.1"),
        ]),
        Some(&settings),
    )
    .unwrap()
    .unwrap();
    assert_eq!(overridden.model, "gpt-4.1");
    assert_eq!(
        overridden.key.as_ref().map(|key| key.source().clone()),
        Some(KeySource::Environment("OPENAI_API_KEY".to_owned()))
    );
}

#[cfg(unix)]
#[test]
fn a_key_command_in_the_file() {
    let (_folder, settings) =
        file("[ai]\nprovider = \"anthropic\"\napi_key_command = \"echo sk-ant-from-command\"\n");
    let resolved = ProviderSettings::resolve(&environment(&[]), settings.unwrap().as_ref())
        .unwrap()
        .unwrap();
    assert_eq!(
        resolved.key.as_ref().map(|key| key.expose().to_owned()),
        Some("sk-ant-from-command".to_owned())
    );
}

#[test]
fn the_file_never_holds_a_key_and_is_checked() {
    let (_folder, plain) = file("[ai]\napi_key = \"sk-plain\"\n");
    let error = plain.unwrap_err();
    assert!(
        error.to_string().contains("holds `api_key` in plain text"),
        "{error}"
    );
    assert!(!error.to_string().contains("sk-plain"));
    let (_folder, unknown) = file("[ai]\nmodle = \"x\"\n");
    assert!(unknown
        .unwrap_err()
        .to_string()
        .contains("[ai] has no setting `modle`"));
    let (_folder, broken) = file("[ai\n");
    assert!(matches!(broken, Err(ConfigError::File { .. })));
    let (_folder, none) = file("[other]\n");
    assert!(none.unwrap().is_none());
    let (_folder, wrong) = file("[ai]\nprovider = \"openai\"\ntimeout = \"long\"\n");
    let error = ProviderSettings::resolve(
        &environment(&[("OPENAI_API_KEY", "k")]),
        wrong.unwrap().as_ref(),
    )
    .unwrap_err();
    assert!(error.to_string().contains("a number"), "{error}");
    assert!(read_file(Path::new("/nonexistent/sauce/config.toml"))
        .unwrap()
        .is_none());
}

#[test]
fn the_config_file_location() {
    assert_eq!(
        config_path(&environment(&[("XDG_CONFIG_HOME", "/x"), ("HOME", "/h")])),
        Some(PathBuf::from("/x/sauce/config.toml"))
    );
    assert_eq!(
        config_path(&environment(&[("HOME", "/h")])),
        Some(PathBuf::from("/h/.config/sauce/config.toml"))
    );
    assert_eq!(config_path(&environment(&[])), None);
}

#[test]
fn loopback_detection() {
    assert!(is_loopback("http://127.0.0.1:8080"));
    assert!(is_loopback("http://localhost"));
    assert!(is_loopback("http://[::1]:8080/x"));
    assert!(!is_loopback("http://10.0.0.1:8080"));
    assert!(!is_loopback("http://127.evil.example"));
}
