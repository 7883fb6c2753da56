//! The flags of the AI verbs: `--describe` and its companions on `sauce new`, and `sauce ai`'s
//! subcommands.

use std::path::PathBuf;

use clap::{Args, Subcommand};

/// The most attempts `--attempts` accepts.
pub const MAX_ATTEMPTS: u32 = 10;

/// `sauce new NAME --describe "…"`: flattened into `sauce new`'s arguments.
#[derive(Debug, Default, Args)]
pub struct DescribeArguments {
    /// Write the project from a plain-language description: a model (OPENAI_API_KEY,
    /// ANTHROPIC_API_KEY, or SAUCE_AI_BASE_URL for a local server), else rules for the common
    /// cases; checked, built, booted and probed before anything is written.
    #[arg(long, value_name = "TEXT", conflicts_with = "template")]
    pub describe: Option<String>,
    /// With --describe: the most attempts, each fed the previous one's diagnostics.
    #[arg(long, value_name = "N", default_value_t = 4, requires = "describe",
          value_parser = clap::value_parser!(u32).range(1..=i64::from(MAX_ATTEMPTS)))]
    pub attempts: u32,
    /// With --describe: write the last attempt even when it fails.
    #[arg(long, requires = "describe")]
    pub keep_failed: bool,
    /// With --describe: write into NAME even when it holds files, without asking.
    #[arg(long, requires = "describe")]
    pub yes: bool,
}

impl DescribeArguments {
    /// Whether `--describe` was given.
    pub fn is_requested(&self) -> bool {
        self.describe.is_some()
    }
}

/// `sauce ai`.
#[derive(Debug, Args)]
pub struct AiArguments {
    /// What to do.
    #[command(subcommand)]
    pub verb: AiVerb,
}

/// `sauce ai`'s subcommands.
#[derive(Debug, Subcommand)]
pub enum AiVerb {
    /// Repair a project whose check, build or boot fails: the failure is fed to a model until
    /// the project passes; only changed files are written back.
    Fix(FixArguments),
    /// Say in plain words what an intent does (a model adds prose when one is configured).
    Explain(ExplainArguments),
}

/// `sauce ai fix`.
#[derive(Debug, Args)]
pub struct FixArguments {
    /// A sauce.toml, or a folder holding one.
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// The most attempts, each fed the previous one's diagnostics.
    #[arg(long, value_name = "N", default_value_t = 4,
          value_parser = clap::value_parser!(u32).range(1..=i64::from(MAX_ATTEMPTS)))]
    pub attempts: u32,
    /// Replace the changed files without asking (needed when standard input is not a terminal).
    #[arg(long)]
    pub yes: bool,
}

/// `sauce ai explain`.
#[derive(Debug, Args)]
pub struct ExplainArguments {
    /// A sauce.toml, or a folder holding one.
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// Only the rule-based summary, even when a model is configured.
    #[arg(long)]
    pub no_model: bool,
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use crate::arguments::{Arguments, Verb};

    fn parse(words: &[&str]) -> Result<Verb, clap::Error> {
        Arguments::try_parse_from(words).map(|arguments| arguments.verb)
    }

    #[test]
    fn describe_and_its_flags_parse() {
        let Ok(Verb::New(new)) = parse(&[
            "sauce",
            "new",
            "shop",
            "--describe",
            "a shop",
            "--attempts",
            "2",
            "--keep-failed",
            "--yes",
        ]) else {
            panic!("not new")
        };
        assert_eq!(new.describe.describe.as_deref(), Some("a shop"));
        assert!(new.describe.is_requested());
        assert_eq!(new.describe.attempts, 2);
        assert!(new.describe.keep_failed && new.describe.yes);
        let Ok(Verb::New(plain)) = parse(&["sauce", "new", "shop"]) else {
            panic!("not new")
        };
        assert!(!plain.describe.is_requested());
        assert_eq!(plain.describe.attempts, 4);
    }

    #[test]
    fn describe_excludes_a_template_and_its_flags_need_it() {
        for words in [
            &[
                "sauce",
                "new",
                "shop",
                "--describe",
                "x",
                "--template",
                "json-api",
            ][..],
            &["sauce", "new", "shop", "--attempts", "2"][..],
            &["sauce", "new", "shop", "--yes"][..],
            &["sauce", "new", "shop", "--describe", "x", "--attempts", "0"][..],
            &[
                "sauce",
                "new",
                "shop",
                "--describe",
                "x",
                "--attempts",
                "11",
            ][..],
        ] {
            assert!(parse(words).is_err(), "{words:?} parsed");
        }
    }

    #[test]
    fn ai_subcommands_parse() {
        let Ok(Verb::Ai(ai)) = parse(&["sauce", "ai", "fix", "shop", "--yes", "--attempts", "3"])
        else {
            panic!("not ai")
        };
        let super::AiVerb::Fix(fix) = ai.verb else {
            panic!("not fix")
        };
        assert_eq!(fix.path, std::path::PathBuf::from("shop"));
        assert!(fix.yes);
        assert_eq!(fix.attempts, 3);
        let Ok(Verb::Ai(ai)) = parse(&["sauce", "ai", "explain"]) else {
            panic!("not ai")
        };
        let super::AiVerb::Explain(explain) = ai.verb else {
            panic!("not explain")
        };
        assert_eq!(explain.path, std::path::PathBuf::from("."));
        assert!(!explain.no_model);
    }
}
