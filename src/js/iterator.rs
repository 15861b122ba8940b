//! The async iterator over messages (`for await (const data of socket)`), and the [`Link`]
//! between a `Socket`, its iterators and its pending promises.
//!
//! Only the `Socket` owns the connection: freeing it empties the [`Link`] and wakes pending
//! futures, which reject with `Freed`. An iterator claims the stream until `return()`, the end,
//! or its drop with no `next()` pending (js/index.js keeps its `Socket` reachable from it).

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use futures_core::Stream;
use js_sys::Promise;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::{future_to_promise, JsFuture};

use super::errors::to_js;
use super::events::message_data;
use crate::error::js::named_js_error;
use crate::{
    BinaryType, Error, Message, ReconnectingWebSocket, WeakWebSocketHandle, WebSocketReceiver,
};

/// The message stream of a `Socket`: one socket's, or a reconnecting connection's.
pub(crate) enum Receiver {
    Plain(WebSocketReceiver),
    Reconnecting(ReconnectingWebSocket),
}

impl Receiver {
    fn poll_next(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<Message, Error>>> {
        match self {
            Receiver::Plain(receiver) => Pin::new(receiver).poll_next(cx),
            Receiver::Reconnecting(connection) => Pin::new(connection).poll_next(cx),
        }
    }

    fn claim(&self) {
        match self {
            Receiver::Plain(receiver) => receiver.handle.shared.claim_stream(),
            Receiver::Reconnecting(connection) => connection.claim_stream(),
        }
    }

    fn unclaim(&self) {
        match self {
            Receiver::Plain(receiver) => receiver.handle.shared.unclaim_stream(),
            Receiver::Reconnecting(connection) => connection.unclaim_stream(),
        }
    }
}

/// Where an iterator reads the `binaryType` from when it converts a message.
#[derive(Clone)]
pub(crate) enum BinaryTypeOf {
    /// The socket's own `binaryType`.
    Socket(WeakWebSocketHandle),
    /// The `Socket`'s setting (reconnecting sockets).
    Setting(Rc<Cell<BinaryType>>),
}

impl BinaryTypeOf {
    fn get(&self) -> BinaryType {
        match self {
            BinaryTypeOf::Socket(socket) => socket
                .upgrade()
                .map_or(BinaryType::Blob, |socket| socket.binary_type()),
            BinaryTypeOf::Setting(setting) => setting.get(),
        }
    }
}

/// The error pending and later promises reject with once the `Socket` is freed.
pub(crate) fn freed_error() -> JsValue {
    named_js_error(
        "Freed",
        "the socket was freed (by free() or garbage collection)",
    )
}

/// What a `Socket` shares with its iterators and pending promises; never the JS `Socket` itself,
/// a cycle through wasm-bindgen's value table that garbage collection cannot break.
pub(crate) struct Link {
    /// The stream; `None` once the `Socket` is freed, so that nothing here keeps it open.
    receiver: RefCell<Option<Receiver>>,
    /// Iterators (and their pending `next()` calls) holding a claim on the stream.
    claims: Cell<usize>,
    /// The latest `next()`'s promise, awaited by the following one: calls run in call order.
    last: RefCell<Option<Promise>>,
    /// The task of the `next()` now waiting on the stream, woken by `return()` and by `free()`.
    reading: RefCell<Option<Waker>>,
    /// The task of a pending `opened` promise, woken by `free()`.
    opening: RefCell<Option<Waker>>,
}

impl Link {
    pub(crate) fn new(receiver: Receiver) -> Rc<Link> {
        Rc::new(Link {
            receiver: RefCell::new(Some(receiver)),
            claims: Cell::new(0),
            last: RefCell::new(None),
            reading: RefCell::new(None),
            opening: RefCell::new(None),
        })
    }

    /// Whether the `Socket` was freed.
    pub(crate) fn is_freed(&self) -> bool {
        self.receiver.borrow().is_none()
    }

    /// The `Socket` is freed: drops the stream, waking pending futures to reject ([`freed_error`]).
    pub(crate) fn free(&self) {
        let receiver = self.receiver.borrow_mut().take();
        drop(receiver);
        let reading = self.reading.borrow_mut().take();
        let opening = self.opening.borrow_mut().take();
        for waker in [reading, opening].into_iter().flatten() {
            waker.wake();
        }
    }

    fn claim(&self) {
        let claims = self.claims.get();
        self.claims.set(claims + 1);
        if claims == 0 {
            if let Some(receiver) = self.receiver.borrow().as_ref() {
                receiver.claim();
            }
        }
    }

    fn unclaim(&self) {
        let claims = self.claims.get().saturating_sub(1);
        self.claims.set(claims);
        if claims == 0 {
            if let Some(receiver) = self.receiver.borrow().as_ref() {
                receiver.unclaim();
            }
        }
    }

    /// Wakes the `next()` waiting on the stream, if any (it then re-checks its iterator).
    fn wake_reader(&self) {
        let reading = self.reading.borrow_mut().take();
        if let Some(waker) = reading {
            waker.wake();
        }
    }

    /// Keeps `waker` in `slot` (unless it already is), dropping the old one outside the borrow.
    fn register(slot: &RefCell<Option<Waker>>, waker: &Waker) {
        let old = {
            let mut slot = slot.borrow_mut();
            if slot.as_ref().is_some_and(|old| old.will_wake(waker)) {
                return;
            }
            slot.replace(waker.clone())
        };
        drop(old);
    }

    /// `future`, unless the `Socket` is freed first: then a [`freed_error`] at once.
    pub(crate) fn unless_freed(
        self: &Rc<Link>,
        future: impl Future<Output = Result<JsValue, JsValue>> + 'static,
    ) -> impl Future<Output = Result<JsValue, JsValue>> + 'static {
        let link = Rc::clone(self);
        async move {
            let mut future = std::pin::pin!(future);
            std::future::poll_fn(|cx| {
                if link.is_freed() {
                    return Poll::Ready(Err(freed_error()));
                }
                let polled = future.as_mut().poll(cx);
                if polled.is_pending() {
                    Link::register(&link.opening, cx.waker());
                }
                polled
            })
            .await
        }
    }
}

/// One iterator's claim on the stream, shared with its pending `next()` futures and released
/// at the latest when all of them are gone.
struct Claim {
    link: Rc<Link>,
    /// `return()` was called or the stream ended: `next()` resolves `{ done: true }`.
    finished: Cell<bool>,
    /// The claim on the stream is still held.
    held: Cell<bool>,
}

impl Claim {
    fn new(link: &Rc<Link>) -> Rc<Claim> {
        link.claim();
        Rc::new(Claim {
            link: Rc::clone(link),
            finished: Cell::new(false),
            held: Cell::new(true),
        })
    }

    /// Ends the iterator and releases its claim (once).
    fn finish(&self) {
        self.finished.set(true);
        if self.held.replace(false) {
            self.link.unclaim();
        }
    }
}

impl Drop for Claim {
    fn drop(&mut self) {
        if self.held.replace(false) {
            self.link.unclaim();
        }
    }
}

fn iterator_result(value: &JsValue, done: bool) -> JsValue {
    let object = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&object, &JsValue::from_str("value"), value);
    let _ = js_sys::Reflect::set(
        &object,
        &JsValue::from_str("done"),
        &JsValue::from_bool(done),
    );
    object.into()
}

/// What one `next()` got from the stream.
enum Step {
    Item(Option<Result<Message, Error>>),
    /// The iterator was finished meanwhile (`return()`).
    Finished,
    Freed,
}

/// An async iterator of message data: strings, and `ArrayBuffer`s or `Blob`s by `binaryType`.
#[wasm_bindgen(skip_typescript)]
pub struct MessageIterator {
    claim: Rc<Claim>,
    binary_type: BinaryTypeOf,
}

impl MessageIterator {
    /// A new iterator, which claims the stream (see the module docs).
    pub(crate) fn new(link: &Rc<Link>, binary_type: BinaryTypeOf) -> MessageIterator {
        MessageIterator {
            claim: Claim::new(link),
            binary_type,
        }
    }
}

#[wasm_bindgen]
impl MessageIterator {
    /// The next message: `{ value, done: false }`; `{ done: true }` after a clean close or
    /// `return()`.
    ///
    /// # Errors
    /// The promise rejects with `ConnectionLost` (or `ConnectFailed`) on an unclean close, and
    /// with `Freed` once the socket is freed.
    pub fn next(&self) -> Promise {
        if self.claim.finished.get() {
            return Promise::resolve(&iterator_result(&JsValue::UNDEFINED, true));
        }
        let link = &self.claim.link;
        let previous = link.last.borrow_mut().take();
        let claim = Rc::clone(&self.claim);
        let binary_type = self.binary_type.clone();
        let promise = future_to_promise(async move {
            if let Some(previous) = previous {
                let _ = JsFuture::from(previous).await;
            }
            let step = std::future::poll_fn(|cx| {
                if claim.finished.get() {
                    return Poll::Ready(Step::Finished);
                }
                let link = &claim.link;
                let polled = match link.receiver.borrow_mut().as_mut() {
                    Some(receiver) => receiver.poll_next(cx),
                    None => return Poll::Ready(Step::Freed),
                };
                match polled {
                    Poll::Ready(item) => Poll::Ready(Step::Item(item)),
                    Poll::Pending => {
                        Link::register(&link.reading, cx.waker());
                        Poll::Pending
                    }
                }
            })
            .await;
            match step {
                Step::Item(Some(Ok(message))) => Ok(iterator_result(
                    &message_data(&message, binary_type.get()),
                    false,
                )),
                Step::Item(Some(Err(error))) => {
                    // The connection's end; a Blob that could not be read is not.
                    if matches!(error, Error::ConnectionLost(_) | Error::ConnectFailed(_)) {
                        claim.finish();
                    }
                    Err(to_js(&error))
                }
                Step::Item(None) => {
                    claim.finish();
                    Ok(iterator_result(&JsValue::UNDEFINED, true))
                }
                Step::Finished => Ok(iterator_result(&JsValue::UNDEFINED, true)),
                Step::Freed => Err(freed_error()),
            }
        });
        *link.last.borrow_mut() = Some(promise.clone());
        promise
    }

    /// Ends this iterator (`break` in `for await` calls it): its pending `next()` resolves
    /// `{ done: true }`, and so do later ones; the socket stays open. When no other iterator
    /// is left, messages are no longer kept for iterators.
    #[wasm_bindgen(js_name = return)]
    pub fn finish(&self) -> Promise {
        if !self.claim.finished.get() {
            self.claim.finish();
            self.claim.link.wake_reader();
        }
        Promise::resolve(&iterator_result(&JsValue::UNDEFINED, true))
    }
}
