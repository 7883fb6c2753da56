//! The Postgres types this client binds and decodes, and the small Rust types that stand for
//! the ones Rust lacks (`Timestamp`, `Uuid`, `Json`, `Numeric`).
mod from_sql;
mod numeric;
mod parameter;

pub use from_sql::{FromSql, FromSqlError};
pub use parameter::{Parameter, ToParameter};

/// Type OIDs (`pg_type.oid`) of the built-in types this crate knows.
pub mod oid {
    /// `boolean`
    pub const BOOL: u32 = 16;
    /// `bytea`
    pub const BYTEA: u32 = 17;
    /// `name`
    pub const NAME: u32 = 19;
    /// `bigint`
    pub const INT8: u32 = 20;
    /// `smallint`
    pub const INT2: u32 = 21;
    /// `integer`
    pub const INT4: u32 = 23;
    /// `text`
    pub const TEXT: u32 = 25;
    /// `json`
    pub const JSON: u32 = 114;
    /// `real`
    pub const FLOAT4: u32 = 700;
    /// `double precision`
    pub const FLOAT8: u32 = 701;
    /// an untyped literal
    pub const UNKNOWN: u32 = 705;
    /// `character(n)`
    pub const BPCHAR: u32 = 1042;
    /// `character varying`
    pub const VARCHAR: u32 = 1043;
    /// `timestamp without time zone`
    pub const TIMESTAMP: u32 = 1114;
    /// `timestamp with time zone`
    pub const TIMESTAMPTZ: u32 = 1184;
    /// `numeric`
    pub const NUMERIC: u32 = 1700;
    /// `uuid`
    pub const UUID: u32 = 2950;
    /// `jsonb`
    pub const JSONB: u32 = 3802;
    /// Let the server infer the type from the statement.
    pub const UNSPECIFIED: u32 = 0;
}

/// Microseconds between 1970-01-01 and 2000-01-01, the epoch of Postgres timestamps.
const POSTGRES_EPOCH_UNIX_MICROSECONDS: i64 = 946_684_800_000_000;

/// A `timestamptz`: microseconds since 1970-01-01 00:00 UTC. Postgres' `infinity` and
/// `-infinity` are [`Timestamp::INFINITY`] and [`Timestamp::NEGATIVE_INFINITY`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp {
    /// Microseconds since the Unix epoch.
    pub unix_microseconds: i64,
}

impl Timestamp {
    /// `infinity`.
    pub const INFINITY: Timestamp = Timestamp {
        unix_microseconds: i64::MAX,
    };
    /// `-infinity`.
    pub const NEGATIVE_INFINITY: Timestamp = Timestamp {
        unix_microseconds: i64::MIN,
    };

    /// The timestamp `unix_microseconds` after the Unix epoch.
    pub const fn from_unix_microseconds(unix_microseconds: i64) -> Self {
        Timestamp { unix_microseconds }
    }

    /// Postgres' own count: microseconds since 2000-01-01, with the infinities kept.
    pub(crate) fn to_postgres(self) -> Option<i64> {
        match self.unix_microseconds {
            i64::MAX | i64::MIN => Some(self.unix_microseconds),
            value => value.checked_sub(POSTGRES_EPOCH_UNIX_MICROSECONDS),
        }
    }

    /// From Postgres' count.
    pub(crate) fn from_postgres(value: i64) -> Option<Self> {
        let unix_microseconds = match value {
            i64::MAX | i64::MIN => value,
            value => value.checked_add(POSTGRES_EPOCH_UNIX_MICROSECONDS)?,
        };
        Some(Timestamp { unix_microseconds })
    }
}

/// A `uuid`: its 16 bytes. Displays in the hyphenated form.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Uuid(pub [u8; 16]);

impl Uuid {
    /// Parses the hyphenated (or plain 32-digit) hexadecimal form.
    pub fn parse(text: &str) -> Option<Uuid> {
        let mut bytes = [0u8; 16];
        let mut digits = text.bytes().filter(|&byte| byte != b'-');
        for byte in &mut bytes {
            let high = hex_value(digits.next()?)?;
            let low = hex_value(digits.next()?)?;
            *byte = high << 4 | low;
        }
        let hyphens = text.bytes().filter(|&byte| byte == b'-').count();
        (digits.next().is_none() && (hyphens == 0 || (hyphens == 4 && text.len() == 36)))
            .then_some(Uuid(bytes))
    }
}

/// The value of one hexadecimal digit.
fn hex_value(digit: u8) -> Option<u8> {
    char::from(digit)
        .to_digit(16)
        .and_then(|value| u8::try_from(value).ok())
}

impl core::fmt::Display for Uuid {
    fn fmt(&self, formatter: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        for (index, byte) in self.0.iter().enumerate() {
            if matches!(index, 4 | 6 | 8 | 10) {
                formatter.write_str("-")?;
            }
            write!(formatter, "{byte:02x}")?;
        }
        Ok(())
    }
}

/// A `json` or `jsonb` value as its text. Bound with the type left for the server to infer
/// from the statement, so it fits `json` and `jsonb` columns alike.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Json<T = alloc::string::String>(pub T);

/// A `numeric` value as its decimal text (`"12.50"`, `"NaN"`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Numeric<T = alloc::string::String>(pub T);

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    #[test]
    fn uuids_parse_and_display_in_the_hyphenated_form() {
        let text = "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11";
        let uuid = Uuid::parse(text).unwrap();
        assert_eq!(uuid.0[0], 0xa0);
        assert_eq!(uuid.to_string(), text);
        assert_eq!(Uuid::parse("a0eebc999c0b4ef8bb6d6bb9bd380a11"), Some(uuid));
        for bad in [
            "",
            "a0eebc99",
            "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1g",
            "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11aa",
            "a-0eebc999c0b4ef8bb6d6bb9bd380a11",
        ] {
            assert_eq!(Uuid::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn timestamps_convert_between_epochs_and_keep_infinities() {
        let unix = Timestamp::from_unix_microseconds(946_684_800_000_000);
        assert_eq!(unix.to_postgres(), Some(0));
        assert_eq!(Timestamp::from_postgres(0), Some(unix));
        assert_eq!(Timestamp::INFINITY.to_postgres(), Some(i64::MAX));
        assert_eq!(
            Timestamp::from_postgres(i64::MIN),
            Some(Timestamp::NEGATIVE_INFINITY)
        );
        assert_eq!(Timestamp::from_postgres(i64::MAX - 1), None);
        assert_eq!(
            Timestamp::from_unix_microseconds(i64::MIN + 1).to_postgres(),
            None
        );
    }
}
