//! The to-dos: `GET`/`POST /todos`, `GET`/`PUT`/`PATCH`/`DELETE /todos/{id}`.

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use sauce_app::{info, Error, Method, Request, Response, Result};
use serde::{Deserialize, Deserializer, Serialize};

use crate::App;

/// The longest title, in characters.
pub const TITLE_LIMIT: usize = 200;

/// One to-do, as the API shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Todo {
    /// Its id (from 1, never reused).
    pub id: u64,
    /// What to do.
    pub title: String,
    /// Whether it is done.
    pub done: bool,
}

/// Every to-do, by id (so lists come out ordered by id).
#[derive(Debug, Default)]
pub struct Store {
    items: BTreeMap<u64, Todo>,
    last_id: u64,
}

/// The body of `POST /todos` and `PUT /todos/{id}`: a title, and `done` (false if absent).
#[derive(Deserialize)]
struct NewTodo {
    title: String,
    #[serde(default)]
    done: bool,
}

/// The body of `PATCH /todos/{id}`: any subset of the fields (`null` is not a value).
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

/// `/todos`: the list (`GET`) or a new to-do (`POST`).
pub async fn collection(request: Request, app: &'static App) -> Result {
    if request.method() == Method::Get {
        return Ok(app.todos.with(|store| {
            let todos: Vec<&Todo> = store.items.values().collect();
            Response::json(&todos)
        }));
    }
    let new: NewTodo = json_object(&request)?;
    let title = checked_title(new.title)?;
    let todo = app.todos.with_mut(|store| {
        store.last_id += 1;
        let todo = Todo {
            id: store.last_id,
            title,
            done: new.done,
        };
        store.items.insert(todo.id, todo.clone());
        todo
    });
    info!("created todo {}", todo.id);
    Response::created(format!("/todos/{}", todo.id), &todo)
}

/// `/todos/{id}`: read, replace, change or delete one to-do.
pub async fn item(request: Request, app: &'static App) -> Result {
    let id = id(&request)?;
    match request.method() {
        Method::Get => app
            .todos
            .with(|store| store.items.get(&id).map(Response::json))
            .ok_or_else(missing),
        Method::Put => {
            let new: NewTodo = json_object(&request)?;
            let title = checked_title(new.title)?;
            change(app, id, |todo| {
                todo.title = title;
                todo.done = new.done;
            })
        }
        Method::Patch => {
            let changes: Changes = json_object(&request)?;
            let title = changes.title.map(checked_title).transpose()?;
            change(app, id, |todo| {
                if let Some(title) = title {
                    todo.title = title;
                }
                if let Some(done) = changes.done {
                    todo.done = done;
                }
            })
        }
        _ => {
            let removed = app.todos.with_mut(|store| store.items.remove(&id));
            removed.map(|_| Response::no_content()).ok_or_else(missing)
        }
    }
}

/// Applies `edit` to to-do `id` and answers with the result.
fn change(app: &App, id: u64, edit: impl FnOnce(&mut Todo)) -> Result {
    app.todos.with_mut(|store| {
        let todo = store.items.get_mut(&id).ok_or_else(missing)?;
        edit(todo);
        Ok(Response::json(todo))
    })
}

/// The `{id}` of the path; anything but digits names no to-do.
fn id(request: &Request) -> Result<u64> {
    let text = request.param("id").unwrap_or_default();
    if text.is_empty() || !text.bytes().all(|byte| byte.is_ascii_digit()) {
        return Err(missing());
    }
    text.parse().map_err(|_| missing())
}

fn missing() -> Error {
    Error::not_found("no such todo")
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
    //! A handler is an ordinary async function: call it directly with a built request.
    use super::*;
    use sauce_app::testing::block_on;

    fn app() -> &'static App {
        alloc::boxed::Box::leak(alloc::boxed::Box::new(crate::init()))
    }

    #[test]
    fn item_reads_its_id_from_the_path() {
        let app = app();
        app.todos.with_mut(|store| {
            store.last_id = 7;
            store.items.insert(
                7,
                Todo {
                    id: 7,
                    title: "tea".into(),
                    done: false,
                },
            );
        });
        let request = Request::builder(Method::Get, "/todos/7")
            .route("/todos/{id}")
            .build();
        let response = block_on(item(request, app)).unwrap();
        assert_eq!(response.body(), br#"{"id":7,"title":"tea","done":false}"#);
        let unknown = Request::builder(Method::Get, "/todos/8")
            .route("/todos/{id}")
            .build();
        assert_eq!(block_on(item(unknown, app)).unwrap_err().status(), 404);
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
