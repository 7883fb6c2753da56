//! Token prices, for a cost estimate at the end of a run: US dollars per million tokens as the
//! vendors list them (2025). A model is matched by the longest listed prefix, so dated snapshots
//! (`gpt-4o-mini-2024-07-18`) find their family. Unknown models, and every model on an
//! OpenAI-compatible server, have no price: the report shows tokens only.

use super::{ProviderKind, Usage};

/// One model family's prices.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Price {
    /// The model name prefix.
    pub model: &'static str,
    /// Dollars per million input tokens.
    pub input: f64,
    /// Dollars per million output tokens.
    pub output: f64,
}

const fn price(model: &'static str, input: f64, output: f64) -> Price {
    Price {
        model,
        input,
        output,
    }
}

/// The price table.
pub const PRICES: &[Price] = &[
    price("gpt-5-nano", 0.05, 0.40),
    price("gpt-5-mini", 0.25, 2.00),
    price("gpt-5", 1.25, 10.00),
    price("gpt-4.1-nano", 0.10, 0.40),
    price("gpt-4.1-mini", 0.40, 1.60),
    price("gpt-4.1", 2.00, 8.00),
    price("gpt-4o-mini", 0.15, 0.60),
    price("gpt-4o", 2.50, 10.00),
    price("o4-mini", 1.10, 4.40),
    price("o3-mini", 1.10, 4.40),
    price("o3", 2.00, 8.00),
    price("claude-opus-4-5", 5.00, 25.00),
    price("claude-opus-4", 15.00, 75.00),
    price("claude-sonnet-4", 3.00, 15.00),
    price("claude-haiku-4-5", 1.00, 5.00),
    price("claude-3-7-sonnet", 3.00, 15.00),
    price("claude-3-5-sonnet", 3.00, 15.00),
    price("claude-3-5-haiku", 0.80, 4.00),
    price("claude-3-haiku", 0.25, 1.25),
];

/// The prices of `model` on a `kind` provider, if listed.
pub fn price_of(kind: ProviderKind, model: &str) -> Option<Price> {
    if kind == ProviderKind::OpenAiCompatible {
        return None;
    }
    PRICES
        .iter()
        .filter(|price| model.starts_with(price.model))
        .max_by_key(|price| price.model.len())
        .copied()
}

/// The estimated cost of `usage`, in dollars.
pub fn cost_in_dollars(kind: ProviderKind, model: &str, usage: Usage) -> Option<f64> {
    let price = price_of(kind, model)?;
    Some(
        (usage.input_tokens as f64 * price.input + usage.output_tokens as f64 * price.output)
            / 1_000_000.0,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn longest_prefix_wins() {
        assert_eq!(
            price_of(ProviderKind::OpenAi, "gpt-4o-mini-2024-07-18").map(|price| price.model),
            Some("gpt-4o-mini")
        );
        assert_eq!(
            price_of(ProviderKind::OpenAi, "gpt-4o-2024-08-06").map(|price| price.model),
            Some("gpt-4o")
        );
        assert_eq!(
            price_of(ProviderKind::Anthropic, "claude-sonnet-4-5-20250929")
                .map(|price| price.model),
            Some("claude-sonnet-4")
        );
        assert_eq!(
            price_of(ProviderKind::Anthropic, "claude-opus-4-5").map(|price| price.input),
            Some(5.0)
        );
    }

    #[test]
    fn costs_and_unknowns() {
        let usage = Usage {
            input_tokens: 1_000_000,
            output_tokens: 500_000,
        };
        let cost = cost_in_dollars(ProviderKind::OpenAi, "gpt-4.1-mini", usage).unwrap();
        assert!((cost - 1.2).abs() < 1e-9, "{cost}");
        assert_eq!(
            cost_in_dollars(ProviderKind::OpenAi, "my-fine-tune", usage),
            None
        );
        assert_eq!(
            cost_in_dollars(ProviderKind::OpenAiCompatible, "gpt-4o", usage),
            None
        );
    }
}
