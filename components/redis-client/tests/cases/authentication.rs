//! AUTH with the default user's password and with an ACL user, both protocols; SELECT.
use sauce_connect::host::block_on;
use sauce_redis::{Configuration, ErrorKind, Protocol, Value};

use super::{case, client_with, connect};
use crate::support::harness::Case;
use crate::support::server::*;
use crate::Context;

pub fn cases() -> Vec<Case<Context>> {
    vec![
        case("auth_default_user_password_resp3_and_resp2", default_user),
        case("auth_acl_user_and_password_resp3_and_resp2", acl_user),
        case(
            "auth_refusals_are_unavailable_with_the_server_error",
            refusals,
        ),
        case("select_database_from_the_url", select),
    ]
}

/// The user the server says this connection is.
fn whoami(configuration: &Configuration) -> (String, Protocol) {
    let mut client = client_with(configuration);
    let user = block_on(client.command(&[b"ACL", b"WHOAMI"])).unwrap();
    (
        String::from_utf8(user.into_bytes().unwrap()).unwrap(),
        client.protocol(),
    )
}

fn default_user(context: &Context) {
    let url = context.server.url(None, DEFAULT_PASSWORD, "");
    let configuration = Configuration::parse(&url).unwrap();
    assert_eq!(configuration.user, None);
    assert_eq!(whoami(&configuration), ("default".into(), Protocol::Resp3));
    let configuration = Configuration::parse(&format!("{url}?protocol=2")).unwrap();
    assert_eq!(whoami(&configuration), ("default".into(), Protocol::Resp2));
}

fn acl_user(context: &Context) {
    let url = context.server.url(Some(ACL_USER), ACL_PASSWORD, "");
    assert!(url.contains("alice:alice%3Asecret@"), "{url}");
    let configuration = Configuration::parse(&url).unwrap();
    assert_eq!(whoami(&configuration), (ACL_USER.into(), Protocol::Resp3));
    let configuration = Configuration::parse(&format!("{url}?protocol=2")).unwrap();
    assert_eq!(whoami(&configuration), (ACL_USER.into(), Protocol::Resp2));
}

fn refusals(context: &Context) {
    for protocol in ["3", "2"] {
        let wrong = context
            .server
            .url(Some(ACL_USER), "wrong", &format!("?protocol={protocol}"));
        let error = block_on(connect(&Configuration::parse(&wrong).unwrap())).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Unavailable, "{error}");
        assert_eq!(error.server_error().unwrap().code(), "WRONGPASS", "{error}");
    }
    // No password: RESP3's HELLO is refused; RESP2 connects but every command is refused.
    let anonymous =
        Configuration::parse(&format!("redis://127.0.0.1:{}", context.server.port())).unwrap();
    let error = block_on(connect(&anonymous)).unwrap_err();
    assert_eq!(error.server_error().unwrap().code(), "NOAUTH", "{error}");
    let anonymous = Configuration::parse(&format!(
        "redis://127.0.0.1:{}?protocol=2",
        context.server.port()
    ))
    .unwrap();
    let mut client = client_with(&anonymous);
    let error = block_on(client.get(b"key")).unwrap_err();
    assert_eq!(error.server_error().unwrap().code(), "NOAUTH", "{error}");
    assert_eq!(error.kind(), ErrorKind::Unavailable);
    assert!(!client.is_broken());
}

fn select(context: &Context) {
    let url = context.server.url(Some(ACL_USER), ACL_PASSWORD, "/3");
    let mut third = client_with(&Configuration::parse(&url).unwrap());
    let mut first = client_with(&crate::support::configuration(&context.server));
    block_on(async {
        third.set(b"select:key", b"in 3").await.unwrap();
        assert_eq!(first.get(b"select:key").await.unwrap(), None);
        assert_eq!(
            third.get(b"select:key").await.unwrap().as_deref(),
            Some(&b"in 3"[..])
        );
        let info = third.command(&[b"CLIENT", b"INFO"]).await.unwrap();
        let (Value::Verbatim { text, .. } | Value::Bulk(text)) = info else {
            panic!("{info:?}")
        };
        assert!(String::from_utf8_lossy(&text).contains(" db=3 "));
    });
}
