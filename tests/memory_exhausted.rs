//! Proves, in a test binary of its own (it leaves wasm memory unable to grow): a received
//! message that wasm memory cannot take is refused with `Error::MessageTooBig { limit: None }`
//! and a 4009 close, in both binary types, instead of aborting the module (which would kill
//! every socket on the page); small messages still work on other sockets meanwhile.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

mod common;

use browser_ws::{BinaryType, CloseCode, Error, Message, WebSocket};
use common::{next_message, server, within};
use futures::StreamExt;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen(inline_js = r#"
export function exhaust(memory) {
  for (let step = 65536; step >= 1; ) {
    try { memory.grow(step); } catch { step >>= 1; }
  }
  return memory.buffer.byteLength;
}
"#)]
extern "C" {
    /// Grows `memory` (a `WebAssembly.Memory`) until it cannot grow any more; its new size.
    fn exhaust(memory: &wasm_bindgen::JsValue) -> f64;
}

#[wasm_bindgen_test]
async fn a_message_wasm_memory_cannot_take_is_refused_not_a_trap() {
    let small = within(10_000, "connect", WebSocket::connect(&server("/echo")))
        .await
        .unwrap();
    let mut sockets = Vec::new();
    for binary_type in [BinaryType::ArrayBuffer, BinaryType::Blob] {
        let socket = within(10_000, "connect", WebSocket::connect(&server("/echo")))
            .await
            .unwrap();
        socket.set_binary_type(binary_type);
        sockets.push(socket);
    }
    let mut small = small;
    // Room for the test's own small allocations, then no growth at all.
    drop(Vec::<u8>::with_capacity(1 << 20));
    let size = exhaust(&wasm_bindgen::memory());
    web_sys::console::log_1(&format!("wasm memory exhausted at {size} bytes").into());
    // A 2 MiB message cannot be copied in any more, whatever the (default) limit says.
    let big = js_sys::Uint8Array::new_with_length(2 << 20);
    for socket in &mut sockets {
        socket.send_uint8_array(&big).unwrap();
        match within(10_000, "the refusal", socket.next()).await {
            Some(Err(Error::MessageTooBig { size, limit: None })) => {
                assert_eq!(size, 2 << 20);
            }
            other => panic!("expected MessageTooBig without a limit, got {other:?}"),
        }
        let ended = within(10_000, "closed", socket.closed()).await;
        assert_eq!(ended.code, CloseCode::RECEIVE_LIMIT);
    }
    small.send("still alive").unwrap();
    assert_eq!(next_message(&mut small).await, Message::from("still alive"));
}
