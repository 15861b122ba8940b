//! `/room?name=R`: a broadcast room for the chat examples. Every text or binary message a
//! member sends goes to every member, the sender included, in one order for all: each message
//! is put on every member's queue at once, under one lock. A connection is a member from the
//! moment its handshake is answered until it closes.
//!
//! Each member has a bounded queue (`queue=N` messages, default 256). A member that falls that
//! far behind is removed and closed with 1008 "too slow" (if even the close frame cannot be
//! written within a few seconds, the connection is dropped); the others never wait for it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde::Deserialize;
use tokio::sync::mpsc::error::TrySendError;
use tokio::sync::{mpsc, oneshot};

use super::{close_and_drain, upgrade};

const DEFAULT_QUEUE: usize = 256;
const MAX_QUEUE: usize = 65_536;
/// How long a member removed as too slow gets to take its close frame and answer it.
const KICK_GRACE: Duration = Duration::from_secs(5);

#[derive(Clone, Default)]
struct Rooms {
    inner: Arc<Mutex<Inner>>,
}

#[derive(Default)]
struct Inner {
    next_id: u64,
    rooms: HashMap<String, Vec<Member>>,
}

struct Member {
    id: u64,
    queue: mpsc::Sender<Message>,
    /// Told when the member is removed for being too slow.
    kick: Option<oneshot::Sender<()>>,
}

/// A connection's membership of a room; leaves the room when dropped.
struct Membership {
    rooms: Rooms,
    name: String,
    id: u64,
}

impl Rooms {
    fn join(
        &self,
        name: &str,
        capacity: usize,
    ) -> Option<(Membership, mpsc::Receiver<Message>, oneshot::Receiver<()>)> {
        let (queue, outgoing) = mpsc::channel(capacity);
        let (kick, kicked) = oneshot::channel();
        let mut inner = self.inner.lock().ok()?;
        inner.next_id += 1;
        let id = inner.next_id;
        inner
            .rooms
            .entry(name.to_owned())
            .or_default()
            .push(Member {
                id,
                queue,
                kick: Some(kick),
            });
        let membership = Membership {
            rooms: self.clone(),
            name: name.to_owned(),
            id,
        };
        Some((membership, outgoing, kicked))
    }
}

impl Membership {
    /// Queues `message` for every member of the room, removing those whose queue is full.
    fn broadcast(&self, message: Message) {
        let Ok(mut inner) = self.rooms.inner.lock() else {
            return;
        };
        let Some(members) = inner.rooms.get_mut(&self.name) else {
            return;
        };
        members.retain_mut(|member| match member.queue.try_send(message.clone()) {
            Ok(()) => true,
            Err(TrySendError::Full(_)) => {
                if let Some(kick) = member.kick.take() {
                    let _ = kick.send(());
                }
                false
            }
            Err(TrySendError::Closed(_)) => false,
        });
        if members.is_empty() {
            inner.rooms.remove(&self.name);
        }
    }
}

impl Drop for Membership {
    fn drop(&mut self) {
        let Ok(mut inner) = self.rooms.inner.lock() else {
            return;
        };
        if let Some(members) = inner.rooms.get_mut(&self.name) {
            members.retain(|member| member.id != self.id);
            if members.is_empty() {
                inner.rooms.remove(&self.name);
            }
        }
    }
}

pub fn routes() -> Router {
    Router::new()
        .route("/room", get(room))
        .with_state(Rooms::default())
}

#[derive(Deserialize)]
struct RoomQuery {
    name: String,
    queue: Option<usize>,
}

async fn room(
    ws: WebSocketUpgrade,
    State(rooms): State<Rooms>,
    Query(query): Query<RoomQuery>,
) -> Response {
    let capacity = query.queue.unwrap_or(DEFAULT_QUEUE).clamp(1, MAX_QUEUE);
    // Joined before the handshake is answered: once the client is open, it is a member.
    let Some((membership, outgoing, kicked)) = rooms.join(&query.name, capacity) else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    upgrade(ws).on_upgrade(move |socket| member(socket, membership, outgoing, kicked))
}

async fn member(
    mut socket: WebSocket,
    membership: Membership,
    mut outgoing: mpsc::Receiver<Message>,
    mut kicked: oneshot::Receiver<()>,
) {
    let too_slow = loop {
        tokio::select! {
            kick = &mut kicked => break kick.is_ok(),
            message = outgoing.recv() => {
                let Some(message) = message else { break false };
                tokio::select! {
                    sent = socket.send(message) => if sent.is_err() { break false },
                    kick = &mut kicked => break kick.is_ok(),
                }
            }
            incoming = socket.recv() => match incoming {
                Some(Ok(message @ (Message::Text(_) | Message::Binary(_)))) => {
                    membership.broadcast(message);
                }
                Some(Ok(Message::Close(_))) => {
                    drop(membership);
                    // Keep reading so tungstenite sends its close reply: a clean close.
                    while let Some(Ok(_)) = socket.recv().await {}
                    return;
                }
                Some(Ok(Message::Ping(_) | Message::Pong(_))) => {}
                Some(Err(_)) | None => break false,
            },
        }
    };
    drop(membership);
    if too_slow {
        let close = close_and_drain(&mut socket, 1008, "too slow".to_owned());
        let _ = tokio::time::timeout(KICK_GRACE, close).await;
    }
}
