//! Proves: dropping the last handle closes the socket with 1000 (the server sees it) and frees
//! it with its listeners; a handle or half keeps it alive; dropping a `connect` future
//! mid-handshake closes the socket and frees everything; a detached `closed()` future neither
//! keeps the socket open nor misses the real final event; handlers that capture their socket
//! are released at close, freeing it; a socket dropped while its close waits behind Blob reads
//! still hands that close to its `closed()` futures, a Blob read that outlives its socket
//! settles into nothing; a handler may drop its own socket and is then the last to run, in
//! Blob mode too; the socket's browser listeners, one per event, are added for exactly its four
//! events and removed for all of them when it goes.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use crate::common::{connect, next_message, recorded_close, server, sleep, unique_id, within};
use browser_ws::{live_sockets, BinaryType, CloseCode, Message, State, WebSocket};
use futures::future::{select, Either};
use futures::StreamExt;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

#[wasm_bindgen(inline_js = r#"
const registered = new WeakMap();
let tracking = false;
export function trackListeners() {
  if (tracking) return;
  tracking = true;
  const proto = EventTarget.prototype;
  const add = proto.addEventListener, remove = proto.removeEventListener;
  proto.addEventListener = function (type, listener, options) {
    const list = registered.get(this) ?? [];
    registered.set(this, list);
    if (!list.some(([t, l]) => t === type && l === listener)) list.push([type, listener]);
    return add.call(this, type, listener, options);
  };
  proto.removeEventListener = function (type, listener, options) {
    const list = registered.get(this) ?? [];
    const at = list.findIndex(([t, l]) => t === type && l === listener);
    if (at >= 0) list.splice(at, 1);
    return remove.call(this, type, listener, options);
  };
}
export function listenedTypes(target) {
  return (registered.get(target) ?? []).map(([type]) => type).sort().join(",");
}
export function dispatchMessageEvent(target, type, data) {
  target.dispatchEvent(new MessageEvent(type, { data }));
}
export function dispatchBlobThenClose(target, code, reason) {
  dispatchBlob(target);
  // Node 22 has no CloseEvent: an Event with its fields stands in, as browser-ws's own does.
  target.dispatchEvent(typeof CloseEvent === "function"
    ? new CloseEvent("close", { code, reason, wasClean: true })
    : Object.assign(new Event("close"), { code, reason, wasClean: true }));
}
let rejections = 0;
let countingRejections = false;
export function countUnhandledRejections() {
  if (countingRejections) return;
  countingRejections = true;
  const count = () => { rejections += 1; };
  // Node has no such event on its global, only the process's.
  if (globalThis.process?.on) process.on("unhandledRejection", count);
  else globalThis.addEventListener("unhandledrejection", count);
}
export function unhandledRejections() { return rejections; }
export function dispatchBlob(target) {
  target.dispatchEvent(new MessageEvent("message", { data: new Blob([new Uint8Array([1, 2, 3])]) }));
}
export function distinctListeners(target) {
  return new Set((registered.get(target) ?? []).map(([, listener]) => listener)).size;
}
"#)]
extern "C" {
    /// From now on, records every add and remove of an event listener in this page.
    #[wasm_bindgen(js_name = trackListeners)]
    fn track_listeners();
    /// The types of a target's recorded listeners that are still registered, sorted, joined
    /// with commas.
    #[wasm_bindgen(js_name = listenedTypes)]
    fn listened_types(target: &web_sys::WebSocket) -> String;
    /// Dispatches a synthetic `MessageEvent` of any `type` on `target`.
    #[wasm_bindgen(js_name = dispatchMessageEvent)]
    fn dispatch_message_event(target: &web_sys::WebSocket, event_type: &str, data: &str);
    /// Dispatches a `message` event carrying a Blob, then a clean `close` event with `code`
    /// and `reason`, on `target`, in one go: the close always finds the Blob's read pending.
    #[wasm_bindgen(js_name = dispatchBlobThenClose)]
    fn dispatch_blob_then_close(target: &web_sys::WebSocket, code: u16, reason: &str);
    /// From now on, counts the page's unhandled promise rejections.
    #[wasm_bindgen(js_name = countUnhandledRejections)]
    fn count_unhandled_rejections();
    /// Unhandled promise rejections since counting started.
    #[wasm_bindgen(js_name = unhandledRejections)]
    fn unhandled_rejections() -> u32;
    /// Dispatches a `message` event carrying a three-byte Blob on `target`.
    #[wasm_bindgen(js_name = dispatchBlob)]
    fn dispatch_blob(target: &web_sys::WebSocket);
    /// How many different listener functions a target still has.
    #[wasm_bindgen(js_name = distinctListeners)]
    fn distinct_listeners(target: &web_sys::WebSocket) -> u32;
}

#[wasm_bindgen_test]
async fn a_listener_per_event_and_all_go_with_the_socket() {
    track_listeners();
    let mut socket = connect("/echo").await;
    let raw = socket.as_raw().clone();
    assert_eq!(listened_types(&raw), "close,error,message,open");
    assert_eq!(distinct_listeners(&raw), 4, "a gloo listener per event");
    // Each tells its event apart by type: a MessageEvent dispatched as `open` is no message,
    // the echo is, and the close ends the stream.
    dispatch_message_event(&raw, "open", "not a message");
    socket.send("ping").unwrap();
    assert_eq!(next_message(&mut socket).await, Message::from("ping"));
    socket.close().unwrap();
    let end = within(5_000, "the end of the stream", socket.next()).await;
    assert!(end.is_none(), "a clean close ends the stream, got {end:?}");
    drop(socket);
    assert_eq!(listened_types(&raw), "", "every listener was removed");

    // A `closed()` future that outlives its socket keeps one listener, for the browser's
    // final event.
    let socket = connect("/echo").await;
    let raw = socket.as_raw().clone();
    let closed = socket.closed();
    drop(socket);
    assert_eq!(listened_types(&raw), "close");
    let event = within(5_000, "the final event", closed).await;
    assert_eq!(event.code.0, 1000);
}

#[wasm_bindgen_test]
async fn dropping_an_open_socket_closes_it_with_1000() {
    let before = live_sockets();
    let id = unique_id("drop");
    let socket = connect(&format!("/record?id={id}")).await;
    assert_eq!(live_sockets(), before + 1);
    drop(socket);
    assert_eq!(
        live_sockets(),
        before,
        "the socket and its listeners are freed"
    );
    assert_eq!(recorded_close(&id).await, "1000 ");
}

#[wasm_bindgen_test]
async fn a_handle_keeps_the_socket_open_until_it_too_is_dropped() {
    let id = unique_id("handle");
    let socket = connect(&format!("/record?id={id}")).await;
    let raw = socket.as_raw().clone();
    let handle = socket.handle();
    drop(socket);
    sleep(100).await;
    assert_eq!(handle.state(), State::Open);
    drop(handle);
    assert_eq!(State::from_ready_state(raw.ready_state()), State::Closing);
    assert_eq!(recorded_close(&id).await, "1000 ");
}

#[wasm_bindgen_test]
async fn dropping_the_halves_closes_the_socket() {
    let before = live_sockets();
    let id = unique_id("halves");
    let (sender, receiver) = connect(&format!("/record?id={id}")).await.split();
    drop(sender);
    sleep(50).await;
    assert_eq!(receiver.state(), State::Open, "one half keeps it open");
    drop(receiver);
    assert_eq!(live_sockets(), before);
    assert_eq!(recorded_close(&id).await, "1000 ");
}

#[wasm_bindgen_test]
async fn dropping_a_connect_future_mid_handshake_closes_and_frees_the_socket() {
    let before = live_sockets();
    let url = server("/slow?ms=2000");
    let connecting = Box::pin(WebSocket::connect(&url));
    match select(connecting, Box::pin(sleep(300))).await {
        Either::Left((result, _)) => panic!("the handshake should still be running: {result:?}"),
        Either::Right(((), connecting)) => {
            assert_eq!(
                live_sockets(),
                before + 1,
                "the socket exists while connecting"
            );
            drop(connecting);
        }
    }
    assert_eq!(
        live_sockets(),
        before,
        "dropping the future freed the socket and its listeners"
    );
    // The server's delayed handshake completing later must not resurrect anything.
    sleep(2200).await;
    assert_eq!(live_sockets(), before);
}

#[wasm_bindgen_test]
async fn dropping_a_connecting_socket_closes_its_raw_socket() {
    let socket = WebSocket::open(&server("/slow?ms=1000")).unwrap();
    let raw = socket.as_raw().clone();
    assert_eq!(socket.state(), State::Connecting);
    drop(socket);
    let state = State::from_ready_state(raw.ready_state());
    assert!(matches!(state, State::Closing | State::Closed), "{state:?}");
    // Nothing fires into Rust any more; the raw socket ends on its own (not in Node 22 and 26,
    // whose aborted socket stays CLOSING for ever).
    if crate::common::node_major().is_some() {
        return;
    }
    within(5_000, "raw close", async {
        while raw.ready_state() != 3 {
            sleep(20).await;
        }
    })
    .await;
}

#[wasm_bindgen_test]
async fn a_detached_closed_future_neither_keeps_the_socket_open_nor_misses_the_end() {
    let before = live_sockets();
    let id = unique_id("detached-closed");
    let socket = connect(&format!("/record?id={id}")).await;
    let closed = socket.closed();
    drop(socket);
    assert_eq!(
        live_sockets(),
        before,
        "the closed() future does not keep the socket"
    );
    let event = within(10_000, "the final event", closed).await;
    assert_eq!(
        (event.code, event.was_clean),
        (browser_ws::CloseCode::NORMAL, true)
    );
    assert_eq!(recorded_close(&id).await, "1000 ");
}

/// In Blob mode the close event waits behind the Blob reads still running, so that it comes
/// after every message. A socket dropped in that window (here by the raw `onclose` property,
/// which the browser calls right after browser-ws's own listener) must still hand that event
/// to its `closed()` futures: the browser fires no second close for it. The events are
/// synthetic (a Blob message, then a close with a code of its own), so the close always
/// finds the read pending; the drop then closes the real socket with 1000, and a future that
/// missed the held event would get that instead.
#[wasm_bindgen_test]
async fn a_close_held_behind_blob_reads_still_reaches_closed_after_the_drop() {
    let before = live_sockets();
    let socket = connect("/echo").await;
    socket.set_binary_type(BinaryType::Blob);
    let raw = socket.as_raw().clone();
    let closed = socket.closed();
    let held = Rc::new(RefCell::new(Some(socket)));
    let delivered_at_drop = Rc::new(Cell::new(None));
    let onclose = Closure::<dyn FnMut()>::new({
        let held = held.clone();
        let delivered_at_drop = delivered_at_drop.clone();
        move || {
            let socket = held.borrow_mut().take();
            if let Some(socket) = &socket {
                delivered_at_drop.set(Some(socket.close_event().is_some()));
            }
            drop(socket);
        }
    });
    raw.set_onclose(Some(onclose.as_ref().unchecked_ref()));
    dispatch_blob_then_close(&raw, 4321, "held");
    raw.set_onclose(None);
    assert_eq!(
        delivered_at_drop.get(),
        Some(false),
        "the close still waited behind the Blob read when the socket was dropped"
    );
    assert_eq!(
        live_sockets(),
        before,
        "the socket went with its last handle"
    );
    let event = within(10_000, "the held-back close", closed).await;
    assert_eq!(
        (event.code, event.reason.as_str(), event.was_clean),
        (CloseCode(4321), "held", true)
    );
}

/// The read's promise outlives the socket. Its reader is gone with the socket, callback
/// included, and the read settles into nothing: it calls no dropped closure (which would throw
/// in the promise, an unhandled rejection) and keeps nothing alive.
#[wasm_bindgen_test]
async fn a_blob_read_that_settles_after_its_socket_is_dropped_calls_nothing() {
    count_unhandled_rejections();
    let before = (live_sockets(), unhandled_rejections());
    for _ in 0..3 {
        let socket = connect("/echo").await;
        socket.set_binary_type(BinaryType::Blob);
        dispatch_blob(socket.as_raw());
        drop(socket);
    }
    assert_eq!(
        live_sockets(),
        before.0,
        "the sockets went before their reads settled"
    );
    // Long enough for the reads to settle, and for any rejection to be reported.
    sleep(200).await;
    assert_eq!((live_sockets(), unhandled_rejections()), before);
}

/// The handler that drops the last handle runs inside the reader's callback (the read settled
/// into it): the socket, its reader and the callback go once that callback returns, with no
/// error from a closure dropped while it runs, and nothing more is delivered, not even the rest
/// of the batch the handler's message came in.
#[wasm_bindgen_test]
async fn a_blob_mode_handler_may_drop_its_own_socket() {
    count_unhandled_rejections();
    let before = (live_sockets(), unhandled_rejections());
    let socket = connect("/echo").await;
    socket.set_binary_type(BinaryType::Blob);
    let raw = socket.as_raw().clone();
    let owner = Rc::new(RefCell::new(None::<WebSocket>));
    let seen = Rc::new(Cell::new(0));
    let guard = {
        let (owner, seen) = (owner.clone(), seen.clone());
        socket.on_message(move |_| {
            seen.set(seen.get() + 1);
            if seen.get() == 2 {
                drop(owner.borrow_mut().take());
            }
        })
    };
    *owner.borrow_mut() = Some(socket);
    // Three Blobs: the first is read alone, the other two arrive during its read and are read
    // together, as one batch. The second message's handler drops the socket.
    dispatch_blob(&raw);
    dispatch_blob(&raw);
    dispatch_blob(&raw);
    within(5_000, "the drop", async {
        while owner.borrow().is_some() {
            sleep(10).await;
        }
    })
    .await;
    assert_eq!(
        live_sockets(),
        before.0,
        "the socket went with the callback"
    );
    sleep(100).await;
    assert_eq!(
        seen.get(),
        2,
        "nothing is delivered after the drop, not even the third message, in the same batch as the second"
    );
    drop(guard);
    assert_eq!((live_sockets(), unhandled_rejections()), before);
}

/// A handler that drops the socket's last handle is the last one to run: the socket's other
/// handlers of the same event are not called, as its guards going with the socket say.
#[wasm_bindgen_test]
async fn a_handler_that_drops_its_socket_is_the_last_to_run() {
    let before = live_sockets();
    let socket = connect("/echo").await;
    let raw = socket.as_raw().clone();
    let owner = Rc::new(RefCell::new(None::<WebSocket>));
    let (first, second) = (Rc::new(Cell::new(0)), Rc::new(Cell::new(0)));
    let guards = {
        let (owner, first, second) = (owner.clone(), first.clone(), second.clone());
        [
            socket.on_message(move |_| {
                first.set(first.get() + 1);
                drop(owner.borrow_mut().take());
            }),
            socket.on_message(move |_| second.set(second.get() + 1)),
        ]
    };
    *owner.borrow_mut() = Some(socket);
    dispatch_message_event(&raw, "message", "one");
    assert!(
        owner.borrow().is_none(),
        "the first handler dropped the socket"
    );
    assert_eq!(live_sockets(), before, "the socket went with the callback");
    assert_eq!(
        (first.get(), second.get()),
        (1, 0),
        "the second handler did not run"
    );
    dispatch_message_event(&raw, "message", "two");
    assert_eq!((first.get(), second.get()), (1, 0), "nothing runs after");
    drop(guards);
}

#[wasm_bindgen_test]
async fn handlers_capturing_their_socket_are_released_at_close() {
    let before = live_sockets();
    // One message after 200 ms, then the server closes.
    let socket = connect("/numbered?n=1&delay_ms=200").await;
    let handle = socket.handle();
    let guard = socket.on_message(move |_| {
        let _ = handle.state();
    });
    let closed = socket.closed();
    drop(socket);
    assert_eq!(
        live_sockets(),
        before + 1,
        "the handler's captured handle keeps the socket"
    );
    within(10_000, "close", closed).await;
    assert_eq!(
        live_sockets(),
        before,
        "delivering the close released the handler and the socket"
    );
    drop(guard);
}

#[wasm_bindgen_test]
async fn a_weak_handle_in_a_handler_does_not_keep_the_socket() {
    let before = live_sockets();
    let socket = connect("/echo").await;
    let weak = socket.downgrade();
    let _guard = socket.on_message(move |message| {
        if let Some(socket) = weak.upgrade() {
            let _ = socket.send(message);
        }
    });
    drop(socket);
    assert_eq!(live_sockets(), before);
}
