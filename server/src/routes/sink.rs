//! `/sink` reads and discards messages, optionally at a limited rate so the client's
//! `bufferedAmount` grows (backpressure tests); `/sunk` reports what a sink received.
//!
//! Counts are per id, summed over every sink connection with that id: BYTES is the payload
//! size of the text and binary messages, MESSAGES their number. The text message `stats` is a
//! request, not data: the sink answers it with the current `"BYTES MESSAGES"` once it has read
//! everything sent before it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::ws::{Message, WebSocketUpgrade};
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use serde::Deserialize;
use tokio::sync::Notify;
use tokio::time::Instant;

use super::{close_and_drain, upgrade};

/// A throttled sink reads the socket in chunks this small, so it takes little more than its
/// rate from the kernel.
const THROTTLED_READ_BUFFER: usize = 4096;

#[derive(Clone, Copy, Default)]
struct Counts {
    bytes: u64,
    messages: u64,
    /// Sink connections with this id still open.
    open: u32,
}

impl Counts {
    fn report(self) -> String {
        format!("{} {}", self.bytes, self.messages)
    }
}

#[derive(Clone, Default)]
struct Sinks {
    counts: Arc<Mutex<HashMap<String, Counts>>>,
    closed: Arc<Notify>,
}

impl Sinks {
    fn update(&self, id: &str, change: impl FnOnce(&mut Counts)) {
        if let Ok(mut counts) = self.counts.lock() {
            change(counts.entry(id.to_owned()).or_default());
        }
    }

    fn get(&self, id: &str) -> Option<Counts> {
        self.counts.lock().ok()?.get(id).copied()
    }

    /// Waits up to `limit` until sink `id` has existed and has no open connection; the reply
    /// for `/sunk`.
    async fn wait_closed(&self, id: &str, limit: Duration) -> String {
        let deadline = Instant::now() + limit;
        loop {
            let closed = self.closed.notified();
            match self.get(id) {
                Some(counts) if counts.open == 0 => return counts.report(),
                _ => {}
            }
            if tokio::time::timeout_at(deadline, closed).await.is_err() {
                return match self.get(id) {
                    Some(counts) if counts.open == 0 => counts.report(),
                    Some(counts) => format!("open {}", counts.report()),
                    None => "missing".to_owned(),
                };
            }
        }
    }
}

pub fn routes() -> Router {
    Router::new()
        .route("/sink", get(sink))
        .route("/sunk", get(sunk))
        .with_state(Sinks::default())
}

#[derive(Deserialize)]
struct SinkQuery {
    id: String,
    bytes_per_sec: Option<u64>,
}

async fn sink(
    ws: WebSocketUpgrade,
    State(sinks): State<Sinks>,
    Query(query): Query<SinkQuery>,
) -> Response {
    let rate = query.bytes_per_sec.unwrap_or(0);
    let ws = if rate > 0 {
        upgrade(ws).read_buffer_size(THROTTLED_READ_BUFFER)
    } else {
        upgrade(ws)
    };
    let id = query.id;
    sinks.update(&id, |counts| counts.open += 1);
    // Counted open before the handshake answer, so a `/sunk` right after cannot see it closed;
    // `Open` closes it again however the connection ends (even if the upgrade fails).
    let open = Open {
        sinks: sinks.clone(),
        id: id.clone(),
    };
    ws.on_upgrade(move |mut socket| async move {
        let _open = open;
        let start = Instant::now();
        let mut read: u64 = 0;
        while let Some(Ok(message)) = socket.recv().await {
            let size = match &message {
                Message::Text(text) if text.as_str() == "stats" => {
                    let report = sinks.get(&id).unwrap_or_default().report();
                    if socket.send(Message::Text(report.into())).await.is_err() {
                        break;
                    }
                    continue;
                }
                Message::Text(text) => text.len(),
                Message::Binary(bytes) => bytes.len(),
                _ => continue,
            };
            sinks.update(&id, |counts| {
                counts.bytes += size as u64;
                counts.messages += 1;
            });
            if rate > 0 {
                // Sleep until the bytes read so far are due at `rate`.
                read += size as u64;
                let due = Duration::try_from_secs_f64(read as f64 / rate as f64)
                    .ok()
                    .and_then(|due| start.checked_add(due));
                if let Some(due) = due {
                    tokio::time::sleep_until(due).await;
                }
            }
        }
    })
}

/// One open sink connection; closing it wakes `/sunk`.
struct Open {
    sinks: Sinks,
    id: String,
}

impl Drop for Open {
    fn drop(&mut self) {
        self.sinks.update(&self.id, |counts| {
            counts.open = counts.open.saturating_sub(1)
        });
        self.sinks.closed.notify_waiters();
    }
}

#[derive(Deserialize)]
struct SunkQuery {
    id: String,
}

async fn sunk(
    ws: WebSocketUpgrade,
    State(sinks): State<Sinks>,
    Query(query): Query<SunkQuery>,
) -> Response {
    upgrade(ws).on_upgrade(move |mut socket| async move {
        let report = sinks.wait_closed(&query.id, Duration::from_secs(10)).await;
        if socket.send(Message::Text(report.into())).await.is_ok() {
            close_and_drain(&mut socket, 1000, String::new()).await;
        }
    })
}
