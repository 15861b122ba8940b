//! The socket's core tests again, built without a configured runtime, so that one binary runs
//! wherever `globalThis.WebSocket` exists: `scripts/test` runs it in a dedicated and a shared
//! worker (Chromium and Firefox, `WASM_BINDGEN_USE_DEDICATED_WORKER`/`..._SHARED_WORKER`), in
//! Node.js 22 and 26 (`wasm-pack test --node`) and in Deno (`WASM_BINDGEN_USE_DENO`). Plain
//! `wasm-pack test --headless --chrome` skips it (the window runs `tests/socket`).
#![cfg(target_arch = "wasm32")]
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

#[path = "../common/mod.rs"]
mod common;

#[path = "../socket/backlog.rs"]
mod backlog;
#[path = "../socket/backpressure.rs"]
mod backpressure;
#[path = "../socket/client_close.rs"]
mod client_close;
#[path = "../socket/connect_failed.rs"]
mod connect_failed;
#[path = "../socket/connection_lost.rs"]
mod connection_lost;
#[path = "../socket/drop.rs"]
mod drop;
#[path = "../socket/echo.rs"]
mod echo;
#[path = "../socket/faults.rs"]
mod faults;
#[path = "../socket/guards.rs"]
mod guards;
#[path = "../socket/invalid_close.rs"]
mod invalid_close;
#[path = "../socket/js_message.rs"]
mod js_message;
#[path = "../socket/large_message.rs"]
mod large_message;
#[path = "../socket/not_open.rs"]
mod not_open;
#[path = "../socket/ordering.rs"]
mod ordering;
#[path = "../socket/receive_limit.rs"]
mod receive_limit;
#[path = "../socket/server_close.rs"]
mod server_close;
#[path = "../socket/split.rs"]
mod split;
#[path = "../socket/subprotocol.rs"]
mod subprotocol;

mod runtime;
