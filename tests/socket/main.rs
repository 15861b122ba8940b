//! One browser launch for the socket's tests, by topic: each module's own doc says what it
//! proves (`wasm-pack test --headless --chrome -- --test socket [-- filter]`).
#![cfg(target_arch = "wasm32")]
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

#[path = "../common/mod.rs"]
mod common;

mod backlog;
mod backpressure;
mod client_close;
mod connect_failed;
mod connection_lost;
mod drop;
mod echo;
mod faults;
mod guards;
mod invalid_close;
mod js_message;
mod large_message;
mod not_open;
mod ordering;
mod receive_limit;
mod server_close;
mod split;
mod subprotocol;
mod urls;

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);
