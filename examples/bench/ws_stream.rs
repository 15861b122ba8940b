//! ws_stream_wasm 0.7.

use futures::{SinkExt, StreamExt};
use wasm_bindgen::JsValue;
use ws_stream_wasm::{WsMessage, WsMeta, WsStream};

use crate::{js_err, now, Workload};

async fn connect(url: &str) -> Result<(WsMeta, WsStream), JsValue> {
    WsMeta::connect(url, None).await.map_err(js_err)
}

async fn next(stream: &mut WsStream) -> Result<WsMessage, JsValue> {
    stream
        .next()
        .await
        .ok_or_else(|| JsValue::from_str("ended early"))
}

pub async fn throughput(work: &Workload) -> Result<f64, JsValue> {
    let (_meta, mut stream) = connect(&work.url).await?;
    let (payload, text) = (work.payload(), work.text());
    let start = now();
    for _ in 0..work.count {
        let message = if work.binary {
            WsMessage::Binary(payload.clone())
        } else {
            WsMessage::Text(text.clone())
        };
        stream.feed(message).await.map_err(js_err)?;
    }
    stream.flush().await.map_err(js_err)?;
    for _ in 0..work.count {
        next(&mut stream).await?;
    }
    Ok(now() - start)
}

pub async fn round_trips(work: &Workload) -> Result<Vec<f64>, JsValue> {
    let (_meta, mut stream) = connect(&work.url).await?;
    let text = work.text();
    let mut latencies = Vec::with_capacity(work.count);
    for _ in 0..work.count {
        let start = now();
        stream
            .send(WsMessage::Text(text.clone()))
            .await
            .map_err(js_err)?;
        next(&mut stream).await?;
        latencies.push(now() - start);
    }
    Ok(latencies)
}

pub async fn connect_cycles(work: &Workload) -> Result<f64, JsValue> {
    let start = now();
    for _ in 0..work.count {
        let (meta, stream) = connect(&work.url).await?;
        let _ = meta.wrapped().close();
        drop((meta, stream));
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
