//! Server-sent events (the WHATWG event-stream format both vendors stream in): `event:` and
//! `data:` fields, events ended by a blank line, comments ignored, bounded sizes.

use std::io::BufRead;

/// The most bytes one event's data may have.
pub const MAX_EVENT_SIZE: usize = 4 << 20;

/// One event.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Event {
    /// The `event:` name, if any.
    pub name: Option<String>,
    /// The `data:` lines, joined by `\n`.
    pub data: String,
}

/// Why the stream could not be read.
#[derive(Debug, thiserror::Error)]
pub enum StreamError {
    /// reading failed
    #[error(transparent)]
    Io(#[from] std::io::Error),
    /// an event is larger than allowed
    #[error("an event of the stream is larger than {} MiB", MAX_EVENT_SIZE >> 20)]
    TooLarge,
}

/// Reads events from `reader`, handing each to `handle`, which returns `false` to stop early.
/// Returns the bytes read.
pub fn read_events(
    reader: &mut dyn BufRead,
    handle: &mut dyn FnMut(Event, u64) -> bool,
) -> Result<u64, StreamError> {
    let mut bytes = 0u64;
    let mut event = Event::default();
    let mut has_data = false;
    let mut line = Vec::new();
    loop {
        line.clear();
        let read = std::io::Read::take(&mut *reader, MAX_EVENT_SIZE as u64 + 1)
            .read_until(b'\n', &mut line)?;
        if read == 0 {
            if has_data {
                handle(event, bytes);
            }
            return Ok(bytes);
        }
        if line.len() > MAX_EVENT_SIZE {
            return Err(StreamError::TooLarge);
        }
        bytes += read as u64;
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\n', '\r']);
        if text.is_empty() {
            if has_data && !handle(std::mem::take(&mut event), bytes) {
                return Ok(bytes);
            }
            event = Event::default();
            has_data = false;
            continue;
        }
        if text.starts_with(':') {
            continue;
        }
        let (field, value) = text.split_once(':').unwrap_or((text, ""));
        let value = value.strip_prefix(' ').unwrap_or(value);
        match field {
            "event" => event.name = Some(value.to_owned()),
            "data" => {
                if has_data {
                    event.data.push('\n');
                }
                if event.data.len() + value.len() > MAX_EVENT_SIZE {
                    return Err(StreamError::TooLarge);
                }
                event.data.push_str(value);
                has_data = true;
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn events(text: &str) -> Vec<Event> {
        let mut found = Vec::new();
        read_events(&mut text.as_bytes(), &mut |event, _| {
            found.push(event);
            true
        })
        .unwrap();
        found
    }

    #[test]
    fn reads_named_and_unnamed_events() {
        let found = events(": keep-alive\nevent: message_start\ndata: {\"a\":1}\n\ndata: one\r\ndata:two\r\n\r\ndata: [DONE]");
        assert_eq!(
            found,
            [
                Event {
                    name: Some("message_start".to_owned()),
                    data: "{\"a\":1}".to_owned()
                },
                Event {
                    name: None,
                    data: "one\ntwo".to_owned()
                },
                Event {
                    name: None,
                    data: "[DONE]".to_owned()
                },
            ]
        );
    }

    #[test]
    fn stops_when_asked() {
        let mut count = 0;
        read_events(&mut "data: 1\n\ndata: 2\n\n".as_bytes(), &mut |_, _| {
            count += 1;
            false
        })
        .unwrap();
        assert_eq!(count, 1);
    }

    #[test]
    fn events_without_data_are_skipped() {
        assert!(events("event: ping\n\n").is_empty());
    }

    proptest::proptest! {
        #[test]
        fn never_panics(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..400)) {
            let _ = read_events(&mut bytes.as_slice(), &mut |_, _| true);
        }
    }
}
