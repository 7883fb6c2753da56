//! The notes: `GET`/`POST /notes`, `GET`/`PUT`/`PATCH`/`DELETE /notes/{id}`, one row each.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use sauce_app::{info, Error, Method, Request, Response, Result};
use sauce_postgres::Row;
use serde::{Deserialize, Deserializer, Serialize};

use crate::database::{http_error, ready};
use crate::App;

/// The longest title, in characters.
pub const TITLE_LIMIT: usize = 200;

/// One note, as the API shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    /// Its id (from 1, never reused).
    pub id: i64,
    /// What it says.
    pub title: String,
    /// Whether it is done.
    pub done: bool,
}

impl Note {
    /// A row of `SELECT id, title, done`.
    fn from_row(row: &Row) -> Result<Note> {
        let note = (|| {
            Ok::<Note, sauce_postgres::Error>(Note {
                id: row.get(0)?,
                title: row.get(1)?,
                done: row.get(2)?,
            })
        })();
        note.map_err(http_error)
    }
}

/// The body of `POST /notes` and `PUT /notes/{id}`: a title, and `done` (false if absent).
#[derive(Deserialize)]
struct NewNote {
    title: String,
    #[serde(default)]
    done: bool,
}

/// The body of `PATCH /notes/{id}`: any subset of the fields (`null` is not a value).
#[derive(Deserialize)]
struct Changes {
    #[serde(default, deserialize_with = "present")]
    title: Option<String>,
    #[serde(default, deserialize_with = "present")]
    done: Option<bool>,
}

/// A field that, when present, must hold a value of its type (so `"title": null` is refused).
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    field: D,
) -> core::result::Result<Option<T>, D::Error> {
    T::deserialize(field).map(Some)
}

/// `[[app.every]]`: makes the table as soon as the database answers after boot.
pub async fn prepare(app: &'static App) {
    if sauce_postgres::pool(crate::database::NAME).is_some() {
        // A failure is logged by `http_error`; the next second tries again.
        let _ = ready(app).await;
    }
}

/// `/notes`: the list (`GET`) or a new note (`POST`).
pub async fn collection(request: Request, app: &'static App) -> Result {
    if request.method() == Method::Get {
        let pool = ready(app).await?;
        let rows = pool
            .query("SELECT id, title, done FROM notes ORDER BY id", &[])
            .await
            .map_err(http_error)?;
        let notes = rows
            .iter()
            .map(Note::from_row)
            .collect::<Result<Vec<_>>>()?;
        return Ok(Response::json(&notes));
    }
    let new: NewNote = json_object(&request)?;
    let title = checked_title(new.title)?;
    let pool = ready(app).await?;
    let row = pool
        .query_one(
            "INSERT INTO notes (title, done) VALUES ($1, $2) RETURNING id, title, done",
            &[&title, &new.done],
        )
        .await
        .map_err(http_error)?;
    let note = Note::from_row(&row)?;
    info!("created note {}", note.id);
    Response::created(format!("/notes/{}", note.id), &note)
}

/// `/notes/{id}`: read, replace, change or delete one note.
pub async fn item(request: Request, app: &'static App) -> Result {
    let id = id(&request)?;
    let row = match request.method() {
        Method::Get => {
            let pool = ready(app).await?;
            pool.query_optional("SELECT id, title, done FROM notes WHERE id = $1", &[&id])
                .await
        }
        Method::Put => {
            let new: NewNote = json_object(&request)?;
            let title = checked_title(new.title)?;
            let pool = ready(app).await?;
            pool.query_optional(
                "UPDATE notes SET title = $2, done = $3 WHERE id = $1 RETURNING id, title, done",
                &[&id, &title, &new.done],
            )
            .await
        }
        Method::Patch => {
            let changes: Changes = json_object(&request)?;
            let title = changes.title.map(checked_title).transpose()?;
            let pool = ready(app).await?;
            pool.query_optional(
                "UPDATE notes SET title = COALESCE($2, title), done = COALESCE($3, done) \
                 WHERE id = $1 RETURNING id, title, done",
                &[&id, &title, &changes.done],
            )
            .await
        }
        _ => {
            let pool = ready(app).await?;
            let deleted = pool
                .execute("DELETE FROM notes WHERE id = $1", &[&id])
                .await
                .map_err(http_error)?;
            return if deleted == 0 {
                Err(missing())
            } else {
                Ok(Response::no_content())
            };
        }
    };
    let row = row.map_err(http_error)?.ok_or_else(missing)?;
    Ok(Response::json(&Note::from_row(&row)?))
}

/// The `{id}` of the path; anything but digits, or beyond a bigint, names no note.
fn id(request: &Request) -> Result<i64> {
    let text = request.param("id").unwrap_or_default();
    if text.is_empty() || !text.bytes().all(|byte| byte.is_ascii_digit()) {
        return Err(missing());
    }
    text.parse().map_err(|_| missing())
}

fn missing() -> Error {
    Error::not_found("no such note")
}

fn checked_title(title: String) -> Result<String> {
    if title.chars().count() > TITLE_LIMIT {
        return Err(Error::unprocessable(format!(
            "title is longer than {TITLE_LIMIT} characters"
        )));
    }
    Ok(title)
}

/// The body as a JSON object of type `T` (serde would also take an array for a struct).
fn json_object<'a, T: Deserialize<'a>>(request: &'a Request) -> Result<T> {
    let value = request.json()?;
    if request.body().trim_ascii_start().first() != Some(&b'{') {
        return Err(Error::unprocessable("expected a JSON object"));
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_digits_within_a_bigint() {
        let request = |path: &str| {
            Request::builder(Method::Get, path)
                .route("/notes/{id}")
                .build()
        };
        assert_eq!(id(&request("/notes/7")).unwrap(), 7);
        assert_eq!(
            id(&request("/notes/9223372036854775807")).unwrap(),
            i64::MAX
        );
        for path in [
            "/notes/9223372036854775808",
            "/notes/-1",
            "/notes/+1",
            "/notes/x",
        ] {
            assert_eq!(id(&request(path)).unwrap_err().status(), 404, "{path}");
        }
    }

    #[test]
    fn titles_are_counted_in_characters() {
        assert!(checked_title("ü".repeat(TITLE_LIMIT)).is_ok());
        assert_eq!(
            checked_title("a".repeat(TITLE_LIMIT + 1))
                .unwrap_err()
                .status(),
            422
        );
    }
}
