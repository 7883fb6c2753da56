//! Which [`ErrorKind`] a server error is: by error code first, then by SQLSTATE class.
use super::ErrorKind;
use crate::protocol::response::ServerError;

/// Codes that mean a conflict with existing data or a concurrent transaction.
const CONFLICT: [u16; 6] = [
    1022, // ER_DUP_KEY
    1062, // ER_DUP_ENTRY
    1169, // ER_DUP_UNIQUE
    1213, // ER_LOCK_DEADLOCK
    1451, // ER_ROW_IS_REFERENCED_2: a child row still refers to this one
    1586, // ER_DUP_ENTRY_WITH_KEY_NAME
];

/// Codes that mean a value the statement carried was rejected.
const BAD_INPUT: [u16; 14] = [
    1048, // ER_BAD_NULL_ERROR
    1264, // ER_WARN_DATA_OUT_OF_RANGE
    1265, // WARN_DATA_TRUNCATED
    1292, // ER_TRUNCATED_WRONG_VALUE
    1364, // ER_NO_DEFAULT_FOR_FIELD
    1366, // ER_TRUNCATED_WRONG_VALUE_FOR_FIELD
    1367, // ER_ILLEGAL_VALUE_FOR_TYPE
    1406, // ER_DATA_TOO_LONG
    1411, // ER_WRONG_VALUE_FOR_TYPE
    1452, // ER_NO_REFERENCED_ROW_2: no parent row for a foreign key
    1690, // ER_DATA_OUT_OF_RANGE
    3140, // MySQL ER_INVALID_JSON_TEXT
    3819, // MySQL ER_CHECK_CONSTRAINT_VIOLATED
    4025, // MariaDB ER_CONSTRAINT_FAILED
];

/// Codes that mean the statement ran out of time.
const TIMEOUT: [u16; 3] = [
    1205, // ER_LOCK_WAIT_TIMEOUT
    1969, // MariaDB ER_STATEMENT_TIMEOUT (max_statement_time)
    3024, // MySQL ER_QUERY_TIMEOUT (max_execution_time)
];

/// Codes that mean the server cannot serve this client now.
const UNAVAILABLE: [u16; 13] = [
    1040, // ER_CON_COUNT_ERROR: too many connections
    1044, // ER_DBACCESS_DENIED_ERROR
    1045, // ER_ACCESS_DENIED_ERROR
    1053, // ER_SERVER_SHUTDOWN
    1129, // ER_HOST_IS_BLOCKED
    1130, // ER_HOST_NOT_PRIVILEGED
    1152, // ER_ABORTING_CONNECTION
    1184, // ER_NEW_ABORTING_CONNECTION
    1290, // ER_OPTION_PREVENTS_STATEMENT (--read-only during a fail-over)
    1698, // ER_ACCESS_DENIED_NO_PASSWORD_ERROR
    1836, // ER_READ_ONLY_MODE
    1927, // MariaDB ER_CONNECTION_KILLED
    4031, // MySQL ER_CLIENT_INTERACTION_TIMEOUT
];

/// The kind of a server error.
pub fn classify(error: &ServerError) -> ErrorKind {
    let code = error.code;
    if CONFLICT.contains(&code) {
        return ErrorKind::Conflict;
    }
    if BAD_INPUT.contains(&code) {
        return ErrorKind::BadInput;
    }
    if TIMEOUT.contains(&code) {
        return ErrorKind::Timeout;
    }
    if UNAVAILABLE.contains(&code) {
        return ErrorKind::Unavailable;
    }
    let state = error.sql_state.as_bytes();
    match state {
        [b'2', b'2', ..] => ErrorKind::BadInput,
        b"40001" => ErrorKind::Conflict,
        [b'0', b'8', ..] => ErrorKind::Unavailable,
        _ => ErrorKind::Server,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::String;

    fn error(code: u16, state: &str) -> ServerError {
        ServerError {
            code,
            sql_state: String::from(state),
            message: String::new(),
        }
    }

    #[test]
    fn codes_decide_before_states() {
        assert_eq!(classify(&error(1062, "23000")), ErrorKind::Conflict);
        assert_eq!(classify(&error(1048, "23000")), ErrorKind::BadInput);
        assert_eq!(classify(&error(1406, "22001")), ErrorKind::BadInput);
        assert_eq!(classify(&error(1969, "70100")), ErrorKind::Timeout);
        assert_eq!(classify(&error(1045, "28000")), ErrorKind::Unavailable);
        assert_eq!(classify(&error(1064, "42000")), ErrorKind::Server);
        assert_eq!(classify(&error(9999, "22007")), ErrorKind::BadInput);
        assert_eq!(classify(&error(9999, "40001")), ErrorKind::Conflict);
        assert_eq!(classify(&error(9999, "08S01")), ErrorKind::Unavailable);
        assert_eq!(classify(&error(9999, "HY000")), ErrorKind::Server);
    }
}
