//! From a sentence to a working SauceOS project.

#![forbid(unsafe_code)]

pub mod probe;
pub mod project;
pub mod reply;
pub mod rules;
pub mod security;
