//! The orders: `GET`/`POST /orders`, `GET /orders/{id}`.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use sauce_app::{info, Error, Method, Request, Response, Result};
use sauce_mysql::{params, Row};
use serde::{Deserialize, Serialize};

use crate::database::{http_error, ready};
use crate::App;

/// The longest customer or item name, in characters (the columns' `VARCHAR(100)`).
pub const NAME_LIMIT: usize = 100;
/// The most lines an order may have.
pub const LINE_LIMIT: usize = 50;

/// An order as `GET /orders` lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    /// Its id (from 1).
    pub id: u64,
    /// Who ordered.
    pub customer: String,
    /// The sum of its lines' quantity × price.
    pub total_cents: i64,
}

/// One line of an order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Line {
    /// What.
    pub item: String,
    /// How many (the table requires at least 1).
    pub quantity: i64,
    /// The price of one, in cents (the table requires at least 0).
    pub price_cents: i64,
}

/// An order with its lines: `POST /orders`' answer and `GET /orders/{id}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Order {
    /// Its id.
    pub id: u64,
    /// Who ordered.
    pub customer: String,
    /// The sum of its lines' quantity × price.
    pub total_cents: i64,
    /// Its lines, in the order given.
    pub lines: Vec<Line>,
}

/// The body of `POST /orders`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewOrder {
    customer: String,
    lines: Vec<Line>,
}

/// `/orders`: the list (`GET`) or a new order (`POST`), written in one transaction.
pub async fn collection(request: Request, app: &'static App) -> Result {
    if request.method() == Method::Get {
        let pool = ready(app).await?;
        let result = pool
            .query("SELECT id, customer, total_cents FROM orders ORDER BY id")
            .await
            .map_err(http_error)?;
        let orders = result
            .rows()
            .iter()
            .map(summary)
            .collect::<Result<Vec<_>>>()?;
        return Ok(Response::json(&orders));
    }
    let new = checked(&request)?;
    let total_cents = total(&new.lines)?;
    let pool = ready(app).await?;
    let mut connection = pool.get().await.map_err(http_error)?;
    let mut transaction = connection.begin().await.map_err(http_error)?;
    let inserted = transaction
        .execute(
            "INSERT INTO orders (customer, total_cents) VALUES (?, ?)",
            params![&new.customer, total_cents],
        )
        .await
        .map_err(http_error)?;
    let id = inserted.last_insert_id();
    for (number, line) in new.lines.iter().enumerate() {
        // A line the table refuses ends here; the transaction, dropped, rolls back.
        transaction
            .execute(
                "INSERT INTO order_lines (order_id, line, item, quantity, price_cents) VALUES (?, ?, ?, ?, ?)",
                params![id, number as u64 + 1, &line.item, line.quantity, line.price_cents],
            )
            .await
            .map_err(http_error)?;
    }
    transaction.commit().await.map_err(http_error)?;
    info!("order {id}: {} lines, {total_cents} cents", new.lines.len());
    let order = Order {
        id,
        customer: new.customer,
        total_cents,
        lines: new.lines,
    };
    Response::created(format!("/orders/{id}"), &order)
}

/// `/orders/{id}`: one order with its lines.
pub async fn item(request: Request, app: &'static App) -> Result {
    let id = id(&request)?;
    let pool = ready(app).await?;
    let found = pool
        .execute(
            "SELECT id, customer, total_cents FROM orders WHERE id = ?",
            params![id],
        )
        .await
        .map_err(http_error)?;
    let summary = summary(found.first().ok_or_else(missing)?)?;
    let lines = pool
        .execute(
            "SELECT item, quantity, price_cents FROM order_lines WHERE order_id = ? ORDER BY line",
            params![id],
        )
        .await
        .map_err(http_error)?;
    let lines = lines
        .rows()
        .iter()
        .map(|row| {
            Ok(Line {
                item: row.get(0)?,
                quantity: row.get(1)?,
                price_cents: row.get(2)?,
            })
        })
        .collect::<core::result::Result<Vec<_>, sauce_mysql::Error>>()
        .map_err(http_error)?;
    Ok(Response::json(&Order {
        id: summary.id,
        customer: summary.customer,
        total_cents: summary.total_cents,
        lines,
    }))
}

/// A row of `SELECT id, customer, total_cents`.
fn summary(row: &Row) -> Result<Summary> {
    let read = || {
        Ok::<Summary, sauce_mysql::Error>(Summary {
            id: row.get(0)?,
            customer: row.get(1)?,
            total_cents: row.get(2)?,
        })
    };
    read().map_err(http_error)
}

/// The body, with what the app checks itself: names 1–100 characters, 1–50 lines.
fn checked(request: &Request) -> Result<NewOrder> {
    if request.body().trim_ascii_start().first() != Some(&b'{') {
        return Err(Error::unprocessable("expected a JSON object"));
    }
    let new: NewOrder = request.json()?;
    let name_ok = |name: &str| (1..=NAME_LIMIT).contains(&name.chars().count());
    if !name_ok(&new.customer) {
        return Err(Error::unprocessable(format!(
            "customer must be 1 to {NAME_LIMIT} characters"
        )));
    }
    if new.lines.is_empty() || new.lines.len() > LINE_LIMIT {
        return Err(Error::unprocessable(format!(
            "an order has 1 to {LINE_LIMIT} lines"
        )));
    }
    if !new.lines.iter().all(|line| name_ok(&line.item)) {
        return Err(Error::unprocessable(format!(
            "item must be 1 to {NAME_LIMIT} characters"
        )));
    }
    Ok(new)
}

/// The order's total in cents; 422 when it does not fit.
fn total(lines: &[Line]) -> Result<i64> {
    lines
        .iter()
        .try_fold(0i64, |sum, line| {
            sum.checked_add(line.quantity.checked_mul(line.price_cents)?)
        })
        .ok_or_else(|| Error::unprocessable("the order's total is out of range"))
}

/// The `{id}` of the path; anything but digits names no order.
fn id(request: &Request) -> Result<u64> {
    let text = request.param("id").unwrap_or_default();
    if text.is_empty() || !text.bytes().all(|byte| byte.is_ascii_digit()) {
        return Err(missing());
    }
    text.parse().map_err(|_| missing())
}

fn missing() -> Error {
    Error::not_found("no such order")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(quantity: i64, price_cents: i64) -> Line {
        Line {
            item: "tea".into(),
            quantity,
            price_cents,
        }
    }

    #[test]
    fn totals_sum_lines_and_refuse_overflow() {
        assert_eq!(total(&[line(2, 350), line(1, 100)]).unwrap(), 800);
        assert_eq!(total(&[line(i64::MAX, 2)]).unwrap_err().status(), 422);
        assert_eq!(
            total(&[line(1, i64::MAX), line(1, 1)])
                .unwrap_err()
                .status(),
            422
        );
    }
}
