//! Authentication against a real MariaDB: `mysql_native_password` with and without a password,
//! a percent-encoded URL password, the auth-switch request, refusals.
mod support;

use sauce_connect::host::block_on;
use sauce_mysql::{AuthPlugin, AuthenticationError, Cause, ErrorKind, Options};

fn options(server: &support::mariadb::Server, user: &str, password: &str) -> Options {
    Options::from_url(&server.url(user, password)).unwrap()
}

#[test]
fn native_password_accounts_log_in() {
    let Some(server) = support::mariadb::shared() else {
        return;
    };
    for (user, password) in [("native", "native-secret"), ("nopassword", "")] {
        let mut connection = support::connect(&options(&server, user, password))
            .unwrap_or_else(|error| panic!("{user}: {error}"));
        assert!(
            connection.server_version().contains("MariaDB")
                || !connection.server_version().is_empty()
        );
        let who = block_on(connection.query("SELECT CURRENT_USER(), DATABASE()")).unwrap();
        let row = &who.rows()[0];
        assert_eq!(row.get::<String>(0).unwrap(), format!("{user}@%"));
        assert_eq!(row.get::<String>(1).unwrap(), "sauce");
    }
}

#[test]
fn a_password_with_reserved_characters_is_percent_decoded_from_the_url() {
    let Some(server) = support::mariadb::shared() else {
        return;
    };
    let url = format!(
        "mysql://long:p%40ss%3Aw%2Frd%20with%20spaces%20and%20%C3%BCn%C3%AFcode@127.0.0.1:{}/sauce",
        server.port()
    );
    let options = Options::from_url(&url).unwrap();
    assert_eq!(options.password, "p@ss:w/rd with spaces and ünïcode");
    assert!(!format!("{options:?}").contains("spaces"));
    support::connect(&options).unwrap();
}

#[test]
fn the_server_switches_a_caching_sha2_first_response_to_native_password() {
    let Some(server) = support::mariadb::shared() else {
        return;
    };
    // Like `mysql --default-auth=caching_sha2_password`: the first response uses the wrong
    // plugin, MariaDB answers with an auth-switch request carrying a fresh nonce.
    let mut options = options(&server, "native", "native-secret");
    options.auth_plugin = Some(AuthPlugin::CachingSha2Password);
    let mut connection = support::connect(&options).unwrap();
    block_on(connection.ping()).unwrap();
}

#[test]
fn wrong_passwords_and_unknown_databases_are_server_errors() {
    let Some(server) = support::mariadb::shared() else {
        return;
    };
    let error = support::connect(&options(&server, "native", "wrong")).unwrap_err();
    assert_eq!(error.code(), Some(1045), "{error}");
    assert_eq!(error.sql_state(), Some("28000"));
    assert_eq!(error.kind(), ErrorKind::Unavailable);
    assert!(error.to_string().contains("Access denied"), "{error}");

    let missing = options(&server, "native", "native-secret").with_database("no_such_database");
    let error = support::connect(&missing).unwrap_err();
    assert!(matches!(error.code(), Some(1044 | 1049)), "{error}");
}

#[test]
fn an_account_using_an_unimplemented_plugin_is_refused_by_name() {
    let Some(server) = support::mariadb::shared() else {
        return;
    };
    let error = support::connect(&options(&server, "edwards", "edwards-secret")).unwrap_err();
    assert_eq!(
        error.cause(),
        &Cause::Authentication(AuthenticationError::UnsupportedPlugin(
            "client_ed25519".into()
        ))
    );
    assert_eq!(error.kind(), ErrorKind::Unavailable);
}

#[test]
fn a_closed_port_is_unavailable() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let options = Options::new("127.0.0.1", port, "native", "x");
    let error = support::connect(&options).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Unavailable);
    assert!(matches!(error.cause(), Cause::Connect(_)), "{error}");
}
