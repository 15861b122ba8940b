//! Minimal app for the size comparison (browser-ws): connect, send, receive one message, close.
#![cfg(target_arch = "wasm32")]
#![allow(missing_docs)]

use browser_ws::{Message, WebSocket};
use futures::StreamExt;
use wasm_bindgen::prelude::*;

fn fail(error: browser_ws::Error) -> JsValue {
    JsValue::from_str(&error.to_string())
}

#[wasm_bindgen]
pub async fn run(url: String) -> Result<String, JsValue> {
    let mut socket = WebSocket::connect(&url).await.map_err(fail)?;
    socket.send("ping").map_err(fail)?;
    let reply = match socket.next().await {
        Some(Ok(Message::Text(text))) => text,
        Some(Ok(Message::Binary(_))) => return Err(JsValue::from_str("unexpected binary")),
        Some(Err(error)) => return Err(fail(error)),
        None => return Err(JsValue::from_str("closed early")),
    };
    socket.close().map_err(fail)?;
    Ok(reply)
}
