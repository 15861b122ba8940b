//! The throughput and round-trip workloads over any library shaped as a `Sink` of messages and
//! a `Stream` of replies (gloo-net, ws_stream_wasm): one loop, so both are measured alike.

use std::fmt::Display;

use futures::{Sink, SinkExt, Stream, StreamExt};
use wasm_bindgen::JsValue;

use crate::{js_err, now, Workload};

/// How a library builds its messages and checks its stream items.
pub struct Shape<M, I> {
    pub binary: fn(Vec<u8>) -> M,
    pub text: fn(String) -> M,
    pub check: fn(I) -> Result<(), JsValue>,
}

async fn next<S: Stream + Unpin>(
    socket: &mut S,
    check: fn(S::Item) -> Result<(), JsValue>,
) -> Result<(), JsValue> {
    match socket.next().await {
        Some(item) => check(item),
        None => Err(JsValue::from_str("ended early")),
    }
}

/// Feeds `count` messages, flushes once, then receives the `count` echoes; milliseconds.
pub async fn throughput<S, M>(
    socket: &mut S,
    work: &Workload,
    shape: Shape<M, S::Item>,
) -> Result<f64, JsValue>
where
    S: Sink<M> + Stream + Unpin,
    S::Error: Display,
{
    let (payload, text) = (work.payload(), work.text());
    let start = now();
    for _ in 0..work.count {
        let message = if work.binary {
            (shape.binary)(payload.clone())
        } else {
            (shape.text)(text.clone())
        };
        socket.feed(message).await.map_err(js_err)?;
    }
    socket.flush().await.map_err(js_err)?;
    for _ in 0..work.count {
        next(socket, shape.check).await?;
    }
    Ok(now() - start)
}

/// `count` sequential text round trips; each latency in milliseconds.
pub async fn round_trips<S, M>(
    socket: &mut S,
    work: &Workload,
    shape: Shape<M, S::Item>,
) -> Result<Vec<f64>, JsValue>
where
    S: Sink<M> + Stream + Unpin,
    S::Error: Display,
{
    let text = work.text();
    let mut latencies = Vec::with_capacity(work.count);
    for _ in 0..work.count {
        let start = now();
        socket
            .send((shape.text)(text.clone()))
            .await
            .map_err(js_err)?;
        next(socket, shape.check).await?;
        latencies.push(now() - start);
    }
    Ok(latencies)
}
