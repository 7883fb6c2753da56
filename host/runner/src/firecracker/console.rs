//! Firecracker's own outputs: its stderr, and its log in the `--log-path` file (followed as it
//! grows). The guest's serial console on its stdout is read by [`crate::serial`].

use std::fs::File;
use std::io::Read;
use std::path::Path;

/// At most this much of Firecracker's log (and stderr) is kept for error messages.
pub const KEEP_LIMIT: usize = 64 * 1024;

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
        Self {
            file: File::open(path).ok(),
            partial: Vec::new(),
            kept: String::new(),
        }
    }

    /// The complete lines written since the last call; the text is also kept (up to a limit).
    pub fn new_lines(&mut self) -> Vec<String> {
        let Some(file) = self.file.as_mut() else {
            return Vec::new();
        };
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
    fn the_log_is_read_as_it_grows_in_whole_lines() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("firecracker.log");
        let mut follower = LogFollower::new(&path);
        assert!(
            follower.new_lines().is_empty(),
            "a missing file reads as empty"
        );
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
