//! The benchmark app (`npm run bench`): the same workloads over raw web-sys, browser-ws (Stream
//! and closure APIs, ArrayBuffer and Blob modes), gloo-net and ws_stream_wasm, exported to the
//! page that `benches/run.mjs` drives in headless Chromium. The plain-JS floor is in
//! `benches/page.js`.
#![cfg(target_arch = "wasm32")]
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod browser_ws_closures;
mod browser_ws_stream;
mod gloo;
mod raw;
mod sink_stream;
mod ws_stream;

use std::alloc::System;
use std::cell::RefCell;

use stats_alloc::{StatsAlloc, INSTRUMENTED_SYSTEM};
use wasm_bindgen::prelude::*;

/// Counts allocations, so the memory workload can report the heap bytes each socket holds
/// (live bytes), beside the linear-memory growth (which also keeps the peak of connecting).
#[global_allocator]
static ALLOCATOR: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

/// One workload's parameters, as the page passes them.
pub struct Workload {
    pub url: String,
    pub count: usize,
    pub size: usize,
    pub binary: bool,
}

impl Workload {
    pub fn payload(&self) -> Vec<u8> {
        (0..self.size).map(|i| (i % 251) as u8).collect()
    }

    pub fn text(&self) -> String {
        "x".repeat(self.size)
    }
}

pub fn now() -> f64 {
    web_sys::window().map_or(0.0, |w| w.performance().map_or(0.0, |p| p.now()))
}

/// How a browser-ws variant is driven: which API.
#[derive(Clone, Copy)]
enum Api {
    /// `connect().await` and the Stream; with `owned`, as a user writes it (issue 25): an owned
    /// `Message` per `send` (a copy of the payload, as gloo-net's and ws_stream_wasm's sends
    /// take), the default binary type; else `send_bytes`/`send_text`, no copy.
    Stream { owned: bool },
    /// `open` with handlers: typed `on_message`, or with `zero_copy` `on_js_message`.
    Closures { zero_copy: bool },
}

/// A library under test.
#[derive(Clone, Copy)]
enum Library {
    Raw,
    BrowserWs(Api, browser_ws::BinaryType),
    Gloo,
    WsStream,
}

impl Library {
    fn parse(name: &str) -> Result<Library, JsValue> {
        use browser_ws::BinaryType::{ArrayBuffer, Blob};
        let closures = Api::Closures { zero_copy: false };
        Ok(match name {
            "raw-web-sys" => Library::Raw,
            "browser-ws-stream-ab" => Library::BrowserWs(Api::Stream { owned: false }, ArrayBuffer),
            "browser-ws-stream-blob" => Library::BrowserWs(Api::Stream { owned: false }, Blob),
            "browser-ws-user" => {
                Library::BrowserWs(Api::Stream { owned: true }, Default::default())
            }
            "browser-ws-closures-ab" => Library::BrowserWs(closures, ArrayBuffer),
            "browser-ws-closures-blob" => Library::BrowserWs(closures, Blob),
            "browser-ws-zero-copy-ab" => {
                Library::BrowserWs(Api::Closures { zero_copy: true }, ArrayBuffer)
            }
            "gloo-net" => Library::Gloo,
            "ws_stream_wasm" => Library::WsStream,
            other => return Err(JsValue::from_str(&format!("unknown library {other}"))),
        })
    }
}

/// Sends `count` messages pipelined and receives their echoes; milliseconds.
#[wasm_bindgen]
pub async fn throughput(
    library: String,
    url: String,
    count: usize,
    size: usize,
    binary: bool,
) -> Result<f64, JsValue> {
    let work = Workload {
        url,
        count,
        size,
        binary,
    };
    match Library::parse(&library)? {
        Library::BrowserWs(Api::Stream { owned }, binary_type) => {
            browser_ws_stream::throughput(&work, binary_type, owned).await
        }
        Library::BrowserWs(Api::Closures { zero_copy }, binary_type) => {
            browser_ws_closures::throughput(&work, binary_type, zero_copy).await
        }
        Library::Gloo => gloo::throughput(&work).await,
        Library::WsStream => ws_stream::throughput(&work).await,
        Library::Raw => raw::throughput(&work).await,
    }
}

/// `count` sequential round trips of `size`-byte text; each latency in milliseconds.
#[wasm_bindgen]
pub async fn round_trips(
    library: String,
    url: String,
    count: usize,
    size: usize,
) -> Result<Vec<f64>, JsValue> {
    let work = Workload {
        url,
        count,
        size,
        binary: false,
    };
    match Library::parse(&library)? {
        Library::BrowserWs(Api::Stream { owned }, binary_type) => {
            browser_ws_stream::round_trips(&work, binary_type, owned).await
        }
        Library::BrowserWs(Api::Closures { zero_copy }, binary_type) => {
            browser_ws_closures::round_trips(&work, binary_type, zero_copy).await
        }
        Library::Gloo => gloo::round_trips(&work).await,
        Library::WsStream => ws_stream::round_trips(&work).await,
        Library::Raw => raw::round_trips(&work).await,
    }
}

/// `count` connect-then-close cycles; milliseconds in all.
#[wasm_bindgen]
pub async fn connect_cycles(library: String, url: String, count: usize) -> Result<f64, JsValue> {
    let work = Workload {
        url,
        count,
        size: 0,
        binary: false,
    };
    match Library::parse(&library)? {
        Library::BrowserWs(Api::Stream { .. }, binary_type) => {
            browser_ws_stream::connect_cycles(&work, binary_type).await
        }
        Library::BrowserWs(Api::Closures { zero_copy }, binary_type) => {
            browser_ws_closures::connect_cycles(&work, binary_type, zero_copy).await
        }
        Library::Gloo => gloo::connect_cycles(&work).await,
        Library::WsStream => ws_stream::connect_cycles(&work).await,
        Library::Raw => raw::connect_cycles(&work).await,
    }
}

thread_local! {
    /// Sockets held open for the memory measurement.
    static HELD: RefCell<Vec<Box<dyn std::any::Any>>> = RefCell::new(Vec::new());
}

/// Opens `count` sockets and keeps them for the page's lifetime; how many opened. A
/// browser-ws variant's sockets are opened and held as that variant's user would: in its
/// binary type, and for the closure variants with their message handler's guard.
#[wasm_bindgen]
pub async fn hold_open(library: String, url: String, count: usize) -> Result<usize, JsValue> {
    let url = url.as_str();
    let held = match Library::parse(&library)? {
        Library::BrowserWs(Api::Stream { .. }, binary_type) => {
            open_many(count, || browser_ws_stream::connect(url, binary_type)).await
        }
        Library::BrowserWs(Api::Closures { zero_copy }, binary_type) => {
            open_many(count, || {
                browser_ws_closures::connect_with_handler(url, binary_type, zero_copy)
            })
            .await
        }
        Library::Gloo => open_many(count, || gloo::connect(url)).await,
        Library::WsStream => open_many(count, || ws_stream::connect(url)).await,
        Library::Raw => open_many(count, || raw::Raw::connect(url)).await,
    };
    let opened = held.len();
    HELD.with(|h| h.borrow_mut().extend(held));
    Ok(opened)
}

/// Opens `count` sockets at once with `connect`; keeps those that opened.
async fn open_many<T: 'static, E, F>(
    count: usize,
    connect: impl Fn() -> F,
) -> Vec<Box<dyn std::any::Any>>
where
    F: std::future::Future<Output = Result<T, E>>,
{
    futures::future::join_all((0..count).map(|_| connect()))
        .await
        .into_iter()
        .filter_map(Result::ok)
        .map(|socket| Box::new(socket) as Box<dyn std::any::Any>)
        .collect()
}

/// Heap bytes allocated and not yet freed, by everything in the app.
#[wasm_bindgen]
pub fn wasm_heap_live_bytes() -> f64 {
    let stats = ALLOCATOR.stats();
    // A reallocation's growth (or shrinkage) is already in `bytes_allocated` (or
    // `bytes_deallocated`); `bytes_reallocated` counts it again, so it is not added.
    stats.bytes_allocated as f64 - stats.bytes_deallocated as f64
}

/// Bytes of wasm linear memory.
#[wasm_bindgen]
pub fn wasm_memory_bytes() -> f64 {
    wasm_bindgen::memory()
        .dyn_into::<js_sys::WebAssembly::Memory>()
        .map_or(0.0, |m| {
            m.buffer()
                .unchecked_into::<js_sys::ArrayBuffer>()
                .byte_length() as f64
        })
}

pub fn js_err(error: impl std::fmt::Display) -> JsValue {
    JsValue::from_str(&error.to_string())
}
