//! browser-ws through its typed `on_message` handler.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use browser_ws::{BinaryType, WebSocket};
use futures::channel::oneshot;
use wasm_bindgen::JsValue;

use crate::{js_err, now, Workload};

/// A handler that counts messages and fires `done` at `target`.
fn counter(
    socket: &WebSocket,
    target: Rc<Cell<usize>>,
) -> (
    browser_ws::HandlerGuard,
    Rc<RefCell<Option<oneshot::Sender<()>>>>,
) {
    let done: Rc<RefCell<Option<oneshot::Sender<()>>>> = Rc::new(RefCell::new(None));
    let count = Rc::new(Cell::new(0usize));
    let guard = socket.on_message({
        let done = done.clone();
        move |_message| {
            count.set(count.get() + 1);
            if count.get() == target.get() {
                count.set(0);
                if let Some(done) = done.borrow_mut().take() {
                    let _ = done.send(());
                }
            }
        }
    });
    (guard, done)
}

pub async fn throughput(work: &Workload, binary_type: BinaryType) -> Result<f64, JsValue> {
    let socket = WebSocket::connect(&work.url).await.map_err(js_err)?;
    socket.set_binary_type(binary_type);
    let (payload, text) = (work.payload(), work.text());
    let (_guard, done) = counter(&socket, Rc::new(Cell::new(work.count)));
    let (sender, finished) = oneshot::channel();
    *done.borrow_mut() = Some(sender);
    let start = now();
    for _ in 0..work.count {
        if work.binary {
            socket.send_bytes(&payload).map_err(js_err)?;
        } else {
            socket.send_text(&text).map_err(js_err)?;
        }
    }
    finished.await.map_err(js_err)?;
    Ok(now() - start)
}

pub async fn round_trips(work: &Workload) -> Result<Vec<f64>, JsValue> {
    let socket = WebSocket::connect(&work.url).await.map_err(js_err)?;
    let text = work.text();
    let (_guard, done) = counter(&socket, Rc::new(Cell::new(1)));
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
