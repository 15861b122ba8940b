//! Minimal app for the size comparison (raw web-sys, the floor): connect, send, receive one
//! message, close. Promises stand in for Rust closures, as small as it gets.
#![cfg(target_arch = "wasm32")]
#![allow(missing_docs)]

use js_sys::Promise;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen]
pub async fn run(url: String) -> Result<String, JsValue> {
    let ws = web_sys::WebSocket::new(&url)?;
    JsFuture::from(Promise::new(&mut |resolve, reject| {
        ws.set_onopen(Some(&resolve));
        ws.set_onerror(Some(&reject));
    }))
    .await?;
    ws.send_with_str("ping")?;
    let event = JsFuture::from(Promise::new(&mut |resolve, _| {
        ws.set_onmessage(Some(&resolve))
    }))
    .await?;
    let reply = web_sys::MessageEvent::from(event)
        .data()
        .as_string()
        .ok_or_else(|| JsValue::from_str("unexpected binary"))?;
    ws.set_onopen(None);
    ws.set_onerror(None);
    ws.set_onmessage(None);
    ws.close()?;
    Ok(reply)
}
