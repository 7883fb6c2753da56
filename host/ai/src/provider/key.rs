//! API keys: held only in memory, never printed (their `Debug` shows where the key came from,
//! never the key), never written anywhere, and scrubbed from anything a server echoes back.

use std::fmt;
use std::process::{Command, Stdio};

/// Where a key came from, for messages ("check OPENAI_API_KEY").
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeySource {
    /// An environment variable.
    Environment(String),
    /// The standard output of a command from the config file.
    Command(String),
    /// Given by the program (tests, embedding).
    Given,
}

impl fmt::Display for KeySource {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeySource::Environment(name) => write!(formatter, "the environment variable {name}"),
            KeySource::Command(command) => write!(
                formatter,
                "the output of `{command}` (api_key_command in the sauce config file)"
            ),
            KeySource::Given => formatter.write_str("the key given to sauce"),
        }
    }
}

/// An API key. It has no `Display`; `Debug` redacts it.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey {
    secret: String,
    source: KeySource,
}

/// Why a key command gave no key.
#[derive(Debug, thiserror::Error)]
pub enum KeyCommandError {
    /// the command could not be started
    #[error("could not run `{command}` (api_key_command): {reason}")]
    Start {
        /// The command.
        command: String,
        /// What the system said.
        reason: String,
    },
    /// the command failed
    #[error("`{command}` (api_key_command) exited with {status}")]
    Failed {
        /// The command.
        command: String,
        /// Its exit status.
        status: String,
    },
    /// the command printed nothing
    #[error("`{command}` (api_key_command) printed no key")]
    Empty {
        /// The command.
        command: String,
    },
}

impl ApiKey {
    /// A key from `source`; surrounding blanks are dropped.
    pub fn new(secret: &str, source: KeySource) -> Self {
        Self {
            secret: secret.trim().to_owned(),
            source,
        }
    }

    /// Runs `command` with `sh -c` and takes the first line of its output as the key. The
    /// command's output is never shown, even when it fails.
    pub fn from_command(command: &str) -> Result<Self, KeyCommandError> {
        let output = Command::new("sh")
            .arg("-c")
            .arg(command)
            .stdin(Stdio::null())
            .stderr(Stdio::inherit())
            .output()
            .map_err(|error| KeyCommandError::Start {
                command: command.to_owned(),
                reason: error.to_string(),
            })?;
        if !output.status.success() {
            return Err(KeyCommandError::Failed {
                command: command.to_owned(),
                status: output.status.to_string(),
            });
        }
        let text = String::from_utf8_lossy(&output.stdout);
        let secret = text.lines().next().unwrap_or("").trim();
        if secret.is_empty() {
            return Err(KeyCommandError::Empty {
                command: command.to_owned(),
            });
        }
        Ok(Self::new(secret, KeySource::Command(command.to_owned())))
    }

    /// The key, for the one place that sends it: a request header.
    pub(crate) fn expose(&self) -> &str {
        &self.secret
    }

    /// Where the key came from.
    pub fn source(&self) -> &KeySource {
        &self.source
    }

    /// `text` with every occurrence of the key (and of any 8-character run of it) replaced by
    /// `[redacted]`, for messages that quote a server.
    pub fn redact(&self, text: &str) -> String {
        let mut text = text.to_owned();
        if self.secret.is_empty() {
            return text;
        }
        text = text.replace(&self.secret, "[redacted]");
        let characters: Vec<char> = self.secret.chars().collect();
        if characters.len() >= 16 {
            for window in characters.windows(8) {
                let fragment: String = window.iter().collect();
                if text.contains(&fragment) {
                    text = text.replace(&fragment, "[redacted]");
                }
            }
        }
        text
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("ApiKey")
            .field("source", &self.source)
            .field("secret", &"<redacted>")
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "sk-test-0123456789abcdefghijklmnop";

    #[test]
    fn debug_never_shows_the_key() {
        let key = ApiKey::new(SECRET, KeySource::Environment("OPENAI_API_KEY".to_owned()));
        let debug = format!("{key:?}");
        assert!(
            !debug.contains(SECRET) && !debug.contains("0123456789"),
            "{debug}"
        );
        assert!(debug.contains("OPENAI_API_KEY"));
        assert_eq!(key.expose(), SECRET);
    }

    #[test]
    fn redacts_the_key_and_its_fragments() {
        let key = ApiKey::new(SECRET, KeySource::Given);
        let echoed = format!("Incorrect API key provided: {SECRET}. Also sk-test-0123****mnop and ...456789abcdef...");
        let redacted = key.redact(&echoed);
        assert!(!redacted.contains(SECRET), "{redacted}");
        assert!(!redacted.contains("456789abcdef"), "{redacted}");
        assert!(
            redacted.starts_with("Incorrect API key provided: [redacted]."),
            "{redacted}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn keys_come_from_commands() {
        let key = ApiKey::from_command("printf 'sk-from-command\\nsecond line'").unwrap();
        assert_eq!(key.expose(), "sk-from-command");
        assert_eq!(
            key.source(),
            &KeySource::Command("printf 'sk-from-command\\nsecond line'".to_owned())
        );
        let failed = ApiKey::from_command("echo sk-$((40 + 2))-leaked; exit 3").unwrap_err();
        assert!(!failed.to_string().contains("sk-42-leaked"), "{failed}");
        assert!(failed.to_string().contains("exited with"), "{failed}");
        assert!(matches!(
            ApiKey::from_command("true"),
            Err(KeyCommandError::Empty { .. })
        ));
    }
}
