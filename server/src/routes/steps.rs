//! `/steps?id=X&do=STEP,STEP,...` scripts what successive connections with the same id meet,
//! for the reconnect tests: connection `k` (counted from 0 per id, across both listeners) runs
//! step `k`, and the last step repeats for every later connection. A step is one of:
//!
//! | step | what the connection meets |
//! |---|---|
//! | `close:CODE` | accepted, then closed at once with CODE and the reason `step K` |
//! | `hold:MS:CODE` | accepted, echoes, and after MS ms closes with CODE and the reason `step K` |
//! | `echo` | accepted, echoes until the client closes |
//! | `silent` | accepted, reads and discards everything, never sends (heartbeats time out) |
//! | `hang` | the handshake is never answered |
//! | `drop` | accepted, then the TCP connection is dropped without a close frame (1006) |
//!
//! An unknown step, or none, is answered like `close:1011`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use futures_util::StreamExt;
use serde::Deserialize;

use super::{close_and_drain, upgrade};

/// How many connections each id has had.
#[derive(Clone, Default)]
struct Counters(Arc<Mutex<HashMap<String, usize>>>);

impl Counters {
    /// The number of this connection for `id` (0 for the first), counting it.
    fn next(&self, id: &str) -> usize {
        let Ok(mut counts) = self.0.lock() else {
            return 0;
        };
        let count = counts.entry(id.to_owned()).or_default();
        let this = *count;
        *count += 1;
        this
    }
}

/// One scripted step, parsed.
#[derive(Debug, PartialEq, Eq)]
enum Step {
    Close(u16),
    Hold { ms: u64, code: u16 },
    Echo,
    Silent,
    Hang,
    Drop,
}

impl Step {
    fn parse(text: &str) -> Step {
        let mut parts = text.split(':');
        let name = parts.next().unwrap_or_default();
        let numbers: Vec<u64> = parts.filter_map(|part| part.parse().ok()).collect();
        let code = |n: Option<&u64>| n.and_then(|&n| u16::try_from(n).ok()).unwrap_or(1011);
        match name {
            "close" => Step::Close(code(numbers.first())),
            "hold" => Step::Hold {
                ms: numbers.first().copied().unwrap_or(0).min(60_000),
                code: code(numbers.get(1)),
            },
            "echo" => Step::Echo,
            "silent" => Step::Silent,
            "hang" => Step::Hang,
            "drop" => Step::Drop,
            _ => Step::Close(1011),
        }
    }
}

#[derive(Deserialize)]
struct StepsQuery {
    id: String,
    #[serde(rename = "do")]
    steps: Option<String>,
}

pub fn routes() -> Router {
    Router::new()
        .route("/steps", get(steps))
        .with_state(Counters::default())
}

async fn steps(
    ws: WebSocketUpgrade,
    State(counters): State<Counters>,
    Query(query): Query<StepsQuery>,
) -> Response {
    let number = counters.next(&query.id);
    let script = query.steps.unwrap_or_default();
    let list: Vec<&str> = script.split(',').collect();
    let step = Step::parse(list.get(number).or(list.last()).copied().unwrap_or(""));
    let reason = format!("step {number}");
    if step == Step::Hang {
        return std::future::pending().await;
    }
    upgrade(ws).on_upgrade(move |mut socket| async move {
        match step {
            Step::Close(code) => close_and_drain(&mut socket, code, reason).await,
            Step::Hold { ms, code } => {
                let held = tokio::time::timeout(Duration::from_millis(ms), echo(&mut socket));
                if held.await.is_err() {
                    close_and_drain(&mut socket, code, reason).await;
                }
            }
            Step::Echo => echo(&mut socket).await,
            Step::Silent => while let Some(Ok(_)) = socket.next().await {},
            Step::Drop | Step::Hang => drop(socket),
        }
    })
}

/// Echoes until the client closes or the connection ends.
async fn echo(socket: &mut WebSocket) {
    while let Some(Ok(message)) = socket.next().await {
        if matches!(message, Message::Text(_) | Message::Binary(_))
            && socket.send(message).await.is_err()
        {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Step;

    #[test]
    fn steps_parse_with_their_numbers_and_fall_back_to_1011() {
        assert_eq!(Step::parse("close:4001"), Step::Close(4001));
        assert_eq!(
            Step::parse("hold:250:1000"),
            Step::Hold {
                ms: 250,
                code: 1000
            }
        );
        assert_eq!(
            Step::parse("hold:99999999"),
            Step::Hold {
                ms: 60_000,
                code: 1011
            }
        );
        assert_eq!(Step::parse("echo"), Step::Echo);
        assert_eq!(Step::parse("silent"), Step::Silent);
        assert_eq!(Step::parse("hang"), Step::Hang);
        assert_eq!(Step::parse("drop"), Step::Drop);
        assert_eq!(Step::parse("close:99999"), Step::Close(1011));
        assert_eq!(Step::parse("nonsense"), Step::Close(1011));
    }
}
