//! Typed reads of single values; each wrong value becomes a diagnostic at the value.

use toml::de::DeValue;
use toml::Spanned;

use super::{described, Checker};
use crate::spelling::closest;

impl Checker<'_> {
    /// The string at `value`, or an error naming `key` ("`app.name` must be a string").
    pub(super) fn string<'v>(
        &mut self,
        value: &'v Spanned<DeValue<'_>>,
        key: &str,
    ) -> Option<&'v str> {
        let short = key.rsplit('.').next().unwrap_or(key);
        self.string_or_hint(
            value,
            key,
            &format!("put the value in quotes: `{short} = \"…\"`"),
        )
    }

    /// [`Checker::string`] with the hint given for a value of another type.
    pub(super) fn string_or_hint<'v>(
        &mut self,
        value: &'v Spanned<DeValue<'_>>,
        key: &str,
        hint: &str,
    ) -> Option<&'v str> {
        if let Some(text) = value.get_ref().as_str() {
            return Some(text);
        }
        let message = format!(
            "`{key}` must be a string, not {}",
            described(value.get_ref())
        );
        self.error(value.span(), message, hint);
        None
    }

    /// The whole number at `value`, from `low` to `high`, or an error naming `key` whose hint
    /// shows `example`.
    pub(super) fn integer_in(
        &mut self,
        value: &Spanned<DeValue<'_>>,
        key: &str,
        (low, high): (i64, i64),
        example: i64,
    ) -> Option<i64> {
        let short = key.rsplit('.').next().unwrap_or(key);
        let Some(integer) = value.get_ref().as_integer() else {
            let message = format!(
                "`{key}` must be a whole number, not {}",
                described(value.get_ref())
            );
            self.error(
                value.span(),
                message,
                format!("write a number without quotes, such as `{short} = {example}`"),
            );
            return None;
        };
        match i64::from_str_radix(integer.as_str(), integer.radix()) {
            Ok(number) if (low..=high).contains(&number) => Some(number),
            _ => {
                let written = &self.source[value.span()];
                let message = format!("`{key}` must be from {low} to {high}, not {written}");
                self.error(
                    value.span(),
                    message,
                    format!("for example `{short} = {example}`"),
                );
                None
            }
        }
    }

    /// The value at `value` read by `from_text`, one of `options`, or an error naming `key`
    /// with the closest option.
    pub(super) fn choice<T>(
        &mut self,
        value: &Spanned<DeValue<'_>>,
        key: &str,
        options: &[&str],
        from_text: fn(&str) -> Option<T>,
    ) -> Option<T> {
        let quoted: Vec<String> = options
            .iter()
            .map(|option| format!("`\"{option}\"`"))
            .collect();
        let listed = quoted.join(" or ");
        let text = self.string_or_hint(value, key, &format!("write one of {listed}"))?;
        if let Some(chosen) = from_text(text) {
            return Some(chosen);
        }
        let message = format!("`{text}` is not a valid `{key}`; it is one of {listed}");
        let hint = match closest(text, options) {
            Some(suggestion) => format!("did you mean `\"{suggestion}\"`?"),
            None => format!("write one of {listed}"),
        };
        self.error(value.span(), message, hint);
        None
    }
}
