//! Minimal app for the size comparison (gloo-net): connect, send, receive one message, close.
#![cfg(target_arch = "wasm32")]
#![allow(missing_docs)]

use futures::{SinkExt, StreamExt};
use gloo_net::websocket::futures::WebSocket;
use gloo_net::websocket::Message;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
pub async fn run(url: String) -> Result<String, JsValue> {
    let mut ws = WebSocket::open(&url).map_err(|e| JsValue::from_str(&e.to_string()))?;
    ws.send(Message::Text("ping".into()))
        .await
        .map_err(|e| JsValue::from_str(&e.to_string()))?;
    let reply = match ws.next().await {
        Some(Ok(Message::Text(text))) => text,
        Some(Ok(Message::Bytes(_))) => return Err(JsValue::from_str("unexpected binary")),
        Some(Err(error)) => return Err(JsValue::from_str(&error.to_string())),
        None => return Err(JsValue::from_str("closed early")),
    };
    ws.close(Some(1000), None)
        .map_err(|e| JsValue::from_str(&e.to_string()))?;
    Ok(reply)
}
