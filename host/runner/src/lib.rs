#![forbid(unsafe_code)]
pub mod trivial_image;
