//! Proves the hot path's claims, in ArrayBuffer mode and in Blob mode: once a socket is warm,
//! receiving a message allocates exactly its payload in wasm memory and nothing else, one
//! `Vec` (binary) or `String` (text) of the payload's size, through the Stream and through
//! `on_message` alike; `on_js_message` (the zero-copy option) allocates nothing at all per
//! message; and no event listener is added while messages flow. A second copy in wasm
//! memory, a closure or future boxed per message (or per Blob read: one test reads every
//! message on its own), or a queue node would each show as one more allocation. And sending
//! is raw web-sys's own call: one `WebSocket.send` of a view of wasm memory per binary
//! message, at every size and through every send method, as `send_with_u8_array` makes it.

//!
//! Every allocation of this test binary is counted (`stats_alloc` as its global allocator). A
//! round sends `n` messages pipelined to `/echo` and receives the `n` echoes; what a round
//! costs whatever its length (the timeout's timer, the round's one-shot channel) cancels out
//! of the difference between a round of `2 * N` messages and one of `N`, so that difference
//! is what `N` messages cost. A first, longer round lets every queue grow to its size
//! beforehand.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::alloc::System;
use std::cell::{Cell, RefCell};
use std::rc::Rc;

use browser_ws::BinaryType::{self, ArrayBuffer, Blob};
use browser_ws::{HandlerGuard, JsMessage, Message, WebSocket};
use common::{connect, within};
use futures::channel::oneshot;
use futures::{SinkExt, StreamExt};
use stats_alloc::{Stats, StatsAlloc, INSTRUMENTED_SYSTEM};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[global_allocator]
static ALLOCATOR: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

#[wasm_bindgen(inline_js = r#"
let adds = 0;
let counting = false;
export function countListenerAdds() {
  if (counting) return;
  counting = true;
  const add = EventTarget.prototype.addEventListener;
  EventTarget.prototype.addEventListener = function (...args) {
    adds += 1;
    return add.apply(this, args);
  };
}
export function listenerAdds() { return adds; }
let sends = null;
export function recordSends(memory) {
  sends = [];
  if (recordSends.installed) return;
  recordSends.installed = true;
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) {
    const kind = data instanceof Uint8Array && data.buffer === memory.buffer ? "view of wasm memory"
      : data instanceof Blob ? "Blob"
      : ArrayBuffer.isView(data) ? "other view"
      : data instanceof ArrayBuffer ? "ArrayBuffer"
      : typeof data;
    sends?.push(`${kind} ${data.byteLength ?? data.size ?? data.length}`);
    return send.call(this, data);
  };
}
export function recordedSends() { const taken = sends; sends = []; return taken.join(", "); }
"#)]
extern "C" {
    /// From now on, counts every `addEventListener` call in this page.
    #[wasm_bindgen(js_name = countListenerAdds)]
    fn count_listener_adds();
    /// `addEventListener` calls since counting started.
    #[wasm_bindgen(js_name = listenerAdds)]
    fn listener_adds() -> u32;
    /// From now on, records what each `WebSocket.send` call in this page is given.
    #[wasm_bindgen(js_name = recordSends)]
    fn record_sends(memory: wasm_bindgen::JsValue);
    /// The calls since the last take: `"KIND LENGTH"`, comma-separated.
    #[wasm_bindgen(js_name = recordedSends)]
    fn recorded_sends() -> String;
}

/// Messages in the shorter measured round (the longer has twice as many).
const N: usize = 200;

/// What `N` more messages cost: the longer round's counts less the shorter one's. A queue
/// that holds what is in flight may still grow a few times in a measured round, when more
/// happened to be in flight than ever before (a reallocation, amortized over every message
/// before it); that is checked apart, in [`cost_of_n_messages`], and not counted here.
#[derive(Debug, PartialEq, Eq)]
struct Cost {
    /// New allocations.
    allocations: i64,
    /// Their bytes (not a reallocation's growth).
    bytes: i64,
    listeners_added: u32,
}

/// The most queue growths the two measured rounds may show together: a per-message
/// reallocation would show `3 * N`.
const MAX_GROWTHS: i64 = 8;

impl Cost {
    /// `N` messages' payloads and nothing else: one allocation of exactly `size` bytes each.
    fn payloads_of(size: usize) -> Cost {
        Cost {
            allocations: N as i64,
            bytes: (N * size) as i64,
            listeners_added: 0,
        }
    }

    fn nothing() -> Cost {
        Cost {
            allocations: 0,
            bytes: 0,
            listeners_added: 0,
        }
    }
}

/// A binary message of `size` bytes.
fn binary(size: usize) -> Message {
    Message::Binary((0..size).map(|i| (i % 251) as u8).collect())
}

/// A text message of `size` characters.
fn text(size: usize) -> Message {
    Message::Text("x".repeat(size))
}

/// Sends `message` `count` times, pipelined, with no copy on the Rust side.
fn send(socket: &WebSocket, message: &Message, count: usize) {
    for _ in 0..count {
        match message {
            Message::Binary(bytes) => socket.send_bytes(bytes).unwrap(),
            Message::Text(text) => socket.send_text(text).unwrap(),
        }
    }
}

/// One way of receiving: a round sends `count` messages and receives their `count` echoes.
trait Round {
    async fn run(&mut self, count: usize);
}

/// The allocator's counters and the listeners added during one round.
async fn measured(round: &mut impl Round, count: usize) -> (Stats, Stats, u32) {
    let listeners = listener_adds();
    let before = ALLOCATOR.stats();
    round.run(count).await;
    let after = ALLOCATOR.stats();
    (before, after, listener_adds() - listeners)
}

/// Runs a warm-up round of `4 * N`, then rounds of `N` and `2 * N`; what the longer round's
/// `N` more messages cost. (The warm-up is the longest round, so that the queues, which hold
/// what is in flight, are already about as large as the measured rounds need.)
async fn cost_of_n_messages(mut round: impl Round) -> Cost {
    count_listener_adds();
    round.run(4 * N).await;
    let short = measured(&mut round, N).await;
    let long = measured(&mut round, 2 * N).await;
    let spent = |(before, after, _): &(Stats, Stats, u32), field: fn(&Stats) -> i64| {
        field(after) - field(before)
    };
    let more = |field: fn(&Stats) -> i64| spent(&long, field) - spent(&short, field);
    let growths =
        spent(&short, |s| s.reallocations as i64) + spent(&long, |s| s.reallocations as i64);
    assert!(
        growths <= MAX_GROWTHS,
        "{growths} reallocations while 3 * N messages flowed: more than a queue's growth"
    );
    Cost {
        allocations: more(|s| s.allocations as i64),
        // `bytes_allocated` also counts a reallocation's growth, which `bytes_reallocated`
        // is (queues only grow here).
        bytes: more(|s| s.bytes_allocated as i64 - s.bytes_reallocated as i64),
        listeners_added: short.2 + long.2,
    }
}

/// Receiving through the Stream: every echo checked against the payload. Pipelined, or with
/// `one_at_a_time` each message sent once the echo of the one before has come back (in Blob
/// mode, then, every message is a read of its own).
struct StreamRound {
    socket: WebSocket,
    payload: Message,
    one_at_a_time: bool,
}

impl Round for StreamRound {
    async fn run(&mut self, count: usize) {
        let StreamRound {
            socket,
            payload,
            one_at_a_time,
        } = self;
        if !*one_at_a_time {
            send(socket, payload, count);
        }
        within(20_000, "the echoes", async {
            for index in 0..count {
                if *one_at_a_time {
                    send(socket, payload, 1);
                }
                match socket.next().await {
                    Some(Ok(message)) => {
                        assert!(message == *payload, "echo {index} differs");
                    }
                    other => panic!("expected echo {index}, got {other:?}"),
                }
            }
        })
        .await;
    }
}

/// The cost of `N` messages of `payload` through the Stream, in `binary_type`, pipelined.
async fn through_stream(payload: Message, binary_type: BinaryType) -> Cost {
    let socket = connect("/echo").await;
    socket.set_binary_type(binary_type);
    cost_of_n_messages(StreamRound {
        socket,
        payload,
        one_at_a_time: false,
    })
    .await
}

/// Counts what a handler receives and reports the end of each round.
#[derive(Default)]
struct Tally {
    seen: Cell<usize>,
    wrong: Cell<usize>,
    round: RefCell<Option<(usize, oneshot::Sender<()>)>>,
}

impl Tally {
    fn saw(&self, right: bool) {
        self.seen.set(self.seen.get() + 1);
        if !right {
            self.wrong.set(self.wrong.get() + 1);
        }
        let ended = matches!(&*self.round.borrow(), Some((count, _)) if self.seen.get() == *count);
        if ended {
            if let Some((_, done)) = self.round.borrow_mut().take() {
                let _ = done.send(());
            }
        }
    }
}

/// Receiving through a handler, which tallies the echoes.
struct HandlerRound {
    socket: WebSocket,
    payload: Message,
    tally: Rc<Tally>,
    _guard: HandlerGuard,
}

impl Round for HandlerRound {
    async fn run(&mut self, count: usize) {
        let (done, finished) = oneshot::channel();
        self.tally.seen.set(0);
        *self.tally.round.borrow_mut() = Some((count, done));
        send(&self.socket, &self.payload, count);
        within(20_000, "the echoes", finished).await.unwrap();
        assert_eq!(self.tally.wrong.get(), 0, "every echo is the payload");
    }
}

/// The cost of `N` messages of `payload` through a handler, in `binary_type`: `on_message`
/// (typed, copied into wasm memory) or, with `zero_copy`, `on_js_message`.
async fn through_handler(payload: Message, binary_type: BinaryType, zero_copy: bool) -> Cost {
    let socket = connect("/echo").await;
    socket.set_binary_type(binary_type);
    let tally = Rc::new(Tally::default());
    let guard = if zero_copy {
        let tally = tally.clone();
        let length = payload.len();
        socket.on_js_message(move |message| {
            // Checked without allocating: only the length, read in JS.
            let right = match &message {
                JsMessage::Binary(view) => view.length() as usize == length,
                JsMessage::Text(text) => text.length() as usize == length,
            };
            tally.saw(right);
        })
    } else {
        let tally = tally.clone();
        let expected = payload.clone();
        socket.on_message(move |message| tally.saw(message == expected))
    };
    cost_of_n_messages(HandlerRound {
        socket,
        payload,
        tally,
        _guard: guard,
    })
    .await
}

#[wasm_bindgen_test]
async fn a_binary_message_through_the_stream_allocates_only_its_payload() {
    let cost = through_stream(binary(1024), ArrayBuffer).await;
    assert_eq!(cost, Cost::payloads_of(1024));
}

#[wasm_bindgen_test]
async fn a_text_message_through_the_stream_allocates_only_its_payload() {
    let cost = through_stream(text(32), ArrayBuffer).await;
    assert_eq!(cost, Cost::payloads_of(32));
}

#[wasm_bindgen_test]
async fn a_binary_message_through_on_message_allocates_only_its_payload() {
    let cost = through_handler(binary(1024), ArrayBuffer, false).await;
    assert_eq!(cost, Cost::payloads_of(1024));
}

#[wasm_bindgen_test]
async fn a_text_message_through_on_message_allocates_only_its_payload() {
    let cost = through_handler(text(32), ArrayBuffer, false).await;
    assert_eq!(cost, Cost::payloads_of(32));
}

#[wasm_bindgen_test]
async fn a_message_through_on_js_message_allocates_nothing() {
    let binary_cost = through_handler(binary(1024), ArrayBuffer, true).await;
    assert_eq!(binary_cost, Cost::nothing());
    let text_cost = through_handler(text(32), ArrayBuffer, true).await;
    assert_eq!(text_cost, Cost::nothing());
}

/// Blob mode reads its Blobs in batches whose sizes depend on timing; neither a batch nor a
/// message allocates beyond the payload, so the count is exact all the same. Sent one at a
/// time, every message is a read of its own, so a cost per read counts as one per message.
#[wasm_bindgen_test]
async fn a_blob_message_allocates_only_its_payload() {
    let socket = connect("/echo").await;
    socket.set_binary_type(Blob);
    let one_read_each = cost_of_n_messages(StreamRound {
        socket,
        payload: binary(1024),
        one_at_a_time: true,
    })
    .await;
    assert_eq!(
        one_read_each,
        Cost::payloads_of(1024),
        "one read per message"
    );
    let stream = through_stream(binary(1024), Blob).await;
    assert_eq!(stream, Cost::payloads_of(1024), "through the Stream");
    let handler = through_handler(binary(1024), Blob, false).await;
    assert_eq!(handler, Cost::payloads_of(1024), "through on_message");
    let zero_copy = through_handler(binary(1024), Blob, true).await;
    assert_eq!(zero_copy, Cost::nothing(), "through on_js_message");
}

/// Every way of sending binary data makes the one call raw web-sys makes, whatever the size:
/// no Blob, no copy into a fresh buffer, so sending costs what raw web-sys's send costs.
#[wasm_bindgen_test]
async fn a_binary_send_is_one_send_of_a_view_of_wasm_memory_as_raw_web_sys_makes() {
    let mut socket = connect("/echo").await;
    record_sends(wasm_bindgen::memory());
    for size in [4 << 10, 64 << 10, 1 << 20, 4 << 20] {
        let payload = vec![7u8; size];
        socket.as_raw().send_with_u8_array(&payload).unwrap();
        let raw = recorded_sends();
        assert_eq!(raw, format!("view of wasm memory {size}"), "raw web-sys");
        socket.send(Message::Binary(payload.clone())).unwrap();
        assert_eq!(recorded_sends(), raw, "send, {size} bytes");
        socket.send_bytes(&payload).unwrap();
        assert_eq!(recorded_sends(), raw, "send_bytes, {size} bytes");
        socket
            .handle()
            .send(Message::Binary(payload.clone()))
            .unwrap();
        assert_eq!(recorded_sends(), raw, "the handle's send, {size} bytes");
        within(
            10_000,
            "the Sink",
            SinkExt::send(&mut socket, Message::Binary(payload)),
        )
        .await
        .unwrap();
        assert_eq!(recorded_sends(), raw, "the Sink, {size} bytes");
    }
}
