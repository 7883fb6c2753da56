//! The guest's serial console as a VMM prints it on its stdout: read line by line on a thread.

use std::io::{BufRead, BufReader, Read};
use std::sync::mpsc;
use std::time::Instant;

/// One line of the guest's serial output.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SerialLine {
    /// The text, without the line ending; invalid UTF-8 replaced.
    pub text: String,
    /// When `sauce` received it.
    pub arrived: Instant,
}

/// What the serial reader thread reports.
pub enum Event {
    /// One complete line (or the last, unterminated one).
    Line(SerialLine),
    /// The VMM closed its stdout: it has exited or is exiting.
    Closed,
}

/// Reads the guest's serial output, one [`Event::Line`] per line (line ends and carriage
/// returns removed), then [`Event::Closed`].
pub fn read_serial(output: impl Read, events: &mpsc::Sender<Event>) {
    let mut reader = BufReader::new(output);
    let mut buffer = Vec::new();
    loop {
        buffer.clear();
        match reader.read_until(b'\n', &mut buffer) {
            Ok(0) | Err(_) => break,
            Ok(_) => {
                let arrived = Instant::now();
                while buffer
                    .last()
                    .is_some_and(|byte| *byte == b'\n' || *byte == b'\r')
                {
                    buffer.pop();
                }
                let text = String::from_utf8_lossy(&buffer).into_owned();
                if events
                    .send(Event::Line(SerialLine { text, arrived }))
                    .is_err()
                {
                    return;
                }
            }
        }
    }
    let _ = events.send(Event::Closed);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serial_lines_arrive_in_order_then_closed() {
        let (sender, events) = mpsc::channel();
        read_serial(&b"ready\r\nHello\nlast"[..], &sender);
        let lines: Vec<String> = events
            .try_iter()
            .map(|event| match event {
                Event::Line(line) => line.text,
                Event::Closed => "<closed>".to_owned(),
            })
            .collect();
        assert_eq!(lines, ["ready", "Hello", "last", "<closed>"]);
    }
}
