//! browser-ws through its Stream and `send_*` methods.

use browser_ws::{BinaryType, Message, WebSocket};
use futures::StreamExt;
use wasm_bindgen::JsValue;

use crate::{js_err, now, Workload};

async fn next(socket: &mut WebSocket) -> Result<Message, JsValue> {
    match socket.next().await {
        Some(Ok(message)) => Ok(message),
        Some(Err(e)) => Err(js_err(e)),
        None => Err(JsValue::from_str("ended early")),
    }
}

/// Sends the workload's `count` messages through `send_bytes`/`send_text` (no copy on the
/// Rust side), as both browser-ws variants do; with `owned`, each as a new `Message` through
/// `send`, as a user who keeps the payload writes it.
pub fn send_all(
    socket: &WebSocket,
    work: &Workload,
    payload: &[u8],
    text: &str,
    owned: bool,
) -> Result<(), JsValue> {
    for _ in 0..work.count {
        match (work.binary, owned) {
            (true, false) => socket.send_bytes(payload),
            (false, false) => socket.send_text(text),
            (true, true) => socket.send(Message::Binary(payload.to_vec())),
            (false, true) => socket.send(Message::Text(text.to_owned())),
        }
        .map_err(js_err)?;
    }
    Ok(())
}

pub async fn throughput(
    work: &Workload,
    binary_type: BinaryType,
    owned: bool,
) -> Result<f64, JsValue> {
    let mut socket = connect(&work.url, binary_type).await?;
    let (payload, text) = (work.payload(), work.text());
    let start = now();
    send_all(&socket, work, &payload, &text, owned)?;
    for _ in 0..work.count {
        next(&mut socket).await?;
    }
    Ok(now() - start)
}

/// Connects with `connect().await`, then switches to `binary_type`.
pub async fn connect(url: &str, binary_type: BinaryType) -> Result<WebSocket, JsValue> {
    let socket = WebSocket::connect(url).await.map_err(js_err)?;
    socket.set_binary_type(binary_type);
    Ok(socket)
}

pub async fn round_trips(
    work: &Workload,
    binary_type: BinaryType,
    owned: bool,
) -> Result<Vec<f64>, JsValue> {
    let mut socket = connect(&work.url, binary_type).await?;
    let text = work.text();
    let mut latencies = Vec::with_capacity(work.count);
    for _ in 0..work.count {
        let start = now();
        if owned {
            socket.send(Message::Text(text.clone()))
        } else {
            socket.send_text(&text)
        }
        .map_err(js_err)?;
        next(&mut socket).await?;
        latencies.push(now() - start);
    }
    Ok(latencies)
}

pub async fn connect_cycles(work: &Workload, binary_type: BinaryType) -> Result<f64, JsValue> {
    let start = now();
    for _ in 0..work.count {
        let socket = connect(&work.url, binary_type).await?;
        socket.close().map_err(js_err)?;
    }
    Ok(now() - start)
}
