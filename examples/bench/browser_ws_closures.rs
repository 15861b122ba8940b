//! browser-ws through its handlers: typed `on_message` (each message copied into wasm memory)
//! or, with `zero_copy`, `on_js_message` (the browser's values, no copy).

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use browser_ws::{BinaryType, CloseEvent, HandlerGuard, WebSocket};
use futures::channel::oneshot;
use wasm_bindgen::JsValue;

use crate::{js_err, now, Workload};

type Done = Rc<RefCell<Option<oneshot::Sender<()>>>>;

/// Connects the closure API's way: `open`, then `on_open` (and `on_close`, for a failed
/// handshake) handlers instead of awaiting `connect`; the socket is in `binary_type`.
pub async fn connect(url: &str, binary_type: BinaryType) -> Result<WebSocket, JsValue> {
    let socket = WebSocket::open(url).map_err(js_err)?;
    socket.set_binary_type(binary_type);
    let (sender, outcome) = oneshot::channel::<Result<(), CloseEvent>>();
    let sender = Rc::new(RefCell::new(Some(sender)));
    let settle = move |result| {
        if let Some(sender) = sender.borrow_mut().take() {
            let _ = sender.send(result);
        }
    };
    let _opened = socket.on_open({
        let settle = settle.clone();
        move || settle(Ok(()))
    });
    let _failed = socket.on_close(move |event| settle(Err(event)));
    match outcome.await {
        Ok(Ok(())) => Ok(socket),
        Ok(Err(event)) => Err(JsValue::from_str(&event.to_string())),
        Err(canceled) => Err(js_err(canceled)),
    }
}

/// A socket as a closure user holds it: connected by [`connect`], with the message handler
/// (typed, or with `zero_copy` the browser's values) that such a user registers.
pub async fn connect_with_handler(
    url: &str,
    binary_type: BinaryType,
    zero_copy: bool,
) -> Result<(WebSocket, HandlerGuard), JsValue> {
    let socket = connect(url, binary_type).await?;
    let guard = if zero_copy {
        socket.on_js_message(drop)
    } else {
        socket.on_message(drop)
    };
    Ok((socket, guard))
}

/// `count` cycles of [`connect_with_handler`] then `close`; milliseconds in all.
pub async fn connect_cycles(
    work: &Workload,
    binary_type: BinaryType,
    zero_copy: bool,
) -> Result<f64, JsValue> {
    let start = now();
    for _ in 0..work.count {
        let (socket, _guard) = connect_with_handler(&work.url, binary_type, zero_copy).await?;
        socket.close().map_err(js_err)?;
    }
    Ok(now() - start)
}

/// A handler that counts messages and fires `done` every `target` messages.
fn counter(socket: &WebSocket, target: usize, zero_copy: bool) -> (HandlerGuard, Done) {
    let done: Done = Rc::new(RefCell::new(None));
    let count = Cell::new(0usize);
    let seen = {
        let done = done.clone();
        move || {
            count.set(count.get() + 1);
            if count.get() == target {
                count.set(0);
                if let Some(done) = done.borrow_mut().take() {
                    let _ = done.send(());
                }
            }
        }
    };
    let guard = if zero_copy {
        socket.on_js_message(move |_message| seen())
    } else {
        socket.on_message(move |_message| seen())
    };
    (guard, done)
}

pub async fn throughput(
    work: &Workload,
    binary_type: BinaryType,
    zero_copy: bool,
) -> Result<f64, JsValue> {
    let socket = connect(&work.url, binary_type).await?;
    let (payload, text) = (work.payload(), work.text());
    let (_guard, done) = counter(&socket, work.count, zero_copy);
    let (sender, finished) = oneshot::channel();
    *done.borrow_mut() = Some(sender);
    let start = now();
    crate::browser_ws_stream::send_all(&socket, work, &payload, &text, false)?;
    finished.await.map_err(js_err)?;
    Ok(now() - start)
}

pub async fn round_trips(
    work: &Workload,
    binary_type: BinaryType,
    zero_copy: bool,
) -> Result<Vec<f64>, JsValue> {
    let socket = connect(&work.url, binary_type).await?;
    let text = work.text();
    let (_guard, done) = counter(&socket, 1, zero_copy);
    let mut latencies = Vec::with_capacity(work.count);
    for _ in 0..work.count {
        let (sender, finished) = oneshot::channel();
        *done.borrow_mut() = Some(sender);
        let start = now();
        socket.send_text(&text).map_err(js_err)?;
        finished.await.map_err(js_err)?;
        latencies.push(now() - start);
    }
    Ok(latencies)
}
