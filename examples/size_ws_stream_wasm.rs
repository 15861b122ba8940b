//! Minimal app for the size comparison (ws_stream_wasm): connect, send, receive one message,
//! close.
#![cfg(target_arch = "wasm32")]
#![allow(missing_docs)]

use futures::{SinkExt, StreamExt};
use wasm_bindgen::prelude::*;
use ws_stream_wasm::{WsMessage, WsMeta};

#[wasm_bindgen]
pub async fn run(url: String) -> Result<String, JsValue> {
    let (meta, mut stream) = WsMeta::connect(&url, None)
        .await
        .map_err(|e| JsValue::from_str(&e.to_string()))?;
    stream
        .send(WsMessage::Text("ping".into()))
        .await
        .map_err(|e| JsValue::from_str(&e.to_string()))?;
    let reply = match stream.next().await {
        Some(WsMessage::Text(text)) => text,
        Some(WsMessage::Binary(_)) => return Err(JsValue::from_str("unexpected binary")),
        None => return Err(JsValue::from_str("closed early")),
    };
    meta.close()
        .await
        .map_err(|e| JsValue::from_str(&e.to_string()))?;
    Ok(reply)
}
