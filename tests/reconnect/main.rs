//! One browser launch for the reconnecting connection's tests: `basics` (the options and the
//! API) and `faults` (stalls, flapping servers, timeouts, the Sink under faults).
#![cfg(target_arch = "wasm32")]
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

#[path = "../common/mod.rs"]
mod common;

mod basics;
mod faults;
mod support;

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);
