//! Deserialising decoded `name=value` pairs (a query or a form body) into a serde type.
//!
//! Every value is text; a field asks for its type and the text is parsed then (`"20"` as a
//! `u32`, `"on"` as `true`). An empty value is `None` for an `Option` field.

use alloc::borrow::Cow;
use alloc::string::String;
use serde::de::value::{CowStrDeserializer, Error, MapDeserializer};
use serde::de::{self, Error as _, IntoDeserializer, Visitor};

/// Deserialises `T` from decoded pairs; the error says which value did not fit.
pub(crate) fn from_pairs<'a, T, I>(pairs: I) -> Result<T, Error>
where
    T: de::DeserializeOwned,
    I: Iterator<Item = (Cow<'a, str>, Cow<'a, str>)>,
{
    let entries = pairs.map(|(name, value)| (name, FormValue(value)));
    // Deserialising a map also checks that every entry was read (`MapDeserializer::end`).
    let map: MapDeserializer<'_, _, Error> = MapDeserializer::new(entries);
    T::deserialize(map)
}

/// One value of a form, parsed into whatever type its field asks for.
struct FormValue<'a>(Cow<'a, str>);

impl<'de, 'a> IntoDeserializer<'de, Error> for FormValue<'a> {
    type Deserializer = FormValue<'a>;

    fn into_deserializer(self) -> FormValue<'a> {
        self
    }
}

impl FormValue<'_> {
    fn parse<T: core::str::FromStr>(&self, what: &str) -> Result<T, Error> {
        self.0
            .trim()
            .parse()
            .map_err(|_| Error::custom(alloc::format!("`{}` is not {what}", self.0)))
    }

    fn text(self) -> CowStrDeserializer<'static, Error> {
        let owned: String = self.0.into_owned();
        Cow::<'static, str>::Owned(owned).into_deserializer()
    }
}

macro_rules! parse_number {
    ($($method:ident => $visit:ident as $kind:ty, $what:literal;)*) => {
        $(
            fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
                visitor.$visit(self.parse::<$kind>($what)?)
            }
        )*
    };
}

impl<'de> de::Deserializer<'de> for FormValue<'_> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.text().deserialize_any(visitor)
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0.trim() {
            "true" | "on" | "1" | "yes" => visitor.visit_bool(true),
            "false" | "off" | "0" | "no" => visitor.visit_bool(false),
            other => Err(Error::custom(alloc::format!(
                "`{other}` is not true or false"
            ))),
        }
    }

    parse_number! {
        deserialize_i8 => visit_i8 as i8, "an integer";
        deserialize_i16 => visit_i16 as i16, "an integer";
        deserialize_i32 => visit_i32 as i32, "an integer";
        deserialize_i64 => visit_i64 as i64, "an integer";
        deserialize_u8 => visit_u8 as u8, "a non-negative integer";
        deserialize_u16 => visit_u16 as u16, "a non-negative integer";
        deserialize_u32 => visit_u32 as u32, "a non-negative integer";
        deserialize_u64 => visit_u64 as u64, "a non-negative integer";
        deserialize_f32 => visit_f32 as f32, "a number";
        deserialize_f64 => visit_f64 as f64, "a number";
        deserialize_char => visit_char as char, "one character";
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if self.0.is_empty() {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.text().deserialize_enum(name, variants, visitor)
    }

    serde::forward_to_deserialize_any! {
        i128 u128 str string bytes byte_buf unit unit_struct seq tuple tuple_struct map struct
        identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::percent::pairs;
    use alloc::string::String;
    use alloc::vec::Vec;
    use proptest::prelude::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(rename_all = "lowercase")]
    enum Priority {
        Low,
        High,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Search {
        text: String,
        limit: u32,
        offset: Option<u64>,
        exact: bool,
        priority: Priority,
        ratio: Option<f64>,
    }

    fn parse<T: de::DeserializeOwned>(raw: &str) -> Result<T, Error> {
        from_pairs(pairs(raw))
    }

    #[test]
    fn fields_parse_from_text() {
        let search: Search =
            parse("text=rust+os&limit=10&exact=on&priority=high&ratio=0.5&extra=1").unwrap();
        assert_eq!(
            search,
            Search {
                text: "rust os".into(),
                limit: 10,
                offset: None,
                exact: true,
                priority: Priority::High,
                ratio: Some(0.5),
            }
        );
        let low: Search = parse("text=&limit=0&offset=&exact=false&priority=low").unwrap();
        assert_eq!(
            (low.text.as_str(), low.offset, low.exact),
            ("", None, false)
        );
    }

    #[test]
    fn repeated_fields_are_refused() {
        let error = parse::<Search>("text=a&text=b&limit=1&exact=1&priority=low").unwrap_err();
        assert!(
            alloc::format!("{error}").contains("duplicate field"),
            "{error}"
        );
    }

    #[test]
    fn mismatches_say_which_value() {
        let error = parse::<Search>("text=a&limit=ten&exact=true&priority=low").unwrap_err();
        assert_eq!(
            alloc::format!("{error}"),
            "`ten` is not a non-negative integer"
        );
        let missing = parse::<Search>("text=a").unwrap_err();
        assert!(
            alloc::format!("{missing}").contains("missing field"),
            "{missing}"
        );
        let variant = parse::<Search>("text=a&limit=1&exact=1&priority=urgent").unwrap_err();
        assert!(
            alloc::format!("{variant}").contains("unknown variant"),
            "{variant}"
        );
    }

    #[test]
    fn pairs_deserialise_into_maps() {
        let map: std::collections::BTreeMap<String, String> = parse("b=2&a=1").unwrap();
        assert_eq!(
            map.into_iter().collect::<Vec<_>>(),
            [("a".into(), "1".into()), ("b".into(), "2".into())]
        );
    }

    proptest! {
        #[test]
        fn any_form_body_deserialises_or_fails_cleanly(raw in ".{0,80}") {
            let _ = parse::<Search>(&raw);
            let _ = parse::<std::collections::BTreeMap<String, String>>(&raw);
        }
    }
}
