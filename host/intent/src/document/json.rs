//! A `json` value as compact JSON text: tables become objects with their keys in the order
//! written, datetimes become strings, and numbers JSON cannot hold are errors.

use std::fmt::Write;
use std::ops::Range;

use toml::de::DeValue;
use toml::Spanned;

use super::in_source_order;

/// Where a value JSON cannot hold is, what it is, and what to write instead.
pub(super) type JsonProblem = (Range<usize>, String, String);

/// `value` as compact JSON text.
pub(super) fn to_json(value: &Spanned<DeValue<'_>>) -> Result<String, JsonProblem> {
    let mut text = String::new();
    write_value(value, &mut text)?;
    Ok(text)
}

fn write_value(value: &Spanned<DeValue<'_>>, text: &mut String) -> Result<(), JsonProblem> {
    match value.get_ref() {
        DeValue::String(string) => write_string(string, text),
        DeValue::Integer(integer) => {
            let number = i64::from_str_radix(integer.as_str(), integer.radix()).map_err(|_| {
                let message = "this number does not fit in 64 bits".to_owned();
                (value.span(), message, "write it as a string".to_owned())
            })?;
            let _ = write!(text, "{number}");
        }
        DeValue::Float(float) => {
            let number = float
                .as_str()
                .replace('_', "")
                .parse::<f64>()
                .ok()
                .filter(|number| number.is_finite());
            let Some(number) = number else {
                let message = format!("JSON has no `{}`: its numbers are finite", float.as_str());
                let hint = format!("write it as a string: `\"{}\"`", float.as_str());
                return Err((value.span(), message, hint));
            };
            text.push_str(&serde_json::to_string(&number).unwrap_or_default());
        }
        DeValue::Boolean(boolean) => text.push_str(if *boolean { "true" } else { "false" }),
        DeValue::Datetime(datetime) => write_string(&datetime.to_string(), text),
        DeValue::Array(array) => {
            text.push('[');
            for (index, item) in array.iter().enumerate() {
                if index > 0 {
                    text.push(',');
                }
                write_value(item, text)?;
            }
            text.push(']');
        }
        DeValue::Table(table) => {
            text.push('{');
            for (index, (key, item)) in in_source_order(table).into_iter().enumerate() {
                if index > 0 {
                    text.push(',');
                }
                write_string(key.get_ref(), text);
                text.push(':');
                write_value(item, text)?;
            }
            text.push('}');
        }
    }
    Ok(())
}

fn write_string(string: &str, text: &mut String) {
    text.push_str(&serde_json::to_string(string).unwrap_or_default());
}

#[cfg(test)]
mod tests {
    use toml::de::DeTable;

    use super::*;

    fn json(toml_value: &str) -> Result<String, String> {
        let source = format!("value = {toml_value}");
        let root = DeTable::parse(&source).unwrap();
        let value = root.get_ref().get("value").unwrap();
        to_json(value).map_err(|(_, message, _)| message)
    }

    #[test]
    fn converts_every_kind_keeping_key_order() {
        assert_eq!(
            json("{ service = \"hello\", version = 1, beta = true }").unwrap(),
            r#"{"service":"hello","version":1,"beta":true}"#
        );
        assert_eq!(
            json("{ z = { b = 1, a = 2 }, a = [] }").unwrap(),
            r#"{"z":{"b":1,"a":2},"a":[]}"#
        );
        assert_eq!(json("[1, 0x10, -3, 1_000]").unwrap(), "[1,16,-3,1000]");
        assert_eq!(
            json("[1.5, -0.0, 1e3, 6.02e23]").unwrap(),
            "[1.5,-0.0,1000.0,6.02e+23]"
        );
        assert_eq!(
            json("\"quote \\\" and \\n\"").unwrap(),
            r#""quote \" and \n""#
        );
        assert_eq!(
            json("1979-05-27T07:32:00Z").unwrap(),
            r#""1979-05-27T07:32:00Z""#
        );
        assert_eq!(
            json("{ a.b = 1, c = 2 }").unwrap(),
            r#"{"a":{"b":1},"c":2}"#
        );
    }

    #[test]
    fn numbers_json_cannot_hold_are_errors() {
        assert_eq!(
            json("nan").unwrap_err(),
            "JSON has no `nan`: its numbers are finite"
        );
        assert_eq!(
            json("[1, -inf]").unwrap_err(),
            "JSON has no `-inf`: its numbers are finite"
        );
        assert_eq!(
            json("1e400").unwrap_err(),
            "JSON has no `1e400`: its numbers are finite"
        );
    }
}
