//! Proves: the Sink applies `bufferedAmount` watermarks. A producer as fast as the browser
//! allows pushes 1 GiB through `SinkExt::feed` and the browser's send buffer never exceeds
//! the high mark by more than one message; `flush` returns only at or below the low mark;
//! against a consumer that reads 4 MB/s the same bound holds; every byte arrives; a
//! `ReconnectingWebSocket`'s Sink obeys the same marks.

use crate::common::{connect, next_message, server, unique_id, within};
use browser_ws::{
    ConnectionState, Message, ReconnectOptions, ReconnectingWebSocket, Watermarks, WebSocket,
};
use futures::{SinkExt, StreamExt};
use wasm_bindgen_test::*;

const CHUNK: usize = 32 << 10;

/// What the server's sink `id` received, as (bytes, messages), once it closed.
async fn sunk(id: &str) -> (u64, u64) {
    let mut report = connect(&format!("/sunk?id={id}")).await;
    let Message::Text(text) = next_message(&mut report).await else {
        panic!("expected a text report");
    };
    let mut parts = text.split(' ').map(|n| n.parse::<u64>().expect(&text));
    (parts.next().unwrap(), parts.next().unwrap())
}

/// Feeds `total` bytes in CHUNK-sized messages and returns the largest `bufferedAmount` seen
/// right after a send.
async fn feed(socket: &mut WebSocket, total: usize) -> u32 {
    let mut peak = 0;
    let payload = vec![7u8; CHUNK];
    for _ in 0..total / CHUNK {
        socket.feed(Message::Binary(payload.clone())).await.unwrap();
        peak = peak.max(socket.buffered_amount());
    }
    peak
}

#[wasm_bindgen_test]
async fn a_fast_producer_of_1_gib_stays_within_one_message_of_the_high_mark() {
    const TOTAL: usize = 1 << 30;
    let id = unique_id("gib");
    let mut socket = connect(&format!("/sink?id={id}")).await;
    let marks = Watermarks::new(1 << 20, 256 << 10);
    socket.set_watermarks(marks);
    let peak = within(240_000, "1 GiB", feed(&mut socket, TOTAL)).await;
    web_sys::console::log_1(&format!("1 GiB: peak bufferedAmount {peak} bytes").into());
    assert!(
        peak <= marks.high() + CHUNK as u32,
        "peak {peak} exceeds high mark + one message"
    );
    assert!(
        peak > marks.high() / 2,
        "the producer outran the network, so the mark was reached (peak {peak})"
    );
    within(30_000, "flush", socket.flush()).await.unwrap();
    assert!(socket.buffered_amount() <= marks.low());
    SinkExt::close(&mut socket).await.unwrap();
    assert_eq!(sunk(&id).await, (TOTAL as u64, (TOTAL / CHUNK) as u64));
}

#[wasm_bindgen_test]
async fn a_slow_consumer_holds_the_buffer_at_the_high_mark() {
    const TOTAL: usize = 12 << 20;
    let id = unique_id("slow-sink");
    let mut socket = connect(&format!("/sink?id={id}&bytes_per_sec=4000000")).await;
    let marks = Watermarks::new(512 << 10, 128 << 10);
    socket.set_watermarks(marks);
    let peak = within(60_000, "12 MiB at 4 MB/s", feed(&mut socket, TOTAL)).await;
    assert!(peak <= marks.high() + CHUNK as u32, "peak {peak}");
    // `send` (unlike `feed`) flushes: it returns only at or below the low mark.
    SinkExt::send(&mut socket, Message::Binary(vec![1u8; CHUNK]))
        .await
        .unwrap();
    assert!(socket.buffered_amount() <= marks.low());
    SinkExt::close(&mut socket).await.unwrap();
    assert_eq!(
        sunk(&id).await,
        ((TOTAL + CHUNK) as u64, (TOTAL / CHUNK + 1) as u64)
    );
}

#[wasm_bindgen_test]
async fn the_reconnecting_sink_obeys_the_same_marks() {
    const TOTAL: usize = 8 << 20;
    let id = unique_id("reconnecting-sink");
    let marks = Watermarks::new(256 << 10, 64 << 10);
    let mut live = ReconnectingWebSocket::open(
        &server(&format!("/sink?id={id}&bytes_per_sec=8000000")),
        ReconnectOptions::new().watermarks(marks),
    )
    .unwrap();
    let mut states = live.states();
    within(10_000, "open", async {
        while let Some(state) = states.next().await {
            if state == ConnectionState::Open {
                break;
            }
        }
    })
    .await;
    let payload = vec![3u8; CHUNK];
    let mut peak = 0;
    for _ in 0..TOTAL / CHUNK {
        live.feed(Message::Binary(payload.clone())).await.unwrap();
        let buffered = live
            .socket()
            .and_then(|weak| weak.upgrade())
            .map_or(0, |socket| socket.buffered_amount());
        peak = peak.max(buffered);
    }
    assert!(peak <= marks.high() + CHUNK as u32, "peak {peak}");
    assert!(
        peak > marks.high() / 2,
        "the mark was reached (peak {peak})"
    );
    within(30_000, "flush", live.flush()).await.unwrap();
    SinkExt::close(&mut live).await.unwrap();
    assert_eq!(sunk(&id).await, (TOTAL as u64, (TOTAL / CHUNK) as u64));
}
