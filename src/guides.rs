//! The README's and the guides' (`docs/guide/`) Rust examples, compiled as doctests so they
//! stay true: `cargo test -p browser-ws --doc --all-features` (the README's quick starts and
//! the Yew and Leptos guides need those features).

/// The README.
#[cfg(all(feature = "yew", feature = "leptos"))]
#[doc = include_str!("../README.md")]
pub struct Readme;

/// Closures with guards.
#[doc = include_str!("../docs/guide/closures-and-guards.md")]
pub struct ClosuresAndGuards;

/// Split, and close after split.
#[doc = include_str!("../docs/guide/split.md")]
pub struct Split;

/// Reconnecting, the send queue and heartbeats.
#[doc = include_str!("../docs/guide/reconnect.md")]
pub struct Reconnect;

/// Backpressure.
#[doc = include_str!("../docs/guide/backpressure.md")]
pub struct Backpressure;

/// Binary types and JS data.
#[doc = include_str!("../docs/guide/binary-types.md")]
pub struct BinaryTypes;

/// Zero-copy.
#[doc = include_str!("../docs/guide/zero-copy.md")]
pub struct ZeroCopy;

/// Closing and errors.
#[doc = include_str!("../docs/guide/closing-and-errors.md")]
pub struct ClosingAndErrors;

/// URLs.
#[doc = include_str!("../docs/guide/urls.md")]
pub struct Urls;

/// The receive limit.
#[doc = include_str!("../docs/guide/receive-limit.md")]
pub struct ReceiveLimit;

/// Yew.
#[cfg(feature = "yew")]
#[doc = include_str!("../docs/guide/yew.md")]
pub struct Yew;

/// Leptos.
#[cfg(feature = "leptos")]
#[doc = include_str!("../docs/guide/leptos.md")]
pub struct Leptos;

/// The JavaScript API (JS examples only: run by `tests/js/`).
#[doc = include_str!("../docs/guide/js-api.md")]
pub struct JsApi;

/// Reconnecting (JavaScript) (JS examples only: run by `tests/js/reconnect.test.mjs`).
#[doc = include_str!("../docs/guide/js-reconnect.md")]
pub struct JsReconnect;
