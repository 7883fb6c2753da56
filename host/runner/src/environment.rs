//! Reading the environment variables that point `sauce` at other binaries or settings.

use std::ffi::OsString;

/// The value of the environment variable `name`, unless unset or empty.
pub(crate) fn non_empty_variable(name: &str) -> Option<OsString> {
    std::env::var_os(name).filter(|value| !value.is_empty())
}
