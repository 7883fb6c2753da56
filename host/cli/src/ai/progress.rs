//! The loop's events as lines on standard error: what the rules understood, each request to
//! the model (with a live token count on a terminal), the files each attempt writes, each stage,
//! each attempt's result, and where the project went.

use std::io::{IsTerminal, Write};

use sauce_ai::generate::Event;
use sauce_ai::project::ProjectPath;
use sauce_ai::provider::ProviderEvent;

/// Prints events as they come.
#[derive(Debug)]
pub struct Progress {
    /// Standard error is a terminal: the token count is redrawn in place.
    terminal: bool,
    /// A model writes the code, so "needs a model" lines of the understanding do not apply.
    with_model: bool,
    /// A redrawn line is open and must be ended before the next line.
    line_open: bool,
}

impl Progress {
    /// A printer for a run with or without a model.
    pub fn new(with_model: bool) -> Self {
        Self {
            terminal: std::io::stderr().is_terminal(),
            with_model,
            line_open: false,
        }
    }

    /// Shows one event.
    pub fn show(&mut self, event: Event<'_>) {
        let mut lines = Vec::new();
        match event {
            Event::Understood(understanding) => {
                lines.extend(understanding_lines(
                    &understanding.to_string(),
                    self.with_model,
                ));
            }
            Event::Asking { attempt } => lines.push(format!("attempt {attempt}: asking the model")),
            Event::Provider(ProviderEvent::Retrying {
                status,
                delay,
                retry,
            }) => lines.push(format!(
                "  the server answered {status}; retry {retry} in {:.1} s",
                delay.as_secs_f64()
            )),
            Event::Provider(ProviderEvent::Receiving {
                tokens, estimated, ..
            }) => {
                if self.terminal {
                    let about = if *estimated { "about " } else { "" };
                    eprint!("\r  receiving: {about}{tokens} tokens");
                    let _ = std::io::stderr().flush();
                    self.line_open = true;
                }
            }
            Event::Writing { attempt, files } => {
                lines.push(format!("attempt {attempt}: writes {}", names(files)));
            }
            Event::Stage { attempt, stage } => lines.push(format!("attempt {attempt}: {stage}")),
            Event::Attempt(report) => lines.push(report.to_string()),
            Event::Installed(installed) => {
                let mut written: Vec<&ProjectPath> = installed.created.iter().collect();
                written.extend(&installed.replaced);
                lines.push(format!(
                    "wrote {} in {}",
                    names(written.into_iter().cloned().collect::<Vec<_>>().as_slice()),
                    installed.folder.display()
                ));
            }
        }
        if lines.is_empty() {
            return;
        }
        if self.line_open {
            eprintln!();
            self.line_open = false;
        }
        for line in lines {
            eprintln!("{line}");
        }
    }
}

/// The understanding's lines, without the advice to configure a model when one is configured.
fn understanding_lines(text: &str, with_model: bool) -> Vec<String> {
    text.lines()
        .filter(|line| {
            !(with_model
                && (line.starts_with("Needs handler code") || line.starts_with("Nothing says")))
        })
        .map(str::to_owned)
        .collect()
}

fn names(files: &[ProjectPath]) -> String {
    if files.is_empty() {
        return "no file".to_owned();
    }
    files
        .iter()
        .map(ProjectPath::as_str)
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn model_advice_is_dropped_when_a_model_writes_the_code() {
        let text = "Understood:\n  - \"port 8080\": port 8080\nNeeds handler code (orders): configure a model\n";
        assert_eq!(
            understanding_lines(text, true),
            ["Understood:", "  - \"port 8080\": port 8080"]
        );
        assert_eq!(understanding_lines(text, false).len(), 3);
    }

    #[test]
    fn file_names_are_listed() {
        let files = [
            ProjectPath::parse("sauce.toml").unwrap(),
            ProjectPath::parse("src/lib.rs").unwrap(),
        ];
        assert_eq!(names(&files), "sauce.toml, src/lib.rs");
        assert_eq!(names(&[]), "no file");
    }
}
