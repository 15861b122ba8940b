//! Helpers shared by the browser tests: the test server's URLs, timers, timeouts.
#![allow(dead_code, clippy::panic, clippy::expect_used)]

use std::future::Future;

use browser_ws::{Message, WebSocket};
use futures::future::{select, Either};
use futures::StreamExt;
use wasm_bindgen::JsCast;

/// The test server's base URL, baked in at compile time by `scripts/test`.
pub const SERVER: &str = match option_env!("BROWSER_WS_TEST_SERVER") {
    Some(url) => url,
    None => "ws://127.0.0.1:8080",
};

/// The test server's fault listener (same routes; `/restart` on [`SERVER`] takes it down and
/// brings it back), baked in at compile time by `scripts/test`.
pub const FAULT_SERVER: &str = match option_env!("BROWSER_WS_FAULT_SERVER") {
    Some(url) => url,
    None => "ws://127.0.0.1:8081",
};

/// The fault listener's URL for `path` (which starts with `/`).
pub fn fault_server(path: &str) -> String {
    format!("{FAULT_SERVER}{path}")
}

/// A loopback port with nothing listening, chosen by `scripts/test`.
pub const CLOSED_PORT: &str = match option_env!("BROWSER_WS_CLOSED_PORT") {
    Some(port) => port,
    None => "9",
};

/// Whether the tests run in Firefox (from `navigator.userAgent`), for the few places where
/// Firefox and Chromium legitimately differ; every use says what each browser does.
pub fn is_firefox() -> bool {
    global_path(&["navigator", "userAgent"])
        .as_string()
        .is_some_and(|agent| agent.contains("Firefox/"))
}

/// A global's property path, e.g. `["process", "versions", "node"]`; `undefined` if missing.
pub fn global_path(path: &[&str]) -> wasm_bindgen::JsValue {
    path.iter().fold(js_sys::global().into(), |value, key| {
        js_sys::Reflect::get(&value, &(*key).into()).unwrap_or_default()
    })
}

/// Node's major version when the tests run in Node.js (`tests/portable`), else `None`.
pub fn node_major() -> Option<u32> {
    global_path(&["process", "versions", "node"])
        .as_string()?
        .split('.')
        .next()?
        .parse()
        .ok()
}

/// Whether the tests run in a worker (`tests/portable`).
pub fn in_worker() -> bool {
    global_path(&["WorkerGlobalScope"]).is_function()
}

/// Whether the tests run in Deno (`tests/portable`).
pub fn is_deno() -> bool {
    global_path(&["Deno", "version", "deno"]).is_string()
}

/// How many connections to `/drop` a test may make before one opens. `/drop` drops the TCP
/// connection as soon as it has sent its messages, so the server's FIN arrives together with
/// the handshake response. Chromium always opens such a connection and delivers the messages
/// before the 1006 close. Firefox (153 ESR) in about 4 of 5 such connections reports only a
/// `close` with 1006: no `open`, no `error`, none of the messages (browser-ws sees a failed
/// connection); in the others it behaves like Chromium. So only in Firefox, a test checks and
/// retries that outcome; at 1 opening in 5, 50 failures in a row have odds under 1 in 50,000.
pub fn drop_attempts() -> u32 {
    if is_firefox() {
        50
    } else {
        1
    }
}

/// The test server's URL for `path` (which starts with `/`).
pub fn server(path: &str) -> String {
    format!("{SERVER}{path}")
}

/// An id no other test run uses.
pub fn unique_id(prefix: &str) -> String {
    format!(
        "{prefix}-{}-{}",
        js_sys::Date::now(),
        (js_sys::Math::random() * 1e9) as u64
    )
}

/// Waits `ms` milliseconds on the browser's timer.
pub async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        let window: web_sys::Window = js_sys::global().unchecked_into();
        let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Awaits `future`, failing the test after `ms` milliseconds instead of hanging.
pub async fn within<T>(ms: i32, what: &str, future: impl Future<Output = T>) -> T {
    // The timer is polled first: a future that was never woken (a lost wake-up) must not
    // pass because the timer's wake-up polls it too.
    let future = Box::pin(future);
    match select(Box::pin(sleep(ms)), future).await {
        Either::Left(_) => panic!("timed out after {ms} ms waiting for {what}"),
        Either::Right((value, _)) => value,
    }
}

/// Connects to a test-server path, failing the test if it cannot.
pub async fn connect(path: &str) -> WebSocket {
    within(10_000, path, WebSocket::connect(&server(path)))
        .await
        .expect("connect to the test server")
}

/// The next stream item, which must be a message.
pub async fn next_message(socket: &mut WebSocket) -> Message {
    match within(10_000, "a message", socket.next()).await {
        Some(Ok(message)) => message,
        other => panic!("expected a message, got {other:?}"),
    }
}

/// What the server recorded as the close frame of the `/record?id=ID` connection: `"CODE REASON"`,
/// or `"none"` when the connection ended without one.
pub async fn recorded_close(id: &str) -> String {
    let mut report = connect(&format!("/report?id={id}")).await;
    match next_message(&mut report).await {
        Message::Text(text) => text,
        other => panic!("expected a text report, got {other:?}"),
    }
}

/// The payload of numbered message `index` as the server's `/numbered` route sends it in mixed mode.
pub fn numbered(index: u32) -> Message {
    if index % 2 == 0 {
        Message::Text(index.to_string())
    } else {
        Message::Binary(index.to_le_bytes().to_vec())
    }
}

/// The test server's log of the `/steps?id=ID` connections, the JSON text that
/// `/steps-log?id=ID` sends; `extra` is appended to that query (`&wait_for=N`, `&ended=1`).
pub async fn steps_log(id: &str, extra: &str) -> String {
    let mut log = connect(&format!("/steps-log?id={id}{extra}")).await;
    match next_message(&mut log).await {
        Message::Text(text) => text,
        other => panic!("expected a text log, got {other:?}"),
    }
}

/// One connection of a `/steps-log`, parsed.
#[derive(Debug)]
pub struct Logged {
    /// The query string it connected with.
    pub query: String,
    /// The `Sec-WebSocket-Protocol` header it offered (`""`: none).
    pub protocols: String,
    /// When it reached the server, in ms since the Unix epoch.
    pub at: f64,
    /// How it ended (`None` while it lasts): the client's close frame as `"CODE REASON"`.
    pub end: Option<String>,
}

/// [`steps_log`], parsed.
pub async fn steps_entries(id: &str, extra: &str) -> Vec<Logged> {
    let text = steps_log(id, extra).await;
    let parsed = js_sys::JSON::parse(&text).expect("the log is JSON");
    let get = |entry: &wasm_bindgen::JsValue, key: &str| {
        js_sys::Reflect::get(entry, &key.into()).expect("a log field")
    };
    js_sys::Array::from(&parsed)
        .iter()
        .map(|entry| Logged {
            query: get(&entry, "query").as_string().unwrap_or_default(),
            protocols: get(&entry, "protocols").as_string().unwrap_or_default(),
            at: get(&entry, "at").as_f64().unwrap_or_default(),
            end: get(&entry, "end").as_string(),
        })
        .collect()
}

/// The `end` of each connection in a `/steps-log` text, in order: `None` while the
/// connection lasts, then the client's close frame as `"CODE REASON"` (or `"none"`).
pub fn steps_ends(log: &str) -> Vec<Option<String>> {
    log.split("\"end\":")
        .skip(1)
        .map(|rest| {
            let value = rest.strip_prefix('"')?;
            value.split('"').next().map(str::to_owned)
        })
        .collect()
}
