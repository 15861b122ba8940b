//! ws_stream_wasm 0.7.

use wasm_bindgen::JsValue;
use ws_stream_wasm::{WsMessage, WsMeta, WsStream};

use crate::sink_stream::{self, Shape};

use crate::{js_err, now, Workload};

pub async fn connect(url: &str) -> Result<(WsMeta, WsStream), JsValue> {
    WsMeta::connect(url, None).await.map_err(js_err)
}

fn shape() -> Shape<WsMessage, WsMessage> {
    Shape {
        binary: WsMessage::Binary,
        text: WsMessage::Text,
        check: |_| Ok(()),
    }
}

pub async fn throughput(work: &Workload) -> Result<f64, JsValue> {
    let (_meta, mut stream) = connect(&work.url).await?;
    sink_stream::throughput(&mut stream, work, shape()).await
}

pub async fn round_trips(work: &Workload) -> Result<Vec<f64>, JsValue> {
    let (_meta, mut stream) = connect(&work.url).await?;
    sink_stream::round_trips(&mut stream, work, shape()).await
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
