//! Minimal app for the size comparison (browser-ws), written as a user would: the same steps as
//! `size_browser_ws.rs` (connect, send, receive one message, close), with a `Message` handed to
//! the immediate `send` and every error shown with `to_string()`, as `size_gloo_net.rs` does.
#![cfg(target_arch = "wasm32")]
#![allow(missing_docs)]

use browser_ws::{Message, WebSocket};
use futures::StreamExt;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
pub async fn run(url: String) -> Result<String, JsValue> {
    let mut socket = WebSocket::connect(&url)
        .await
        .map_err(|e| JsValue::from_str(&e.to_string()))?;
    socket
        .send(Message::Text("ping".into()))
        .map_err(|e| JsValue::from_str(&e.to_string()))?;
    let reply = match socket.next().await {
        Some(Ok(Message::Text(text))) => text,
        Some(Ok(Message::Binary(_))) => return Err(JsValue::from_str("unexpected binary")),
        Some(Err(error)) => return Err(JsValue::from_str(&error.to_string())),
        None => return Err(JsValue::from_str("closed early")),
    };
    socket
        .close()
        .map_err(|e| JsValue::from_str(&e.to_string()))?;
    Ok(reply)
}
