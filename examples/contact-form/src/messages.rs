//! The form's handlers and the messages they keep.

use alloc::collections::VecDeque;
use alloc::format;
use alloc::string::{String, ToString};

use sauce_app::{Error, Request, Response, Result};
use serde::{Deserialize, Serialize};

use crate::App;

/// The longest name, in characters.
pub const NAME_LIMIT: usize = 100;
/// The longest message, in characters.
pub const MESSAGE_LIMIT: usize = 2000;
/// The most messages kept.
pub const MAX_MESSAGES: usize = 100;

/// One kept message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Message {
    /// Who wrote it.
    pub name: String,
    /// What they wrote.
    pub message: String,
    /// When it arrived, RFC 3339 UTC.
    pub received: String,
}

/// The kept messages, oldest first.
#[derive(Debug, Default)]
pub struct Inbox {
    messages: VecDeque<Message>,
}

impl Inbox {
    /// Keeps `message`, dropping the oldest beyond [`MAX_MESSAGES`].
    pub fn keep(&mut self, message: Message) {
        while self.messages.len() >= MAX_MESSAGES {
            self.messages.pop_front();
        }
        self.messages.push_back(message);
    }

    /// How many messages are kept.
    pub fn len(&self) -> usize {
        self.messages.len()
    }

    /// Whether none is kept.
    pub fn is_empty(&self) -> bool {
        self.messages.is_empty()
    }
}

/// The form's fields; missing ones are 422 (from `Request::form`).
#[derive(Deserialize)]
struct ContactForm {
    name: String,
    message: String,
}

/// `POST /contact` (a form with `name` and `message`): 303 to `/thanks` once kept; 422 for a
/// missing, blank or too long field.
pub async fn contact(request: Request, app: &'static App) -> Result {
    let form: ContactForm = request.form()?;
    let name = checked("name", &form.name, NAME_LIMIT)?;
    let message = checked("message", &form.message, MESSAGE_LIMIT)?;
    let kept = Message {
        name: String::from(name),
        message: String::from(message),
        received: sauce_app::now().rfc3339().to_string(),
    };
    let count = app.messages.with_mut(|inbox| {
        inbox.keep(kept);
        inbox.len()
    });
    sauce_app::info!("message kept ({count} kept)");
    Response::redirect(303, "/thanks")
}

/// `GET /messages`: the kept messages as a JSON array, oldest first.
pub async fn list(_request: Request, app: &'static App) -> Result {
    Ok(app.messages.with(|inbox| Response::json(&inbox.messages)))
}

/// `value` trimmed, if it is neither blank nor longer than `limit` characters.
fn checked<'a>(field: &str, value: &'a str, limit: usize) -> Result<&'a str> {
    let value = value.trim();
    if value.is_empty() {
        return Err(Error::unprocessable(format!("{field} is required")));
    }
    if value.chars().count() > limit {
        return Err(Error::unprocessable(format!(
            "{field} is longer than {limit} characters"
        )));
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(text: &str) -> Message {
        Message {
            name: String::from("Ada"),
            message: String::from(text),
            received: String::from("2024-01-01T00:00:00Z"),
        }
    }

    #[test]
    fn the_inbox_keeps_the_newest() {
        let mut inbox = Inbox::default();
        for index in 0..MAX_MESSAGES + 3 {
            inbox.keep(message(&format!("{index}")));
        }
        assert_eq!(inbox.len(), MAX_MESSAGES);
        assert_eq!(
            inbox.messages.front().map(|kept| kept.message.as_str()),
            Some("3")
        );
    }

    #[test]
    fn fields_are_trimmed_and_checked_in_characters() {
        assert_eq!(checked("name", "  Ada \n", 3).ok(), Some("Ada"));
        assert_eq!(checked("name", "Åsa", 3).ok(), Some("Åsa"));
        assert_eq!(checked("name", " \t ", 3).unwrap_err().status(), 422);
        assert_eq!(checked("name", "Adam", 3).unwrap_err().status(), 422);
    }
}
