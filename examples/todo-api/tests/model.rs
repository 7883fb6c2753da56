//! 1,000 random operations against the API, some sent concurrently, each answer compared
//! with a model of the contract (a map and a counter).

use std::collections::BTreeMap;

use proptest::prelude::*;
use sauce_app::testing::{TestClient, TestRequest, TestResponse};
use serde_json::{json, Value};
use todo_api::todos::{Todo, TITLE_LIMIT};
use todo_api::{init, router, App};

/// One request of the random sequence.
#[derive(Clone, Debug)]
enum Operation {
    List,
    Create {
        title: String,
        done: Option<bool>,
    },
    Get(u64),
    Put {
        id: u64,
        title: String,
        done: bool,
    },
    Patch {
        id: u64,
        title: Option<String>,
        done: Option<bool>,
    },
    Delete(u64),
    /// A body that is not JSON, to `POST /todos` (`None`) or `PATCH /todos/{id}`.
    Garbage(Option<u64>),
}

/// Titles: usually short, sometimes one character over the limit.
fn title() -> impl Strategy<Value = String> {
    prop_oneof![
        9 => "[a-z ]{0,12}",
        1 => Just("x".repeat(TITLE_LIMIT + 1)),
    ]
}

/// Ids around the ones in use (1 to about 40), so unknown ids come up too.
fn operation() -> impl Strategy<Value = Operation> {
    let id = 0u64..45;
    prop_oneof![
        2 => Just(Operation::List),
        5 => (title(), proptest::option::of(any::<bool>()))
            .prop_map(|(title, done)| Operation::Create { title, done }),
        3 => id.clone().prop_map(Operation::Get),
        2 => (id.clone(), title(), any::<bool>())
            .prop_map(|(id, title, done)| Operation::Put { id, title, done }),
        2 => (id.clone(), proptest::option::of(title()), proptest::option::of(any::<bool>()))
            .prop_map(|(id, title, done)| Operation::Patch { id, title, done }),
        2 => id.clone().prop_map(Operation::Delete),
        1 => proptest::option::of(id).prop_map(Operation::Garbage),
    ]
}

/// The contract as plain data.
#[derive(Default)]
struct Model {
    todos: BTreeMap<u64, Todo>,
    last_id: u64,
}

impl Model {
    /// Applies `operation`; gives the status and, for 2xx answers with a body, the JSON.
    fn apply(&mut self, operation: &Operation) -> (u16, Option<Value>) {
        let valid = |title: &str| title.chars().count() <= TITLE_LIMIT;
        match operation {
            Operation::List => (200, Some(json!(self.todos.values().collect::<Vec<_>>()))),
            Operation::Create { title, .. } if !valid(title) => (422, None),
            Operation::Create { title, done } => {
                self.last_id += 1;
                let todo = Todo {
                    id: self.last_id,
                    title: title.clone(),
                    done: done.unwrap_or(false),
                };
                self.todos.insert(todo.id, todo.clone());
                (201, Some(json!(todo)))
            }
            Operation::Get(id) => match self.todos.get(id) {
                Some(todo) => (200, Some(json!(todo))),
                None => (404, None),
            },
            Operation::Put { title, .. } if !valid(title) => (422, None),
            Operation::Put { id, title, done } => match self.todos.get_mut(id) {
                Some(todo) => {
                    todo.title = title.clone();
                    todo.done = *done;
                    (200, Some(json!(todo)))
                }
                None => (404, None),
            },
            Operation::Patch {
                title: Some(title), ..
            } if !valid(title) => (422, None),
            Operation::Patch { id, title, done } => match self.todos.get_mut(id) {
                Some(todo) => {
                    if let Some(title) = title {
                        todo.title = title.clone();
                    }
                    if let Some(done) = done {
                        todo.done = *done;
                    }
                    (200, Some(json!(todo)))
                }
                None => (404, None),
            },
            Operation::Delete(id) => match self.todos.remove(id) {
                Some(_) => (204, None),
                None => (404, None),
            },
            Operation::Garbage(_) => (400, None),
        }
    }
}

/// The request for `operation`.
fn request<'c>(client: &'c TestClient<App>, operation: &Operation) -> TestRequest<'c, App> {
    match operation {
        Operation::List => client.get("/todos"),
        Operation::Create {
            title,
            done: Some(done),
        } => client
            .post("/todos")
            .json(&json!({"title": title, "done": done})),
        Operation::Create { title, done: None } => {
            client.post("/todos").json(&json!({"title": title}))
        }
        Operation::Get(id) => client.get(&format!("/todos/{id}")),
        Operation::Put { id, title, done } => client
            .put(&format!("/todos/{id}"))
            .json(&json!({"title": title, "done": done})),
        Operation::Patch { id, title, done } => {
            let mut body = serde_json::Map::new();
            if let Some(title) = title {
                body.insert("title".into(), json!(title));
            }
            if let Some(done) = done {
                body.insert("done".into(), json!(done));
            }
            client.patch(&format!("/todos/{id}")).json(&body)
        }
        Operation::Delete(id) => client.delete(&format!("/todos/{id}")),
        Operation::Garbage(None) => client.post("/todos").body("{\"title\": "),
        Operation::Garbage(Some(id)) => client.patch(&format!("/todos/{id}")).body("nope"),
    }
}

fn check(
    operation: &Operation,
    response: &TestResponse,
    expected: (u16, Option<Value>),
) -> Result<(), TestCaseError> {
    let (status, body) = expected;
    prop_assert_eq!(
        response.status(),
        status,
        "{:?} answered {:?}",
        operation,
        response
    );
    match body {
        Some(body) => prop_assert_eq!(response.json::<Value>(), body, "{:?}", operation),
        None if status >= 400 => prop_assert!(response.json::<Value>()["error"].is_string()),
        None => prop_assert!(response.body().is_empty()),
    }
    if status == 201 {
        let id = response.json::<Value>()["id"].as_u64().unwrap_or_default();
        let location = format!("/todos/{id}");
        prop_assert_eq!(response.header("location"), Some(location.as_str()));
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    #[test]
    fn a_thousand_random_operations_keep_the_contract(
        operations in proptest::collection::vec(operation(), 1000),
        batches in proptest::collection::vec(1usize..8, 1000),
    ) {
        let client = TestClient::new(router(), init());
        let mut model = Model::default();
        let mut remaining = operations.as_slice();
        let mut sizes = batches.iter().cycle();
        while !remaining.is_empty() {
            // A batch of up to seven clients whose requests interleave on the executor. The
            // handlers never await, so each runs whole, in the order the batch is polled.
            let size = (*sizes.next().unwrap_or(&1)).min(remaining.len());
            let (batch, rest) = remaining.split_at(size);
            remaining = rest;
            let requests = batch.iter().map(|operation| request(&client, operation)).collect();
            let responses = client.send_all(requests);
            for (operation, response) in batch.iter().zip(&responses) {
                check(operation, response, model.apply(operation))?;
            }
        }
        let list = client.get("/todos").send();
        prop_assert_eq!(list.json::<Value>(), json!(model.todos.values().collect::<Vec<_>>()));
    }
}
