//! gloo-net 0.7's WebSocket (always ArrayBuffer).

use std::pin::Pin;

use gloo_net::websocket::futures::WebSocket;
use gloo_net::websocket::Message;
use wasm_bindgen::JsValue;

use crate::sink_stream::{self, Shape};
use crate::{js_err, now, Workload};

pub async fn connect(url: &str) -> Result<WebSocket, JsValue> {
    let mut ws = WebSocket::open(url).map_err(js_err)?;
    std::future::poll_fn(|cx| futures::Sink::<Message>::poll_ready(Pin::new(&mut ws), cx))
        .await
        .map_err(js_err)?;
    Ok(ws)
}

fn shape() -> Shape<Message, Result<Message, gloo_net::websocket::WebSocketError>> {
    Shape {
        binary: Message::Bytes,
        text: Message::Text,
        check: |item| item.map(drop).map_err(js_err),
    }
}

pub async fn throughput(work: &Workload) -> Result<f64, JsValue> {
    sink_stream::throughput(&mut connect(&work.url).await?, work, shape()).await
}

pub async fn round_trips(work: &Workload) -> Result<Vec<f64>, JsValue> {
    sink_stream::round_trips(&mut connect(&work.url).await?, work, shape()).await
}

pub async fn connect_cycles(work: &Workload) -> Result<f64, JsValue> {
    let start = now();
    for _ in 0..work.count {
        let ws = connect(&work.url).await?;
        ws.close(Some(1000), None).map_err(js_err)?;
    }
    Ok(now() - start)
}
