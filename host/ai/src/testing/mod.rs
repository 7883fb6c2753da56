//! Test doubles for this crate's tests and the integrator's end-to-end tests (feature
//! `testing`): a fake model server speaking the OpenAI and Anthropic wire formats, a fake
//! pipeline, and scripted scenarios.
//!
//! - [`server`]: [`FakeServer`]: HTTP/1.1 on 127.0.0.1, scripted replies, recorded requests.
//! - [`vendor`]: what the fake checks in a request and how it answers, per vendor.
//! - [`recorded`]: [`RecordedRequest`], what the fake server saw.
//! - [`pipeline`]: [`FakePipeline`]: the real intent checker, scripted builds, a simulated boot.
//! - [`scenarios`]: the scripted scenarios of the issue, as replies and expectations.

pub mod pipeline;
pub mod recorded;
pub mod scenarios;
pub mod server;
pub mod vendor;

pub use pipeline::{BuildRule, FakePipeline};
pub use server::{FakeOptions, FakeServer, RecordedRequest, Scripted, Vendor};
