//! The user's config file: where it is, and its `[ai]` table, checked for unknown settings and
//! for a key written in plain text (refused).

use std::path::{Path, PathBuf};

use toml::{Table, Value};

use super::ConfigError;

const FILE_KEYS: &[&str] = &[
    "provider",
    "model",
    "base_url",
    "api_key_env",
    "api_key_command",
    "timeout",
    "connect_timeout",
    "max_retries",
    "max_output_tokens",
    "temperature",
    "structured_output",
    "stream",
];

/// The `[ai]` table of the config file.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FileSettings {
    /// The file it came from.
    pub path: PathBuf,
    /// The `[ai]` table, checked for unknown keys and plain keys.
    pub table: Table,
}

impl FileSettings {
    pub(super) fn text(&self, key: &str) -> Result<Option<String>, ConfigError> {
        match self.table.get(key) {
            None => Ok(None),
            Some(Value::String(text)) => Ok(Some(text.clone())),
            Some(other) => Err(self.bad(key, other, "a string")),
        }
    }

    pub(super) fn number(&self, key: &str) -> Result<Option<f64>, ConfigError> {
        match self.table.get(key) {
            None => Ok(None),
            Some(Value::Integer(number)) => Ok(Some(*number as f64)),
            Some(Value::Float(number)) => Ok(Some(*number)),
            Some(other) => Err(self.bad(key, other, "a number")),
        }
    }

    pub(super) fn flag(&self, key: &str) -> Result<Option<bool>, ConfigError> {
        match self.table.get(key) {
            None => Ok(None),
            Some(Value::Boolean(flag)) => Ok(Some(*flag)),
            Some(other) => Err(self.bad(key, other, "true or false")),
        }
    }

    fn bad(&self, key: &str, value: &Value, expected: &'static str) -> ConfigError {
        ConfigError::BadValue {
            origin: format!("{} [ai] {key}", self.path.display()),
            value: value.to_string(),
            expected,
        }
    }
}

/// The config file's path: `$XDG_CONFIG_HOME/sauce/config.toml`, else
/// `$HOME/.config/sauce/config.toml`.
pub fn config_path(environment: &dyn Fn(&str) -> Option<String>) -> Option<PathBuf> {
    let base = environment("XDG_CONFIG_HOME")
        .filter(|value| !value.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            environment("HOME")
                .filter(|value| !value.is_empty())
                .map(|home| Path::new(&home).join(".config"))
        })?;
    Some(base.join("sauce").join("config.toml"))
}

/// Reads the `[ai]` table of `path`; `None` when the file does not exist or has no `[ai]`.
pub fn read_file(path: &Path) -> Result<Option<FileSettings>, ConfigError> {
    let file_error = |message: String| ConfigError::File {
        path: path.display().to_string(),
        message,
    };
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(error) => return Err(file_error(error.to_string())),
    };
    let document: Table =
        toml::from_str(&text).map_err(|error| file_error(error.message().to_owned()))?;
    let Some(ai) = document.get("ai") else {
        return Ok(None);
    };
    let Value::Table(table) = ai else {
        return Err(file_error("`ai` must be a table".to_owned()));
    };
    if table.contains_key("api_key") {
        return Err(ConfigError::PlainKey {
            path: path.display().to_string(),
        });
    }
    if let Some(unknown) = table.keys().find(|key| !FILE_KEYS.contains(&key.as_str())) {
        return Err(file_error(format!(
            "[ai] has no setting `{unknown}`; the settings are {}",
            FILE_KEYS.join(", ")
        )));
    }
    Ok(Some(FileSettings {
        path: path.to_owned(),
        table: table.clone(),
    }))
}
