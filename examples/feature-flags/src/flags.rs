//! The flag handlers and the flag table.

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;

use sauce_app::{Error, Method, Request, Response, Result};
use serde::{Deserialize, Serialize};

use crate::{App, FLAGS_KEY};

/// The longest flag name, in bytes.
pub const NAME_LIMIT: usize = 64;
/// The most flags.
pub const MAX_FLAGS: usize = 256;

/// The flags, by name.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Flags {
    flags: BTreeMap<String, bool>,
}

/// Why a flag could not be set.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FlagError {
    /// the name is not 1–64 ASCII letters, digits, `-`, `_` or `.`
    Name,
    /// there are already 256 flags
    Full,
}

impl From<FlagError> for Error {
    fn from(error: FlagError) -> Error {
        match error {
            FlagError::Name => Error::unprocessable(format!(
                "a flag name is 1 to {NAME_LIMIT} ASCII letters, digits, `-`, `_` or `.`"
            )),
            FlagError::Full => Error::new(
                507,
                format!("there are already {MAX_FLAGS} flags; no new one can be made"),
            ),
        }
    }
}

impl Flags {
    /// The flags a `FLAGS` setting enables (`"beta, dark-mode"`); invalid names are skipped
    /// and returned.
    pub fn from_setting(setting: &str) -> (Flags, alloc::vec::Vec<&str>) {
        let mut flags = Flags::default();
        let mut skipped = alloc::vec::Vec::new();
        for name in setting
            .split(',')
            .map(str::trim)
            .filter(|name| !name.is_empty())
        {
            if flags.set(name, true).is_err() {
                skipped.push(name);
            }
        }
        (flags, skipped)
    }

    /// Whether `name` is on; `None` when there is no such flag.
    pub fn get(&self, name: &str) -> Option<bool> {
        self.flags.get(name).copied()
    }

    /// Sets `name` on or off, making it if it is new.
    pub fn set(&mut self, name: &str, enabled: bool) -> core::result::Result<(), FlagError> {
        if !is_flag_name(name) {
            return Err(FlagError::Name);
        }
        if let Some(flag) = self.flags.get_mut(name) {
            *flag = enabled;
            return Ok(());
        }
        if self.flags.len() >= MAX_FLAGS {
            return Err(FlagError::Full);
        }
        self.flags.insert(String::from(name), enabled);
        Ok(())
    }

    /// How many flags exist.
    pub fn len(&self) -> usize {
        self.flags.len()
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.flags.is_empty()
    }
}

/// Whether `name` may name a flag.
pub fn is_flag_name(name: &str) -> bool {
    (1..=NAME_LIMIT).contains(&name.len())
        && name
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || b"-_.".contains(&byte))
}

/// Runs `change` on the flags, reading `FLAGS` first if no request has yet.
fn with_flags<R>(app: &'static App, change: impl FnOnce(&mut Flags) -> R) -> R {
    app.flags.with_mut(|slot| {
        let flags = slot.get_or_insert_with(|| {
            let (flags, skipped) = Flags::from_setting(sauce_app::env(FLAGS_KEY).unwrap_or(""));
            for name in skipped {
                sauce_app::warn!("{FLAGS_KEY}: `{name}` is not a flag name; skipped");
            }
            flags
        });
        change(flags)
    })
}

/// One flag, as `GET` and `PUT /flags/{name}` answer it.
#[derive(Serialize)]
struct Flag<'a> {
    name: &'a str,
    enabled: bool,
}

/// The body of `PUT /flags/{name}`.
#[derive(Deserialize)]
struct SetFlag {
    enabled: bool,
}

/// `GET /flags`: every flag and whether it is on, `{"name": bool, …}` by name.
pub async fn list(_request: Request, app: &'static App) -> Result {
    Ok(with_flags(app, |flags| Response::json(flags)))
}

/// `GET /flags/{name}`: `{"name", "enabled"}` or 404; `PUT /flags/{name}` `{"enabled": bool}`
/// sets it (made if new) and answers the same; 400 unparsable, 422 wrong shape or name, 507 full.
pub async fn flag(request: Request, app: &'static App) -> Result {
    let name = request.param("name").unwrap_or_default();
    if request.method() == Method::Put {
        let wanted: SetFlag = request.json()?;
        if request.body().trim_ascii_start().first() != Some(&b'{') {
            return Err(Error::unprocessable("expected a JSON object"));
        }
        with_flags(app, |flags| flags.set(name, wanted.enabled))?;
        sauce_app::info!("{name} is {}", if wanted.enabled { "on" } else { "off" });
        return Ok(Response::json(&Flag {
            name,
            enabled: wanted.enabled,
        }));
    }
    let enabled = with_flags(app, |flags| flags.get(name))
        .ok_or_else(|| Error::not_found("no flag has this name"))?;
    Ok(Response::json(&Flag { name, enabled }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_setting_enables_the_names_it_lists() {
        let (flags, skipped) =
            Flags::from_setting(" beta,dark-mode ,, new.checkout ,bad name,beta");
        assert_eq!(flags.get("beta"), Some(true));
        assert_eq!(flags.get("dark-mode"), Some(true));
        assert_eq!(flags.get("new.checkout"), Some(true));
        assert_eq!(flags.get("Beta"), None);
        assert_eq!(flags.len(), 3);
        assert_eq!(skipped, ["bad name"]);
        assert!(Flags::from_setting("").0.is_empty());
    }

    #[test]
    fn names_are_checked_and_flags_capped() {
        let mut flags = Flags::default();
        for name in ["", "a b", "é", "a/b", &"x".repeat(NAME_LIMIT + 1)] {
            assert_eq!(flags.set(name, true), Err(FlagError::Name), "{name}");
        }
        assert_eq!(flags.set(&"x".repeat(NAME_LIMIT), true), Ok(()));
        for index in 1..MAX_FLAGS {
            assert_eq!(flags.set(&format!("flag-{index}"), false), Ok(()));
        }
        assert_eq!(flags.set("one-more", true), Err(FlagError::Full));
        // An existing flag can still change.
        assert_eq!(flags.set("flag-1", true), Ok(()));
        assert_eq!(flags.get("flag-1"), Some(true));
    }
}
