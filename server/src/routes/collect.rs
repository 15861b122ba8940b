//! `/collect` records what clients send, `/collected` reports it: for the send-queue and
//! reconnect tests, which check that every message arrived once and in order, across any
//! number of connections (and fault-listener restarts) with the same id.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::ws::{Message, WebSocketUpgrade};
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use serde::Deserialize;
use tokio::sync::Notify;

use super::{close_and_drain, upgrade};

/// The records of each id, in arrival order, and a notification whenever one is added.
#[derive(Clone, Default)]
struct Store {
    records: Arc<Mutex<HashMap<String, Vec<String>>>>,
    added: Arc<Notify>,
}

impl Store {
    fn push(&self, id: &str, record: String) {
        if let Ok(mut records) = self.records.lock() {
            records.entry(id.to_owned()).or_default().push(record);
        }
        self.added.notify_waiters();
    }

    fn count(&self, id: &str) -> usize {
        self.records
            .lock()
            .ok()
            .and_then(|records| records.get(id).map(Vec::len))
            .unwrap_or(0)
    }

    fn joined(&self, id: &str) -> String {
        self.records
            .lock()
            .ok()
            .and_then(|records| records.get(id).map(|list| list.join("\n")))
            .unwrap_or_default()
    }

    /// Waits until `id` has at least `count` records, or `limit` has passed.
    async fn wait_for(&self, id: &str, count: usize, limit: Duration) {
        let deadline = tokio::time::Instant::now() + limit;
        loop {
            let added = self.added.notified();
            if self.count(id) >= count {
                return;
            }
            if tokio::time::timeout_at(deadline, added).await.is_err() {
                return;
            }
        }
    }
}

/// Text as itself, binary as `0x` and lowercase hex.
fn record(message: &Message) -> Option<String> {
    match message {
        Message::Text(text) => Some(text.as_str().to_owned()),
        Message::Binary(bytes) => {
            let mut hex = String::with_capacity(2 + 2 * bytes.len());
            hex.push_str("0x");
            for byte in bytes.iter() {
                let _ = write!(hex, "{byte:02x}");
            }
            Some(hex)
        }
        _ => None,
    }
}

pub fn routes() -> Router {
    Router::new()
        .route("/collect", get(collect))
        .route("/collected", get(collected))
        .with_state(Store::default())
}

#[derive(Deserialize)]
struct CollectQuery {
    id: String,
}

async fn collect(
    ws: WebSocketUpgrade,
    State(store): State<Store>,
    Query(query): Query<CollectQuery>,
) -> Response {
    upgrade(ws).on_upgrade(move |mut socket| async move {
        // Ends when the client closes (tungstenite answers the close frame as we keep reading)
        // or the connection drops.
        while let Some(Ok(message)) = socket.recv().await {
            if let Some(record) = record(&message) {
                store.push(&query.id, record);
            }
        }
    })
}

#[derive(Deserialize)]
struct CollectedQuery {
    id: String,
    wait_for: Option<usize>,
}

async fn collected(
    ws: WebSocketUpgrade,
    State(store): State<Store>,
    Query(query): Query<CollectedQuery>,
) -> Response {
    upgrade(ws).on_upgrade(move |mut socket| async move {
        if let Some(count) = query.wait_for {
            store
                .wait_for(&query.id, count, Duration::from_secs(10))
                .await;
        }
        let text = store.joined(&query.id);
        if socket.send(Message::Text(text.into())).await.is_ok() {
            close_and_drain(&mut socket, 1000, String::new()).await;
        }
    })
}
