//! The component catalog and the selector: `components/*/component.toml` → a [`ComponentGraph`].
//!
//! The second stage of the pipeline (ARCHITECTURE.md, "The pipeline"). The host never links component crates: it
//! reads their manifests as data, decides which ones an image needs and why, and hands the
//! ordered result to the code generator.
//!
//! # Map
//! - [`manifest`]: one `component.toml` ([`ComponentManifest`]): contracts provided and required,
//!   conflicts, init [`Stage`], typed configuration, unsafe reason, allocation behaviour, size.
//! - [`catalog`]: every manifest under a source tree's `components/` ([`Catalog`]).
//! - [`request`]: what the selector is asked for ([`Request`]): needed contracts or components,
//!   each with the [`Reason`] that asked, and the [`Platform`] the image runs on.
//! - [`rules`]: how a contract with several providers is resolved (virtio transport by machine,
//!   heap by workload and optimisation goal).
//! - [`select`](mod@select): the selector ([`select()`]): follows `requires`, rejects conflicts and
//!   cycles, orders by stage, explains every choice.
//! - [`intent_needs`]: an intent → its [`Request`] (which contracts its tables and keys need).
//! - [`graph`]: the result ([`ComponentGraph`]), printable for `sauce plan`.
//!
//! # Rules
//! 1. Deterministic: the same catalog and request give the same graph, in the same order.
//! 2. Every selected component carries one reason: an intent line, a platform rule, or the
//!    component that required it.
//! 3. Alternatives for one contract are separate components; a contract with several providers
//!    is resolved only by a rule in [`rules`], never by catalog order.

#![forbid(unsafe_code)]

pub mod catalog;
pub mod graph;
pub mod intent_needs;
pub mod manifest;
pub mod request;
pub mod rules;
pub mod select;

pub use catalog::{Catalog, CatalogError};
pub use graph::{ComponentGraph, SelectedComponent};
pub use manifest::{Allocation, ComponentManifest, ConfigEntry, Stage};
pub use request::{Machine, Need, Optimize, Platform, Reason, Request};
pub use select::{select, SelectError};

#[cfg(test)]
pub(crate) mod test_catalog;
