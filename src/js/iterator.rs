//! The async iterator over messages (`for await (const data of socket)`).

use std::cell::{Cell, RefCell};
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use futures_core::Stream;
use js_sys::Promise;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::{future_to_promise, JsFuture};

use super::errors::to_js;
use super::events::message_data;
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

/// The socket's stream, shared by its iterators; `next()` calls are served strictly one after
/// another, in call order, whichever iterator they come from.
#[derive(Clone)]
pub(crate) struct SharedReceiver {
    receiver: Rc<RefCell<Receiver>>,
    /// The promise of the latest `next()`, which the following one waits for.
    last: Rc<RefCell<Option<Promise>>>,
}

impl SharedReceiver {
    pub(crate) fn new(receiver: Receiver) -> SharedReceiver {
        SharedReceiver {
            receiver: Rc::new(RefCell::new(receiver)),
            last: Rc::new(RefCell::new(None)),
        }
    }

    pub(crate) fn claim(&self) {
        match &*self.receiver.borrow() {
            Receiver::Plain(receiver) => receiver.handle.shared.claim_stream(),
            Receiver::Reconnecting(connection) => connection.claim_stream(),
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

/// An async iterator of message data: strings, and `ArrayBuffer`s or `Blob`s by `binaryType`.
#[wasm_bindgen(skip_typescript)]
pub struct MessageIterator {
    shared: SharedReceiver,
    binary_type: BinaryTypeOf,
    finished: RefCell<bool>,
}

impl MessageIterator {
    pub(crate) fn new(shared: SharedReceiver, binary_type: BinaryTypeOf) -> MessageIterator {
        MessageIterator {
            shared,
            binary_type,
            finished: RefCell::new(false),
        }
    }
}

#[wasm_bindgen]
impl MessageIterator {
    /// The next message: `{ value, done: false }`; `{ done: true }` after a clean close.
    ///
    /// # Errors
    /// The promise rejects with `ConnectionLost` (or `ConnectFailed`) on an unclean close.
    pub fn next(&self) -> Promise {
        if *self.finished.borrow() {
            return Promise::resolve(&iterator_result(&JsValue::UNDEFINED, true));
        }
        let previous = self.shared.last.borrow_mut().take();
        let receiver = self.shared.receiver.clone();
        let binary_type = self.binary_type.clone();
        let promise = future_to_promise(async move {
            if let Some(previous) = previous {
                let _ = JsFuture::from(previous).await;
            }
            let item = std::future::poll_fn(|cx| receiver.borrow_mut().poll_next(cx)).await;
            match item {
                Some(Ok(message)) => Ok(iterator_result(
                    &message_data(&message, binary_type.get()),
                    false,
                )),
                Some(Err(error)) => Err(to_js(&error)),
                None => Ok(iterator_result(&JsValue::UNDEFINED, true)),
            }
        });
        *self.shared.last.borrow_mut() = Some(promise.clone());
        promise
    }

    /// Ends this iterator (`break` in `for await` calls it); the socket stays open.
    #[wasm_bindgen(js_name = return)]
    pub fn finish(&self) -> Promise {
        *self.finished.borrow_mut() = true;
        Promise::resolve(&iterator_result(&JsValue::UNDEFINED, true))
    }
}
