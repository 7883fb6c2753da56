//! Capability and server-status flags, and the capabilities this client asks for.

/// `CLIENT_LONG_PASSWORD`: also marks a MySQL-compatible client to MariaDB.
pub const LONG_PASSWORD: u32 = 1;
/// `CLIENT_FOUND_ROWS`: affected rows count matched rather than changed rows (not requested).
pub const FOUND_ROWS: u32 = 1 << 1;
/// `CLIENT_LONG_FLAG`: column flags are two bytes.
pub const LONG_FLAG: u32 = 1 << 2;
/// `CLIENT_CONNECT_WITH_DB`: the handshake response names a default database.
pub const CONNECT_WITH_DB: u32 = 1 << 3;
/// `CLIENT_LOCAL_FILES`: `LOAD DATA LOCAL` (never requested: it lets a server read client files).
pub const LOCAL_FILES: u32 = 1 << 7;
/// `CLIENT_PROTOCOL_41`: the 4.1 protocol (required).
pub const PROTOCOL_41: u32 = 1 << 9;
/// `CLIENT_SSL`: switch to TLS after the handshake (not supported by this client).
pub const SSL: u32 = 1 << 11;
/// `CLIENT_TRANSACTIONS`: status flags in OK and EOF packets.
pub const TRANSACTIONS: u32 = 1 << 13;
/// `CLIENT_SECURE_CONNECTION`: 20-byte scrambles with a length prefix (required).
pub const SECURE_CONNECTION: u32 = 1 << 15;
/// `CLIENT_MULTI_STATEMENTS`: several statements in one query (never requested, so a `;` in
/// an interpolated string cannot start a second statement).
pub const MULTI_STATEMENTS: u32 = 1 << 16;
/// `CLIENT_MULTI_RESULTS`: several result sets per statement (stored procedures).
pub const MULTI_RESULTS: u32 = 1 << 17;
/// `CLIENT_PS_MULTI_RESULTS`: the same for prepared statements.
pub const PS_MULTI_RESULTS: u32 = 1 << 18;
/// `CLIENT_PLUGIN_AUTH`: authentication plugins and the auth-switch request (required).
pub const PLUGIN_AUTH: u32 = 1 << 19;
/// `CLIENT_CONNECT_ATTRS`: connection attributes in the handshake response (not sent).
pub const CONNECT_ATTRS: u32 = 1 << 20;
/// `CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA`: a length-encoded authentication response.
pub const PLUGIN_AUTH_LENENC_CLIENT_DATA: u32 = 1 << 21;
/// `CLIENT_SESSION_TRACK`: session-state changes in OK packets (not requested).
pub const SESSION_TRACK: u32 = 1 << 23;
/// `CLIENT_DEPRECATE_EOF`: result sets end with an OK packet instead of EOF packets.
pub const DEPRECATE_EOF: u32 = 1 << 24;

/// What the client requires of every server.
pub const REQUIRED: [(u32, &str); 3] = [
    (PROTOCOL_41, "the 4.1 protocol (CLIENT_PROTOCOL_41)"),
    (
        SECURE_CONNECTION,
        "secure authentication (CLIENT_SECURE_CONNECTION)",
    ),
    (PLUGIN_AUTH, "authentication plugins (CLIENT_PLUGIN_AUTH)"),
];

/// What the client asks for, before intersecting with the server's flags.
pub const REQUESTED: u32 = LONG_PASSWORD
    | LONG_FLAG
    | PROTOCOL_41
    | TRANSACTIONS
    | SECURE_CONNECTION
    | MULTI_RESULTS
    | PS_MULTI_RESULTS
    | PLUGIN_AUTH
    | PLUGIN_AUTH_LENENC_CLIENT_DATA
    | DEPRECATE_EOF;

/// Server status: a transaction is open.
pub const STATUS_IN_TRANSACTION: u16 = 1;
/// Server status: autocommit is on.
pub const STATUS_AUTOCOMMIT: u16 = 1 << 1;
/// Server status: another result set follows this one.
pub const STATUS_MORE_RESULTS: u16 = 1 << 3;

/// The capabilities of a session: what the client asked for and the server offered.
pub fn negotiate(server: u32, with_database: bool) -> u32 {
    let wanted = if with_database {
        REQUESTED | CONNECT_WITH_DB
    } else {
        REQUESTED
    };
    wanted & server
}

/// The first required capability `server` lacks, described for an error message.
pub fn missing_requirement(server: u32) -> Option<&'static str> {
    REQUIRED
        .iter()
        .find(|(flag, _)| server & flag == 0)
        .map(|&(_, name)| name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negotiation_never_asks_for_multi_statements_or_local_files() {
        let everything = u32::MAX;
        let session = negotiate(everything, true);
        assert_eq!(session & MULTI_STATEMENTS, 0);
        assert_eq!(session & LOCAL_FILES, 0);
        assert_eq!(session & SSL, 0);
        assert_ne!(session & CONNECT_WITH_DB, 0);
        assert_eq!(negotiate(everything, false) & CONNECT_WITH_DB, 0);
    }

    #[test]
    fn a_server_without_plugin_authentication_is_refused() {
        assert_eq!(missing_requirement(u32::MAX), None);
        assert_eq!(
            missing_requirement(PROTOCOL_41 | SECURE_CONNECTION),
            Some("authentication plugins (CLIENT_PLUGIN_AUTH)")
        );
    }
}
