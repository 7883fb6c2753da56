//! The database `main`: its pool, the two tables made once per boot, and its errors as the
//! HTTP errors a client can act on.

use sauce_app::{info, warn, Error, Result};
use sauce_mysql::board::ImagePool;
use sauce_mysql::ErrorKind;

use crate::App;

/// sauce.toml's `[[database]] name`.
pub const NAME: &str = "main";

/// The orders.
const CREATE_ORDERS: &str = "CREATE TABLE IF NOT EXISTS orders (\
     id BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY, \
     customer VARCHAR(100) NOT NULL, \
     total_cents BIGINT NOT NULL) ENGINE=InnoDB";

/// Their lines: each checked by the table, so a bad one fails the order's transaction.
const CREATE_LINES: &str = "CREATE TABLE IF NOT EXISTS order_lines (\
     order_id BIGINT UNSIGNED NOT NULL, \
     line INT NOT NULL, \
     item VARCHAR(100) NOT NULL, \
     quantity INT NOT NULL CHECK (quantity > 0), \
     price_cents BIGINT NOT NULL CHECK (price_cents >= 0), \
     PRIMARY KEY (order_id, line), \
     FOREIGN KEY (order_id) REFERENCES orders (id)) ENGINE=InnoDB";

/// The pool, with the tables made: 503 when this boot has no pool (the boot log says why).
pub async fn ready(app: &'static App) -> Result<&'static ImagePool> {
    let pool = sauce_mysql::pool(NAME).ok_or_else(|| Error::unavailable(5))?;
    if !app.tables_ready.with(|ready| *ready) {
        pool.query(CREATE_ORDERS).await.map_err(http_error)?;
        pool.query(CREATE_LINES).await.map_err(http_error)?;
        app.tables_ready.with_mut(|ready| *ready = true);
        info!("order tables ready");
    }
    Ok(pool)
}

/// A database error as the client sees it: 503 with `Retry-After` while the server cannot be
/// reached, 504 on a timeout, 409 on a conflict, 422 on a value the tables refuse, else 500
/// or 502. The server's own message is logged, never sent.
pub fn http_error(error: sauce_mysql::Error) -> Error {
    warn!("database {NAME}: {error}");
    let kind = error.kind();
    match kind {
        ErrorKind::Unavailable => {
            let seconds = error.retry_after_ms().unwrap_or(1000).div_ceil(1000).max(1);
            Error::unavailable(u32::try_from(seconds).unwrap_or(u32::MAX))
        }
        ErrorKind::Timeout => Error::new(504, "the database did not answer in time"),
        ErrorKind::Conflict => Error::conflict("the order conflicts with another change"),
        ErrorKind::BadInput => Error::unprocessable("the database refused a value of the order"),
        _ => Error::new(kind.http_status(), "database error"),
    }
}
