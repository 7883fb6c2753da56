//! Firecracker's two outputs: the guest's serial console on its stdout (read line by line on a
//! thread) and its own log in the `--log-path` file (followed as it grows).

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::sync::mpsc;
use std::time::Instant;

use crate::qemu::SerialLine;

/// At most this much of Firecracker's log (and stderr) is kept for error messages.
pub const KEEP_LIMIT: usize = 64 * 1024;

/// What the serial reader thread reports.
pub enum Event {
    /// One complete line (or the last, unterminated one).
    Line(SerialLine),
    /// Firecracker closed its stdout: it has exited or is exiting.
    Closed,
}

/// Reads the guest's serial output, one [`Event::Line`] per line, then [`Event::Closed`].
pub fn read_serial(output: impl Read, events: &mpsc::Sender<Event>) {
    let mut reader = BufReader::new(output);
    let mut buffer = Vec::new();
    loop {
        buffer.clear();
        match reader.read_until(b'\n', &mut buffer) {
            Ok(0) | Err(_) => break,
            Ok(_) => {
                let arrived = Instant::now();
                while buffer.last().is_some_and(|byte| *byte == b'\n' || *byte == b'\r') {
                    buffer.pop();
                }
                let text = String::from_utf8_lossy(&buffer).into_owned();
                if events.send(Event::Line(SerialLine { text, arrived })).is_err() {
                    return;
                }
            }
        }
    }
    let _ = events.send(Event::Closed);
}

/// Reads all of `output` (Firecracker's stderr), keeping up to [`KEEP_LIMIT`] bytes.
pub fn read_all(output: impl Read) -> String {
    let mut kept = Vec::new();
    let _ = output.take(KEEP_LIMIT as u64).read_to_end(&mut kept);
    String::from_utf8_lossy(&kept).into_owned()
}

/// A log file another process appends to, read line by line as it grows.
#[derive(Debug)]
pub struct LogFollower {
    file: Option<File>,
    partial: Vec<u8>,
    kept: String,
}

impl LogFollower {
    /// Follows `path` (which may not exist yet: then nothing is read until it does).
    pub fn new(path: &Path) -> Self {
        Self { file: File::open(path).ok(), partial: Vec::new(), kept: String::new() }
    }

    /// The complete lines written since the last call; the text is also kept (up to a limit).
    pub fn new_lines(&mut self) -> Vec<String> {
        let Some(file) = self.file.as_mut() else { return Vec::new() };
        let mut chunk = Vec::new();
        if file.read_to_end(&mut chunk).is_err() {
            return Vec::new();
        }
        self.partial.extend_from_slice(&chunk);
        let Some(last_newline) = self.partial.iter().rposition(|byte| *byte == b'\n') else {
            return Vec::new();
        };
        let complete: Vec<u8> = self.partial.drain(..=last_newline).collect();
        let text = String::from_utf8_lossy(&complete);
        if self.kept.len() + text.len() <= KEEP_LIMIT {
            self.kept.push_str(&text);
        }
        text.lines().map(str::to_owned).collect()
    }

    /// Everything kept so far, after reading what is new.
    pub fn text(&mut self) -> String {
        self.new_lines();
        self.kept.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

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

    #[test]
    fn the_log_is_read_as_it_grows_in_whole_lines() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("firecracker.log");
        let mut follower = LogFollower::new(&path);
        assert!(follower.new_lines().is_empty(), "a missing file reads as empty");
        let mut file = File::create(&path).unwrap();
        let mut follower = LogFollower::new(&path);
        file.write_all(b"first line\nsecond ").unwrap();
        assert_eq!(follower.new_lines(), ["first line"]);
        file.write_all(b"half\nthird\n").unwrap();
        assert_eq!(follower.new_lines(), ["second half", "third"]);
        assert!(follower.new_lines().is_empty());
        assert_eq!(follower.text(), "first line\nsecond half\nthird\n");
    }
}
