//! `sauce ai explain [PATH]`: what an intent does in plain words — the rule-based summary, and
//! a model's prose when one is configured.

use sauce_ai::generate::{explain as describe_intent, ExplainError};
use sauce_ai::provider::Provider;

use super::arguments::ExplainArguments;
use super::setup;
use crate::outcome::{Failure, Outcome};

/// Explains the intent at `arguments.path`.
pub fn explain(arguments: &ExplainArguments) -> Result<Outcome, Failure> {
    let provider = if arguments.no_model {
        None
    } else {
        setup::provider()?
    };
    let summary = describe_intent(&arguments.path, None).map_err(intent_failure)?;
    print!("{}", summary.summary);
    let Some(provider) = provider else {
        return Ok(Outcome::Success);
    };
    eprintln!("model: {}", provider.describe());
    match describe_intent(&arguments.path, Some(&provider as &dyn Provider)) {
        Ok(explanation) => {
            if let Some(prose) = &explanation.prose {
                println!("\n{prose}");
            }
            match explanation.cost {
                Some(cost) => eprintln!("Tokens: {} (about ${cost:.4})", explanation.usage),
                None => eprintln!(
                    "Tokens: {} (no price known for this model)",
                    explanation.usage
                ),
            }
            Ok(Outcome::Success)
        }
        Err(ExplainError::Provider(error)) => Err(Failure::environment(format!(
            "the model could not explain it: {error}"
        ))),
        Err(error) => Err(intent_failure(error)),
    }
}

fn intent_failure(error: ExplainError) -> Failure {
    match error {
        ExplainError::Intent(_) => Failure::invalid(error.to_string()),
        ExplainError::Provider(_) => Failure::environment(error.to_string()),
    }
}
