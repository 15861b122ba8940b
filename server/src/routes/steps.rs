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
//!
//! Every connection is logged, and `/steps-log?id=X` sends X's log as one JSON text message,
//! then closes 1000: `[{"n":0,"at":MS,"query":"id=X&do=..","protocols":"a, b","end":"1000 bye"}]`
//! (`at`: ms since the Unix epoch; `protocols`: the `Sec-WebSocket-Protocol` header offered, or
//! `""`; `end`: `null` while the connection lasts, then `"CODE REASON"` for the client's close
//! frame or `"none"`). With `wait_for=N` it first waits (up to 10 s) for N connections, with
//! `ended=1` for every logged connection to have ended. An `echo` step accepts the first
//! subprotocol offered.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Query, RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use futures_util::StreamExt;
use serde::Deserialize;

use super::{close_and_drain, upgrade};

/// One connection's record.
#[derive(Clone, Debug)]
struct Entry {
    at: u128,
    query: String,
    protocols: String,
    end: Option<String>,
}

/// Every connection of each id, in arrival order.
#[derive(Clone, Default)]
struct Log(Arc<Mutex<HashMap<String, Vec<Entry>>>>);

impl Log {
    /// Logs a connection for `id`; returns its number (0 for the first).
    fn next(&self, id: &str, query: String, protocols: String) -> usize {
        let at = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |since| since.as_millis());
        let Ok(mut log) = self.0.lock() else {
            return 0;
        };
        let entries = log.entry(id.to_owned()).or_default();
        entries.push(Entry {
            at,
            query,
            protocols,
            end: None,
        });
        entries.len() - 1
    }

    /// Records how connection `number` of `id` ended.
    fn ended(&self, id: &str, number: usize, end: String) {
        if let Ok(mut log) = self.0.lock() {
            if let Some(entry) = log.get_mut(id).and_then(|entries| entries.get_mut(number)) {
                entry.end = Some(end);
            }
        }
    }

    fn entries(&self, id: &str) -> Vec<Entry> {
        self.0
            .lock()
            .ok()
            .and_then(|log| log.get(id).cloned())
            .unwrap_or_default()
    }
}

/// `entries` as the JSON array `/steps-log` sends.
fn to_json(entries: &[Entry]) -> String {
    let text = |s: &str| {
        let mut out = String::from('"');
        for c in s.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                c if u32::from(c) < 0x20 => out.push_str(&format!("\\u{:04x}", u32::from(c))),
                c => out.push(c),
            }
        }
        out.push('"');
        out
    };
    let items: Vec<String> = entries
        .iter()
        .enumerate()
        .map(|(n, entry)| {
            format!(
                r#"{{"n":{n},"at":{},"query":{},"protocols":{},"end":{}}}"#,
                entry.at,
                text(&entry.query),
                text(&entry.protocols),
                entry.end.as_deref().map_or("null".to_owned(), text)
            )
        })
        .collect();
    format!("[{}]", items.join(","))
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

#[derive(Deserialize)]
struct LogQuery {
    id: String,
    wait_for: Option<usize>,
    ended: Option<u8>,
}

pub fn routes() -> Router {
    Router::new()
        .route("/steps", get(steps))
        .route("/steps-log", get(steps_log))
        .with_state(Log::default())
}

async fn steps_log(
    ws: WebSocketUpgrade,
    State(log): State<Log>,
    Query(query): Query<LogQuery>,
) -> Response {
    upgrade(ws).on_upgrade(move |mut socket| async move {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        loop {
            let entries = log.entries(&query.id);
            let enough = entries.len() >= query.wait_for.unwrap_or(0);
            let ended = query.ended != Some(1) || entries.iter().all(|entry| entry.end.is_some());
            if (enough && ended) || tokio::time::Instant::now() >= deadline {
                break;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        let json = to_json(&log.entries(&query.id));
        if socket.send(Message::Text(json.into())).await.is_ok() {
            close_and_drain(&mut socket, 1000, String::new()).await;
        }
    })
}

async fn steps(
    ws: WebSocketUpgrade,
    State(log): State<Log>,
    Query(query): Query<StepsQuery>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Response {
    let offered = headers
        .get("sec-websocket-protocol")
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let number = log.next(&query.id, raw.unwrap_or_default(), offered.clone());
    let script = query.steps.unwrap_or_default();
    let list: Vec<&str> = script.split(',').collect();
    let step = Step::parse(list.get(number).or(list.last()).copied().unwrap_or(""));
    let reason = format!("step {number}");
    if step == Step::Hang {
        return std::future::pending().await;
    }
    let mut ws = upgrade(ws);
    if step == Step::Echo {
        if let Some(first) = offered.split(',').map(str::trim).find(|p| !p.is_empty()) {
            ws = ws.protocols([first.to_owned()]);
        }
    }
    let id = query.id;
    ws.on_upgrade(move |mut socket| async move {
        let end = match step {
            Step::Close(code) => {
                close_and_drain(&mut socket, code, reason).await;
                format!("{code} step {number}")
            }
            Step::Hold { ms, code } => {
                let held = tokio::time::timeout(Duration::from_millis(ms), echo(&mut socket));
                match held.await {
                    Ok(end) => end,
                    Err(_) => {
                        close_and_drain(&mut socket, code, reason).await;
                        format!("{code} step {number}")
                    }
                }
            }
            Step::Echo => echo(&mut socket).await,
            Step::Silent => loop {
                match socket.next().await {
                    Some(Ok(Message::Close(frame))) => break close_text(frame),
                    Some(Ok(_)) => {}
                    Some(Err(_)) | None => break "none".to_owned(),
                }
            },
            Step::Drop | Step::Hang => {
                drop(socket);
                "dropped".to_owned()
            }
        };
        log.ended(&id, number, end);
    })
}

/// `"CODE REASON"` for a received close frame, `"1005 "` for one without a code.
fn close_text(frame: Option<axum::extract::ws::CloseFrame>) -> String {
    match frame {
        Some(frame) => format!("{} {}", frame.code, frame.reason.as_str()),
        None => "1005 ".to_owned(),
    }
}

/// Echoes until the client closes (returns its close frame as text) or the connection ends
/// (`"none"`).
async fn echo(socket: &mut WebSocket) -> String {
    while let Some(Ok(message)) = socket.next().await {
        match message {
            Message::Close(frame) => return close_text(frame),
            Message::Text(_) | Message::Binary(_) => {
                if socket.send(message).await.is_err() {
                    return "none".to_owned();
                }
            }
            Message::Ping(_) | Message::Pong(_) => {}
        }
    }
    "none".to_owned()
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
