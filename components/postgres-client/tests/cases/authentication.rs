//! Every authentication method the server offers, and refusals.
use sauce_connect::host::block_on;
use sauce_postgres::{Configuration, ErrorKind};

use super::{case, connect};
use crate::support::harness::Case;
use crate::support::server::*;
use crate::Context;

pub fn cases() -> Vec<Case<Context>> {
    vec![
        case(
            "authentication_scram_sha_256_with_a_percent_encoded_password",
            scram,
        ),
        case("authentication_md5", md5),
        case("authentication_cleartext", cleartext),
        case(
            "authentication_wrong_password_is_unavailable_with_the_server_fields",
            wrong_password,
        ),
        case("startup_reports_parameters_and_the_backend_key", parameters),
    ]
}

/// Logs in with `url` and asks the server who we are.
fn login(url: &str) -> String {
    let configuration = Configuration::parse(url).expect("a valid URL");
    block_on(async {
        let mut client = connect(&configuration).await.expect("logs in");
        let row = client
            .query_one("SELECT current_user::text", &[])
            .await
            .expect("current_user");
        row.get(0).expect("text")
    })
}

/// Checks in the server's log (`log_connections`) that `user` logged in with `method`.
fn assert_method(context: &Context, user: &str, method: &str) {
    let expected = format!("identity=\"{user}\" method={method}");
    let log = context.server.log();
    assert!(
        log.contains(&expected),
        "`{expected}` not in the log:\n{log}"
    );
}

fn scram(context: &Context) {
    let url = context.server.url(SCRAM_USER, SCRAM_PASSWORD, DATABASE);
    assert!(url.contains("%40"), "{url}");
    assert_eq!(login(&url), SCRAM_USER);
    assert_method(context, SCRAM_USER, "scram-sha-256");
}

fn md5(context: &Context) {
    let url = context.server.url(MD5_USER, MD5_PASSWORD, DATABASE);
    assert_eq!(login(&url), MD5_USER);
    assert_method(context, MD5_USER, "md5");
}

fn cleartext(context: &Context) {
    let url = context
        .server
        .url(CLEARTEXT_USER, CLEARTEXT_PASSWORD, DATABASE);
    assert_eq!(login(&url), CLEARTEXT_USER);
    assert_method(context, CLEARTEXT_USER, "password");
}

fn wrong_password(context: &Context) {
    for user in [SCRAM_USER, MD5_USER, CLEARTEXT_USER] {
        let configuration =
            Configuration::parse(&context.server.url(user, "not-the-password", DATABASE)).unwrap();
        let error = block_on(connect(&configuration)).expect_err("refused");
        assert_eq!(error.kind(), ErrorKind::Unavailable, "{error}");
        let server = error
            .server_error()
            .unwrap_or_else(|| panic!("{user}: {error}"));
        assert_eq!(server.code, "28P01", "{server:?}");
        assert_eq!(server.severity, "FATAL");
        assert!(
            server.message.contains("password authentication failed"),
            "{server:?}"
        );
    }
    // No password at all, where one is needed.
    let configuration = Configuration::parse(&format!(
        "postgres://{SCRAM_USER}@127.0.0.1:{}/{DATABASE}",
        context.server.port()
    ))
    .unwrap();
    let error = block_on(connect(&configuration)).expect_err("refused");
    assert!(
        matches!(error, sauce_postgres::Error::PasswordMissing),
        "{error}"
    );
}

fn parameters(context: &Context) {
    let client = super::client(context);
    assert!(client
        .server_parameter("server_version")
        .is_some_and(|version| !version.is_empty()));
    assert_eq!(client.server_parameter("client_encoding"), Some("UTF8"));
    assert!(client.backend_key().is_some());
    assert!(!client.is_broken());
}
