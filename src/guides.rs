//! The README's and the guides' (`docs/guide/`) Rust examples, compiled as doctests so they
//! stay true.

/// The README.
#[doc = include_str!("../README.md")]
pub struct Readme;
