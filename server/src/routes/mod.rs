//! The WebSocket routes the browser tests connect to.
//!
//! | route | behaviour |
//! |---|---|
//! | `/echo` | echoes text and binary unchanged |
//! | `/close?code=C&reason=R` | closes at once with code C and reason R |
//! | `/record?id=X` | echoes, and records the close frame the client sends (or `none`) |
//! | `/report?id=X` | waits (up to 10 s) for record X, sends it as `"CODE REASON"`, closes 1000 |
//! | `/drop?after=N&kind=K&hold_ms=MS` | sends N numbered messages, waits MS (0), then drops the TCP connection without a close frame |
//! | `/numbered?n=N&kind=K&delay_ms=D` | sends N numbered messages (D ms apart), then closes 1000 "done" |
//! | `/protocol` | accepts the first subprotocol the client offers, then echoes |
//! | `/slow?ms=M` | waits M ms before answering the handshake, then echoes |
//! | `/restart?down_ms=N` | (main listener) aborts every fault-listener connection (1006) and stops listening, sends `down`; after N ms (default 300) listens on the same port again, sends `up`, closes 1000; on failure sends `error: WHY`, closes 1011 ([`fault`](fault)) |
//! | `/hang` | never answers the handshake (until the client goes away or a restart) |
//! | `/collect?id=X` | sends nothing; appends each message to X's records: text as is, binary as `0x` + lowercase hex ([`collect`](collect)) |
//! | `/collected?id=X&wait_for=N` | waits (up to 10 s) for X to have N records, sends them joined by `\n`, closes 1000 |
//! | `/sink?id=X&bytes_per_sec=R` | reads and discards, at most R bytes/s (0 or absent: unlimited); text `stats` is answered with `"BYTES MESSAGES"` so far ([`sink`](sink)) |
//! | `/sunk?id=X` | waits (up to 10 s) for sink X to close, sends `"BYTES MESSAGES"` (`open ...` if still open, `missing` if none), closes 1000 |
//! | `/room?name=R&queue=Q` | broadcast room: each text or binary message goes to every member, sender included, in one order; a member more than Q (default 256) messages behind is closed 1008 "too slow" ([`room`](room)) |
//! | `/steps?id=X&do=STEP,...` | connection K with id X meets step K (the last repeats): `close:CODE`, `hold:MS:CODE`, `echo`, `silent`, `hang` or `drop` ([`steps`](steps)) |
//! | `/steps-log?id=X&wait_for=N&ended=1` | sends X's connection log (query, offered subprotocols, time, the client's close) as JSON, closes 1000 ([`steps`](steps)) |
//!
//! Numbered message `i` is text `"i"` or binary `i` as 4 little-endian bytes; kind `mixed`
//! (the default) alternates, even numbers as text; `text` and `binary` send one kind.
//!
//! With `--fault-port-file` the same routes are served on a second port too, the fault
//! listener, which `/restart` takes down; the state of `/record`, `/collect`, `/sink` and
//! `/room` is shared by both listeners and survives restarts.
//!
//! Every other path is a static file: `www/` at `/`, the built package at `/pkg/`, the JS
//! tests' worker scripts at `/tests/js/workers/` ([`files`](crate::files)).

pub mod collect;
pub mod fault;
pub mod room;
pub mod sink;
pub mod steps;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use futures_util::{FutureExt, SinkExt, StreamExt};
use serde::Deserialize;
use tokio::sync::Notify;

/// Close records by id, and a notification whenever one is added.
#[derive(Clone, Default)]
struct Records {
    closes: Arc<Mutex<HashMap<String, String>>>,
    added: Arc<Notify>,
}

impl Records {
    fn insert(&self, id: String, record: String) {
        if let Ok(mut closes) = self.closes.lock() {
            closes.insert(id, record);
        }
        self.added.notify_waiters();
    }

    fn get(&self, id: &str) -> Option<String> {
        self.closes.lock().ok()?.get(id).cloned()
    }

    async fn wait_for(&self, id: &str, limit: Duration) -> Option<String> {
        let deadline = tokio::time::Instant::now() + limit;
        loop {
            let added = self.added.notified();
            if let Some(record) = self.get(id) {
                return Some(record);
            }
            if tokio::time::timeout_at(deadline, added).await.is_err() {
                return self.get(id);
            }
        }
    }
}

/// Generous limits so the 16 MiB round trip passes in one message.
pub(crate) fn upgrade(ws: WebSocketUpgrade) -> WebSocketUpgrade {
    ws.max_message_size(64 << 20).max_frame_size(64 << 20)
}

pub fn router(folders: crate::files::Folders, fault: Option<fault::Fault>) -> Router {
    Router::new()
        .route(
            "/echo",
            get(|ws: WebSocketUpgrade| async { upgrade(ws).on_upgrade(echo) }),
        )
        .route("/close", get(close))
        .route("/record", get(record))
        .route("/report", get(report))
        .route("/drop", get(drop_connection))
        .route("/numbered", get(numbered))
        .route("/protocol", get(protocol))
        .route("/slow", get(slow))
        .with_state(Records::default())
        .merge(fault::routes(fault))
        .merge(collect::routes())
        .merge(sink::routes())
        .merge(room::routes())
        .merge(steps::routes())
        .fallback(move |uri: axum::http::Uri| crate::files::serve(folders.clone(), uri))
}

/// Echoes until the client closes.
async fn echo(mut socket: WebSocket) {
    echo_until_close(&mut socket).await;
}

/// Echoes until the connection ends; returns the client's close frame as `"CODE REASON"`.
/// Replies are flushed only when no further message is immediately ready, so a pipelining
/// client is not held back by one write per message.
async fn echo_until_close(socket: &mut WebSocket) -> Option<String> {
    let mut next = socket.next().await;
    loop {
        match next {
            Some(Ok(message @ (Message::Text(_) | Message::Binary(_)))) => {
                if socket.feed(message).await.is_err() {
                    return None;
                }
            }
            Some(Ok(Message::Close(frame))) => {
                let record = match frame {
                    Some(frame) => format!("{} {}", frame.code, frame.reason.as_str()),
                    None => "1005 ".to_owned(),
                };
                // Keep polling so tungstenite flushes its close reply: a clean close.
                while let Some(Ok(_)) = socket.next().await {}
                return Some(record);
            }
            Some(Ok(Message::Ping(_) | Message::Pong(_))) => {}
            Some(Err(_)) | None => return None,
        }
        next = match socket.next().now_or_never() {
            Some(ready) => ready,
            None => {
                if socket.flush().await.is_err() {
                    return None;
                }
                socket.next().await
            }
        };
    }
}

/// Starts the closing handshake, then reads until the client's reply ends the connection.
pub(crate) async fn close_and_drain(socket: &mut WebSocket, code: u16, reason: String) {
    let frame = CloseFrame {
        code,
        reason: reason.into(),
    };
    if socket.send(Message::Close(Some(frame))).await.is_ok() {
        while let Some(Ok(_)) = socket.recv().await {}
    }
}

#[derive(Deserialize)]
struct CloseQuery {
    code: Option<u16>,
    reason: Option<String>,
}

async fn close(ws: WebSocketUpgrade, Query(query): Query<CloseQuery>) -> Response {
    upgrade(ws).on_upgrade(move |mut socket| async move {
        let code = query.code.unwrap_or(1000);
        close_and_drain(&mut socket, code, query.reason.unwrap_or_default()).await;
    })
}

#[derive(Deserialize)]
struct IdQuery {
    id: String,
}

async fn record(
    ws: WebSocketUpgrade,
    State(records): State<Records>,
    Query(query): Query<IdQuery>,
) -> Response {
    upgrade(ws).on_upgrade(move |mut socket| async move {
        let record = echo_until_close(&mut socket).await;
        records.insert(query.id, record.unwrap_or_else(|| "none".to_owned()));
    })
}

async fn report(
    ws: WebSocketUpgrade,
    State(records): State<Records>,
    Query(query): Query<IdQuery>,
) -> Response {
    upgrade(ws).on_upgrade(move |mut socket| async move {
        let record = records.wait_for(&query.id, Duration::from_secs(10)).await;
        let text = record.unwrap_or_else(|| "missing".to_owned());
        if socket.send(Message::Text(text.into())).await.is_ok() {
            close_and_drain(&mut socket, 1000, String::new()).await;
        }
    })
}

#[derive(Deserialize)]
struct DropQuery {
    after: Option<u32>,
    kind: Option<String>,
    hold_ms: Option<u64>,
}

async fn drop_connection(ws: WebSocketUpgrade, Query(query): Query<DropQuery>) -> Response {
    upgrade(ws).on_upgrade(move |mut socket| async move {
        let kind = query.kind.unwrap_or_else(|| "text".to_owned());
        for index in 0..query.after.unwrap_or(0) {
            if socket.send(numbered_message(index, &kind)).await.is_err() {
                return;
            }
        }
        if let Some(ms) = query.hold_ms {
            tokio::time::sleep(Duration::from_millis(ms)).await;
        }
        // Dropping the socket ends the TCP connection without a close frame: 1006 for the client.
        drop(socket);
    })
}

#[derive(Deserialize)]
struct NumberedQuery {
    n: u32,
    kind: Option<String>,
    delay_ms: Option<u64>,
}

/// Message `i` of a numbered sequence (see the module docs).
fn numbered_message(index: u32, kind: &str) -> Message {
    let text = match kind {
        "text" => true,
        "binary" => false,
        _ => index.is_multiple_of(2),
    };
    if text {
        Message::Text(index.to_string().into())
    } else {
        Message::Binary(index.to_le_bytes().to_vec().into())
    }
}

async fn numbered(ws: WebSocketUpgrade, Query(query): Query<NumberedQuery>) -> Response {
    upgrade(ws).on_upgrade(move |mut socket| async move {
        let kind = query.kind.unwrap_or_else(|| "mixed".to_owned());
        let delay = Duration::from_millis(query.delay_ms.unwrap_or(0).min(10_000));
        for index in 0..query.n {
            if !delay.is_zero() {
                tokio::time::sleep(delay).await;
            }
            if socket.send(numbered_message(index, &kind)).await.is_err() {
                return;
            }
        }
        close_and_drain(&mut socket, 1000, "done".to_owned()).await;
    })
}

async fn protocol(ws: WebSocketUpgrade, headers: HeaderMap) -> Response {
    let first = headers
        .get("sec-websocket-protocol")
        .and_then(|value| value.to_str().ok())
        .and_then(|list| list.split(',').next())
        .map(|first| first.trim().to_owned());
    let ws = match first {
        Some(first) => upgrade(ws).protocols([first]),
        None => upgrade(ws),
    };
    ws.on_upgrade(echo)
}

#[derive(Deserialize)]
struct SlowQuery {
    ms: u64,
}

async fn slow(ws: WebSocketUpgrade, Query(query): Query<SlowQuery>) -> Response {
    tokio::time::sleep(Duration::from_millis(query.ms.min(60_000))).await;
    upgrade(ws).on_upgrade(echo)
}
