//! From a sentence to a working SauceOS project.

#![forbid(unsafe_code)]

pub mod evaluation;
pub mod generate;
pub mod pipeline;
pub mod probe;
pub mod project;
pub mod prompt;
pub mod provider;
pub mod reply;
pub mod rules;
pub mod security;
#[cfg(any(test, feature = "testing"))]
pub mod testing;
