//! From a sentence to a working SauceOS project: a model (or, without one, rules) writes the
//! intent and the handler code, and SauceOS's own stages check, build, boot and probe it until it
//! passes — the host side of `sauce new --describe`, `sauce ai fix` and `sauce ai explain`.
//!
//! # Map
//! - [`generate`]: the loop ([`generate::generate`], [`generate::fix`], [`generate::explain()`])
//!   and its [`generate::Report`].
//! - [`pipeline`]: the [`pipeline::Pipeline`] trait the integrator implements with the real
//!   `sauce check`, build and QEMU boot.
//! - [`provider`]: OpenAI, Anthropic and OpenAI-compatible servers over HTTP, configured from
//!   the environment and `~/.config/sauce/config.toml`.
//! - [`prompt`]: the system, user, repair and explain prompts.
//! - [`reply`]: reading a model's reply into files and probes, tolerantly.
//! - [`project`]: project files in memory, allowlisted names, symlink-safe atomic install.
//! - [`security`]: checks on generated code, fed back like compiler errors.
//! - [`rules`]: understanding a description without a model; defaults for a model's intent.
//! - [`probe`]: requests a booted image must answer, and the client that sends them.
//! - [`evaluation`]: the harness core for `ai_eval`.
//! - `testing` (feature `testing`): a fake model server, a fake pipeline, scripted scenarios.
//!
//! # Rules
//! 1. Nothing is written to the user's folder until every stage passes (or `keep_failed` is
//!    set); a new project then appears with one `rename`, and each changed file of an existing
//!    one is replaced atomically. Existing files are never overwritten unless allowed.
//! 2. Generated files are written only under allowlisted names (`sauce.toml`, `Cargo.toml`,
//!    `README.md`, `DESCRIPTION.md`, `src/**.rs`, `tests/**.rs`, `public/**`), never through a
//!    symbolic link, never outside the project.
//! 3. Generated code is checked for `unsafe`, FFI, build-time code, dependencies off the
//!    allowlist, includes outside the project and undeclared addresses *before* anything is
//!    compiled; a finding is fed back like a compiler error.
//! 4. API keys are never logged, printed, written to disk or put in an error: `Debug` redacts
//!    them, server text is redacted before it is quoted, and 401/403 bodies are never quoted.
//! 5. Nothing from a model, a server or a description can make this crate panic: parsers index
//!    through `get`, sizes are capped, and every parser is property-tested.
//! 6. The system prompt's intent reference is generated from `sauce-intent`'s key table, the
//!    table its checker and JSON Schema read, so it cannot drift from the checker.
//! 7. The rules never invent a value the description did not give (their few documented
//!    conventions aside) and say which words they could not use.
//! 8. No test reaches the internet: providers are tested against a fake server on 127.0.0.1.

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
