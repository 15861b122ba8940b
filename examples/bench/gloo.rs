//! gloo-net 0.7's WebSocket (always ArrayBuffer).

use std::pin::Pin;

use futures::{SinkExt, StreamExt};
use gloo_net::websocket::futures::WebSocket;
use gloo_net::websocket::Message;
use wasm_bindgen::JsValue;

use crate::{js_err, now, Workload};

async fn connect(url: &str) -> Result<WebSocket, JsValue> {
    let mut ws = WebSocket::open(url).map_err(js_err)?;
    std::future::poll_fn(|cx| futures::Sink::<Message>::poll_ready(Pin::new(&mut ws), cx))
        .await
        .map_err(js_err)?;
    Ok(ws)
}

async fn next(ws: &mut WebSocket) -> Result<Message, JsValue> {
    match ws.next().await {
        Some(Ok(message)) => Ok(message),
        Some(Err(e)) => Err(js_err(e)),
        None => Err(JsValue::from_str("ended early")),
    }
}

pub async fn throughput(work: &Workload) -> Result<f64, JsValue> {
    let mut ws = connect(&work.url).await?;
    let (payload, text) = (work.payload(), work.text());
    let start = now();
    for _ in 0..work.count {
        let message = if work.binary {
            Message::Bytes(payload.clone())
        } else {
            Message::Text(text.clone())
        };
        ws.feed(message).await.map_err(js_err)?;
    }
    ws.flush().await.map_err(js_err)?;
    for _ in 0..work.count {
        next(&mut ws).await?;
    }
    Ok(now() - start)
}

pub async fn round_trips(work: &Workload) -> Result<Vec<f64>, JsValue> {
    let mut ws = connect(&work.url).await?;
    let text = work.text();
    let ws = &mut ws;
    let mut latencies = Vec::with_capacity(work.count);
    for _ in 0..work.count {
        let start = now();
        ws.send(Message::Text(text.clone())).await.map_err(js_err)?;
        next(ws).await?;
        latencies.push(now() - start);
    }
    Ok(latencies)
}

pub async fn connect_cycles(work: &Workload) -> Result<f64, JsValue> {
    let start = now();
    for _ in 0..work.count {
        let ws = connect(&work.url).await?;
        ws.close(Some(1000), None).map_err(js_err)?;
    }
    Ok(now() - start)
}

pub async fn open_many(work: &Workload) -> Result<Vec<Box<dyn std::any::Any>>, JsValue> {
    let sockets = futures::future::join_all((0..work.count).map(|_| connect(&work.url))).await;
    Ok(sockets
        .into_iter()
        .filter_map(Result::ok)
        .map(|s| Box::new(s) as Box<dyn std::any::Any>)
        .collect())
}
