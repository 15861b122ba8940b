//! Minimal app for the size comparison (browser-ws): connect, send, receive one message, close.
//! Errors reach JS as JS `Error`s with browser-ws's texts, through `?`.
#![cfg(target_arch = "wasm32")]
#![allow(missing_docs)]

use browser_ws::{Message, WebSocket};
use futures::StreamExt;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
pub async fn run(url: String) -> Result<String, JsValue> {
    let mut socket = WebSocket::connect(&url).await?;
    socket.send("ping")?;
    let reply = match socket.next().await {
        Some(Ok(Message::Text(text))) => text,
        Some(Ok(Message::Binary(_))) => return Err(JsValue::from_str("unexpected binary")),
        Some(Err(error)) => return Err(error.into()),
        None => return Err(JsValue::from_str("closed early")),
    };
    socket.close()?;
    Ok(reply)
}
