//! The prompts: the system prompt (the reply format, the intent language generated from
//! sauce-intent's key table, the app crate's rules and API, two worked examples), the user
//! prompt, the repair prompt that feeds a failed stage's diagnostics back verbatim, and the
//! explain prompt.
//!
//! - [`intent_reference`]: the intent language from the key table.
//! - [`app_api`]: code rules, the `sauce-app` summary.
//! - [`examples`]: the worked examples.
//! - [`feedback`]: path rewriting and trimming of diagnostics.

pub mod app_api;
pub mod examples;
pub mod feedback;
pub mod intent_reference;

use std::fmt::Write as _;

use crate::pipeline::Stage;
use crate::rules::Understanding;

/// The default size limit of fed-back diagnostics, in bytes.
pub const DIAGNOSTICS_LIMIT: usize = 6_000;

/// The system prompt.
pub fn system_prompt() -> String {
    let mut text = String::from(
        "You write SauceOS projects. SauceOS compiles a project into a unikernel image: one small virtual machine that serves HTTP.\n\
         A project is a sauce.toml (the intent: routes and settings) and, only when a route needs logic (state, computation, \
         validation), an app crate of Rust handlers beside it.\n\n\
         Reply format (follow it exactly):\n\
         1. A short plan in plain words (at most five lines).\n\
         2. Every file in full, each in a fenced code block whose info string is the language and the file name, such as \
         ```toml sauce.toml or ```rust src/lib.rs. Never write diffs, ellipses or placeholders.\n\
         3. Optionally a ```probes block: one request a line, `METHOD /path [BODY] -> STATUS [CONTENT-TYPE]`, that the \
         finished image must answer so (they are run against it).\n\
         Files may only be: sauce.toml, Cargo.toml, README.md, src/**/*.rs, tests/**/*.rs, public/** (static files).\n\
         Prefer fixed responses (body, json, redirect, dir); write code only for logic. Use only the keys listed below.\n\n\
         The intent language (sauce.toml):\n",
    );
    text.push_str(&intent_reference::intent_reference());
    text.push('\n');
    text.push_str(&app_api::code_rules());
    text.push('\n');
    text.push_str(app_api::APP_API);
    text.push_str("\n\n");
    for (number, example) in [examples::STATIC, examples::CODE].iter().enumerate() {
        let _ = write!(
            text,
            "Example {}. The description \"{}\" gets this reply:\n\n{}\n",
            number + 1,
            example.description,
            example.reply
        );
    }
    text
}

/// The first user message: the project's name, the description, and what the rules already
/// understood (values the description states, which the model should keep).
pub fn user_prompt(name: &str, description: &str, understanding: &Understanding) -> String {
    let mut text = format!(
        "Project name: {name}\nDescription:\n\"\"\"\n{}\n\"\"\"\n",
        description.trim()
    );
    let settings: Vec<&str> = understanding
        .understood
        .iter()
        .map(|understood| understood.meaning.as_str())
        .filter(|meaning| !meaning.is_empty())
        .collect();
    if !settings.is_empty() {
        let _ = writeln!(
            text,
            "\nsauce already read these from the description; keep them:\n- {}",
            settings.join("\n- ")
        );
    }
    text.push_str("\nWrite the project in the reply format.");
    text
}

fn stage_intro(stage: Stage) -> &'static str {
    match stage {
        Stage::Reply => "Your reply could not be used:",
        Stage::Check => "`sauce check` rejected the project:",
        Stage::Security => {
            "The security checks refused the code (they are not negotiable; change the code):"
        }
        Stage::Build => "The build failed; the compiler said:",
        Stage::Budget => "The project is over its budget:",
        Stage::SmokeTest => {
            "The image booted, but these requests did not get the expected answers:"
        }
    }
}

/// The repair message after attempt `attempt` of `attempts` failed at `stage`. `diagnostics`
/// are verbatim (already with project-relative paths); they are trimmed to `limit` bytes.
pub fn repair_prompt(
    attempt: u32,
    attempts: u32,
    stage: Stage,
    diagnostics: &str,
    limit: usize,
) -> String {
    let diagnostics = feedback::trim(&feedback::strip_colour(diagnostics), limit);
    format!(
        "Attempt {attempt} of {attempts} failed at the {stage} stage. {}\n\n```text\n{diagnostics}\n```\n\n\
         Fix the cause. Reply in the same format: first one line saying what you changed, then every file you change, in \
         full (files you leave out stay as they are), and the probes block again if you had one.",
        stage_intro(stage)
    )
}

/// The request to explain an intent in plain words; `facts` is the rule-based summary.
pub fn explain_prompt(intent: &str, facts: &str) -> String {
    format!(
        "Explain in plain words, for someone who has never seen SauceOS, what the image built from this sauce.toml does: \
         what it answers on which paths, and how it runs. Three short paragraphs at most, no code, no headings.\n\n\
         ```toml sauce.toml\n{}\n```\n\nFacts sauce already derived (they are correct):\n{facts}",
        intent.trim_end()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::understand;

    #[test]
    fn the_system_prompt_teaches_everything() {
        let prompt = system_prompt();
        for needle in [
            "```toml sauce.toml",
            "[[http.route]] — A route.",
            "[http.limits]",
            "  handler: string matching",
            "  methods: list of strings matching",
            "serde = { version = \"1\", default-features = false",
            "Error::bad_request",
            "Example 2.",
            "```probes",
        ] {
            assert!(prompt.contains(needle), "{needle}");
        }
        assert!(prompt.len() < 24_000, "{} bytes", prompt.len());
    }

    #[test]
    fn the_user_prompt_carries_what_the_rules_read() {
        let understanding = understand("a hello service on port 8080");
        let prompt = user_prompt("hello", "a hello service on port 8080", &understanding);
        assert!(
            prompt.starts_with(
                "Project name: hello\nDescription:\n\"\"\"\na hello service on port 8080\n\"\"\"\n"
            ),
            "{prompt}"
        );
        assert!(prompt.contains("- port 8080"), "{prompt}");
    }

    #[test]
    fn the_repair_prompt_quotes_the_diagnostics() {
        let diagnostics = "error: unknown key `bdy` in [[http.route]]\n --> sauce.toml:6:1\n";
        let prompt = repair_prompt(1, 4, Stage::Check, diagnostics, DIAGNOSTICS_LIMIT);
        assert!(
            prompt.starts_with(
                "Attempt 1 of 4 failed at the check stage. `sauce check` rejected the project:"
            ),
            "{prompt}"
        );
        assert!(
            prompt.contains(
                "```text\nerror: unknown key `bdy` in [[http.route]]\n --> sauce.toml:6:1\n```"
            ),
            "{prompt}"
        );
        let long = "error: x\n".repeat(2_000);
        let trimmed = repair_prompt(2, 4, Stage::Build, &long, 100);
        assert!(trimmed.contains("more lines not shown"), "{trimmed}");
        assert!(trimmed.len() < 800);
    }

    #[test]
    fn the_explain_prompt_includes_the_intent() {
        let prompt = explain_prompt("[app]\nname = \"a\"\n", "A serial-only app.");
        assert!(prompt.contains("```toml sauce.toml\n[app]\nname = \"a\"\n```"));
        assert!(prompt.ends_with("A serial-only app."));
    }
}
