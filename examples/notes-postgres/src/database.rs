//! The database `main`: its pool, the `notes` table made once per boot, and its errors as the
//! HTTP errors a client can act on.

use sauce_app::{info, warn, Error, Result};
use sauce_postgres::board::ImagePool;
use sauce_postgres::ErrorKind;

use crate::App;

/// sauce.toml's `[[database]] name`.
pub const NAME: &str = "main";

/// The table, created when missing: an identity column never hands out an id twice.
const CREATE_TABLE: &str = "CREATE TABLE IF NOT EXISTS notes (\
     id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, \
     title text NOT NULL, \
     done boolean NOT NULL DEFAULT false)";

/// The pool, with the table made: 503 when this boot has no pool (the boot log says why).
pub async fn ready(app: &'static App) -> Result<&'static ImagePool> {
    let pool = sauce_postgres::pool(NAME).ok_or_else(|| Error::unavailable(5))?;
    if !app.table_ready.with(|ready| *ready) {
        pool.batch_execute(CREATE_TABLE).await.map_err(http_error)?;
        app.table_ready.with_mut(|ready| *ready = true);
        info!("notes table ready");
    }
    Ok(pool)
}

/// A database error as the client sees it: 503 with `Retry-After` while the server cannot be
/// reached, 504 on a timeout, 409 on a conflict, 422 on a value the table refuses, else 500
/// or 502. The server's own message is logged, never sent.
pub fn http_error(error: sauce_postgres::Error) -> Error {
    let kind = error.kind();
    match kind {
        ErrorKind::Unavailable => {
            let seconds = error.retry_after_ms().unwrap_or(1000).div_ceil(1000).max(1);
            warn!("database {NAME} unavailable: {error}");
            Error::unavailable(u32::try_from(seconds).unwrap_or(u32::MAX))
        }
        ErrorKind::Timeout => Error::new(504, "the database did not answer in time"),
        ErrorKind::UniqueViolation | ErrorKind::Conflict => {
            Error::conflict("the change conflicts with another")
        }
        ErrorKind::BadInput => Error::unprocessable("the database refused a value"),
        _ => {
            warn!("database {NAME}: {error}");
            Error::new(kind.http_status(), "database error")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_map_to_statuses_a_client_can_act_on() {
        let down = http_error(sauce_postgres::Error::Backoff {
            retry_after_ms: 2_500,
            reason: "connection refused".into(),
        });
        assert_eq!(down.status(), 503);
        assert_eq!(down.headers().get("Retry-After"), Some("3"));
        assert_eq!(
            http_error(sauce_postgres::Error::Timeout(5000)).status(),
            504
        );
        assert_eq!(http_error(sauce_postgres::Error::NoRows).status(), 500);
    }
}
