//! What every AI verb needs: the model (from the environment and `~/.config/sauce/config.toml`),
//! the real stages behind the loop, and a yes/no question that is never asked when standard
//! input is not a terminal.

use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};

use sauce_ai::pipeline::clippy::Clippy;
use sauce_ai::pipeline::command::SauceCommand;
use sauce_ai::provider::{HttpProvider, ProviderSettings};
use sauce_builder::BuildContext;

use crate::outcome::Failure;

/// The configured model, or `None` (the rule-based path); a configuration that cannot work is
/// an error naming the fix.
pub fn provider() -> Result<Option<HttpProvider>, Failure> {
    ProviderSettings::from_environment()
        .map(|settings| settings.map(HttpProvider::new))
        .map_err(|error| Failure::invalid(format!("the AI settings cannot work: {error}")))
}

/// The stages the loop runs on each attempt: this very `sauce` executable's `check`, clippy on
/// the app crate then `build`, and `run` under QEMU with the probes sent to 127.0.0.1. The
/// children inherit the environment (`SAUCE_CACHE`, `SAUCE_ACCEL`, `SAUCE_HOME`), so they
/// build and boot exactly as `sauce build` and `sauce run` would.
pub fn pipeline() -> Result<SauceCommand, Failure> {
    let executable = std::env::current_exe().map_err(|error| {
        Failure::environment(format!(
            "cannot find the running sauce executable to run the stages with: {error}"
        ))
    })?;
    let context = BuildContext::from_environment()
        .map_err(|error| Failure::environment(error.to_string()))?;
    let mut command = SauceCommand::new(&executable);
    command.clippy = Some(Clippy::new(&context));
    Ok(command)
}

/// The project folder of PATH (a sauce.toml or a folder holding one).
pub fn project_folder(path: &Path) -> PathBuf {
    if path.file_name().is_some_and(|name| name == "sauce.toml") {
        match path.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent.to_owned(),
            _ => PathBuf::from("."),
        }
    } else {
        path.to_owned()
    }
}

/// The answer to a yes/no question.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Answer {
    /// Go ahead.
    Yes,
    /// Do not.
    No,
    /// Standard input is not a terminal, so nobody was asked.
    NotAsked,
}

/// Asks `question` on standard error and reads one line from standard input, only when standard
/// input is a terminal; anything but `y`/`yes` is no.
pub fn confirm(question: &str) -> Answer {
    let input = std::io::stdin();
    if !input.is_terminal() {
        return Answer::NotAsked;
    }
    eprint!("{question} [y/N] ");
    let _ = std::io::stderr().flush();
    let mut line = String::new();
    if input.lock().read_line(&mut line).is_err() {
        return Answer::No;
    }
    read_answer(&line)
}

fn read_answer(line: &str) -> Answer {
    match line.trim().to_ascii_lowercase().as_str() {
        "y" | "yes" => Answer::Yes,
        _ => Answer::No,
    }
}

/// `path` quoted for a shell command line when it needs it.
pub fn shell_word(path: &Path) -> String {
    let text = path.display().to_string();
    if !text.is_empty()
        && text
            .chars()
            .all(|character| character.is_ascii_alphanumeric() || "-_./".contains(character))
    {
        text
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_yes_is_yes() {
        assert_eq!(read_answer("y\n"), Answer::Yes);
        assert_eq!(read_answer(" YES \n"), Answer::Yes);
        assert_eq!(read_answer("\n"), Answer::No);
        assert_eq!(read_answer("no"), Answer::No);
        assert_eq!(read_answer("yep"), Answer::No);
    }

    #[test]
    fn project_folders() {
        assert_eq!(project_folder(Path::new("sauce.toml")), PathBuf::from("."));
        assert_eq!(
            project_folder(Path::new("shop/sauce.toml")),
            PathBuf::from("shop")
        );
        assert_eq!(project_folder(Path::new("shop")), PathBuf::from("shop"));
    }

    #[test]
    fn shell_words_are_quoted_when_needed() {
        assert_eq!(shell_word(Path::new("shop")), "shop");
        assert_eq!(shell_word(Path::new("my shop")), "'my shop'");
        assert_eq!(shell_word(Path::new("it's")), "'it'\\''s'");
    }
}
