//! `sauce run --env KEY=VALUE` and `--env-file PATH`: run-time values for the app, passed on
//! the kernel command line as `sauce.env.KEY=VALUE` (percent-encoded, so any value survives
//! the command line's word splitting), never compiled into the image and never printed.

/// The command line may not grow past this for run-time values: Firecracker limits the whole
/// line to 2 KiB and the kernel's own arguments need some of it.
pub const LIMIT_BYTES: usize = 1536;

/// `KEY=VALUE` pairs from `--env-file` files (in order), then `--env` (later wins).
pub fn pairs(
    files: &[std::path::PathBuf],
    values: &[String],
) -> Result<Vec<(String, String)>, String> {
    let mut pairs: Vec<(String, String)> = Vec::new();
    let mut add = |key: &str, value: &str, origin: &str| -> Result<(), String> {
        if !sauce_intent::app_code::is_env_key(key) {
            return Err(format!(
                "{origin}: `{key}` is not an environment key (A-Z, 0-9 and `_`, not starting with a digit)"
            ));
        }
        match pairs.iter_mut().find(|(known, _)| known == key) {
            Some((_, old)) => *old = value.to_owned(),
            None => pairs.push((key.to_owned(), value.to_owned())),
        }
        Ok(())
    };
    for file in files {
        let text = std::fs::read_to_string(file)
            .map_err(|error| format!("--env-file {}: {error}", file.display()))?;
        for (index, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let origin = format!("{}:{}", file.display(), index + 1);
            let line = line.strip_prefix("export ").unwrap_or(line);
            let (key, value) = line
                .split_once('=')
                .ok_or_else(|| format!("{origin}: expected KEY=VALUE"))?;
            add(key.trim(), unquote(value.trim()), &origin)?;
        }
    }
    for value in values {
        let (key, value) = value
            .split_once('=')
            .ok_or_else(|| format!("--env {}: expected KEY=VALUE", key_only(value)))?;
        add(key, value, "--env")?;
    }
    Ok(pairs)
}

/// A value without surrounding quotes, as env files write them.
fn unquote(value: &str) -> &str {
    for quote in ['"', '\''] {
        if let Some(inner) = value
            .strip_prefix(quote)
            .and_then(|rest| rest.strip_suffix(quote))
        {
            return inner;
        }
    }
    value
}

/// What to name in an error about `--env` without echoing a value that may be a secret.
fn key_only(argument: &str) -> &str {
    argument.split('=').next().unwrap_or_default()
}

/// The command-line words for `pairs`: ` sauce.env.KEY=VALUE` each, percent-encoded.
pub fn command_line(pairs: &[(String, String)]) -> Result<String, String> {
    let mut line = String::new();
    for (key, value) in pairs {
        line.push_str(" sauce.env.");
        line.push_str(key);
        line.push('=');
        for byte in value.bytes() {
            if byte.is_ascii_alphanumeric() || b"-_.~/:@+,".contains(&byte) {
                line.push(byte as char);
            } else {
                line.push_str(&format!("%{byte:02X}"));
            }
        }
    }
    if line.len() > LIMIT_BYTES {
        return Err(format!(
            "the run-time values take {} bytes of the kernel command line, more than {LIMIT_BYTES}: pass fewer or shorter values",
            line.len()
        ));
    }
    Ok(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_then_flags_later_wins_and_values_are_encoded() {
        let folder = std::env::temp_dir().join(format!("sauce-env-{}", std::process::id()));
        std::fs::create_dir_all(&folder).unwrap();
        let file = folder.join(".env");
        std::fs::write(
            &file,
            "# comment\nGREETING=\"hello world\"\nexport MODE=dev\n\nURL=postgres://u:p%w@h/db\n",
        )
        .unwrap();
        let pairs = pairs(&[file], &["MODE=prod".to_owned(), "EMPTY=".to_owned()]).unwrap();
        assert_eq!(
            pairs,
            [
                ("GREETING".to_owned(), "hello world".to_owned()),
                ("MODE".to_owned(), "prod".to_owned()),
                ("URL".to_owned(), "postgres://u:p%w@h/db".to_owned()),
                ("EMPTY".to_owned(), String::new()),
            ]
        );
        let line = command_line(&pairs).unwrap();
        assert_eq!(
            line,
            " sauce.env.GREETING=hello%20world sauce.env.MODE=prod sauce.env.URL=postgres://u:p%25w@h/db sauce.env.EMPTY="
        );
        std::fs::remove_dir_all(folder).unwrap();
    }

    #[test]
    fn bad_keys_and_huge_values_are_refused_without_echoing_values() {
        let error = pairs(&[], &["lower=secret".to_owned()]).unwrap_err();
        assert!(
            error.contains("`lower`") && !error.contains("secret"),
            "{error}"
        );
        let error = pairs(&[], &["NOEQUALS".to_owned()]).unwrap_err();
        assert!(error.contains("expected KEY=VALUE"), "{error}");
        let huge = vec![("BIG".to_owned(), "x".repeat(4000))];
        assert!(command_line(&huge).unwrap_err().contains("more than"));
    }
}
