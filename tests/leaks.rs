//! Proves: opening and dropping 10,000 sockets (9,000 after they opened, 1,000 mid-handshake,
//! plus reconnecting connections dropped while connecting, open or waiting to retry) leaves
//! wasm memory and the JS heap where they were after a warm-up: the growth is reported and
//! must stay under 256 KiB each. Chromium is run with `--expose-gc` and precise memory info
//! (see `webdriver.json`); Firefox has neither `gc()` nor `performance.memory`, so there only
//! wasm memory is checked (the test says which).
#![cfg(target_arch = "wasm32")]
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use browser_ws::{live_sockets, Backoff, ReconnectOptions, ReconnectingWebSocket, WebSocket};
use common::{server, sleep, within, CLOSED_PORT};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const BOUND: f64 = 256.0 * 1024.0;

fn wasm_memory_bytes() -> f64 {
    let memory: js_sys::WebAssembly::Memory = wasm_bindgen::memory().unchecked_into();
    memory
        .buffer()
        .unchecked_into::<js_sys::ArrayBuffer>()
        .byte_length() as f64
}

fn global(path: &[&str]) -> Option<JsValue> {
    let mut value: JsValue = js_sys::global().into();
    for key in path {
        value = js_sys::Reflect::get(&value, &JsValue::from_str(key)).ok()?;
        if value.is_undefined() {
            return None;
        }
    }
    Some(value)
}

/// The JS heap after a full garbage collection, where the browser offers both.
async fn js_heap_bytes() -> Option<f64> {
    let gc: js_sys::Function = global(&["gc"])?.dyn_into().ok()?;
    // Let pending events (close, FinalizationRegistry callbacks) run, then collect.
    for _ in 0..3 {
        sleep(50).await;
        gc.call0(&JsValue::UNDEFINED).ok()?;
    }
    global(&["performance", "memory", "usedJSHeapSize"])?.as_f64()
}

/// One wave: `opened` sockets that open and are dropped (one at a time: browsers let only
/// one handshake per host and port run at once, so parallel connects gain nothing), then
/// `aborted` sockets dropped mid-handshake, then three reconnecting connections dropped while
/// connecting, once open, and while waiting to retry against a closed port. The wave ends
/// with one more connect, which waits until the browser has worked through the aborted ones
/// (Chromium refuses new sockets when too many are pending).
async fn churn(opened: usize, aborted: usize) {
    let url = server("/echo");
    for _ in 0..opened {
        drop(WebSocket::connect(&url).await.unwrap());
    }
    for _ in 0..aborted {
        drop(WebSocket::open(&url).unwrap());
    }
    let quick = ReconnectOptions::new().backoff(Backoff::new().initial_delay(Duration::ZERO));
    drop(ReconnectingWebSocket::open(&url, quick.clone()).unwrap());
    let live = ReconnectingWebSocket::open(&url, quick.clone()).unwrap();
    let dead =
        ReconnectingWebSocket::open(&format!("ws://127.0.0.1:{CLOSED_PORT}/"), quick).unwrap();
    sleep(20).await;
    drop((live, dead));
    drop(WebSocket::connect(&url).await.unwrap());
}

#[wasm_bindgen_test]
async fn ten_thousand_sockets_opened_and_dropped_leave_memory_where_it_was() {
    let before = live_sockets();
    // Warm-up: let allocator pools, the JS engine's caches and the browser's socket
    // bookkeeping reach their working size.
    for _ in 0..4 {
        within(60_000, "warm-up", churn(90, 10)).await;
    }
    sleep(500).await;
    let wasm_start = wasm_memory_bytes();
    let heap_start = js_heap_bytes().await;
    // 10,000 sockets: 100 waves of 89 opened and 10 dropped mid-handshake, plus the wave's
    // closing connect (and 300 reconnecting connections).
    for wave in 0..100 {
        within(60_000, &format!("wave {wave}"), churn(89, 10)).await;
    }
    sleep(1_000).await;
    assert_eq!(live_sockets(), before, "every socket was freed");
    let wasm_growth = wasm_memory_bytes() - wasm_start;
    let heap_growth = js_heap_bytes()
        .await
        .zip(heap_start)
        .map(|(end, start)| end - start);
    web_sys::console::log_1(
        &format!(
            "10,000 sockets: wasm memory grew {wasm_growth} B, JS heap {}",
            heap_growth.map_or("not measurable in this browser".to_owned(), |g| format!(
                "grew {g} B"
            ))
        )
        .into(),
    );
    assert!(wasm_growth <= BOUND, "wasm memory grew {wasm_growth} B");
    if let Some(growth) = heap_growth {
        assert!(growth <= BOUND, "JS heap grew {growth} B");
    }
}
