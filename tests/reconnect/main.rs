//! One browser launch for the reconnecting connection's tests: `basics` (the options and the
//! API), `faults` (stalls, flapping servers, timeouts, the Sink under faults) and `policy` (the
//! URL provider and the reconnect policy, checked from the server's side).
#![cfg(target_arch = "wasm32")]
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

#[path = "../common/mod.rs"]
mod common;

mod basics;
mod faults;
mod policy;
mod support;

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);
