//! The `Socket` backend for `reconnect`: a [`ReconnectingWebSocket`] whose transitions are
//! `state` events (`open` on each open, one `close` at the end) and messages `message` events.

use std::cell::{Cell, RefCell};
use std::pin::Pin;
use std::rc::Rc;

use futures_core::Stream;
use js_sys::Promise;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::future_to_promise;

use super::errors::{to_js, type_error};
use super::events::{close_result, Events};
use super::iterator::Link;
use crate::error::js::named_js_error;
use crate::{
    BinaryType, CloseCode, CloseEvent, ConnectionState, Delivery, Disconnect, Error, JsMessage,
    Message, ReconnectOptions, ReconnectingHandle, ReconnectingWebSocket, State, SubscriptionGuard,
    WeakReconnectingHandle,
};

/// What the subscriptions share with the `Socket`.
struct Shared {
    events: Rc<Events>,
    binary_type: Rc<Cell<BinaryType>>,
    handle: WeakReconnectingHandle,
    /// The last state reported to JS, so that a transition is reported exactly once.
    last: RefCell<ConnectionState>,
    ever_opened: Cell<bool>,
    /// `protocol` and `extensions` of the last connection that opened.
    negotiated: RefCell<(String, String)>,
}

impl Shared {
    /// Reports `state` unless it was the last reported: a `state` event, then `open` or `close`.
    fn observe(&self, state: &ConnectionState) {
        if *self.last.borrow() == *state {
            return;
        }
        *self.last.borrow_mut() = state.clone();
        if state.is_open() {
            self.ever_opened.set(true);
            let socket = self
                .handle
                .upgrade()
                .and_then(|handle| handle.socket())
                .and_then(|weak| weak.upgrade());
            if let Some(socket) = socket {
                *self.negotiated.borrow_mut() = (socket.protocol(), socket.extensions());
            }
        }
        self.events.fire_state(&state_detail(state));
        match state {
            ConnectionState::Open => self.events.fire_open(),
            ConnectionState::Closed(close) => self.events.fire_close(close),
            _ => {}
        }
    }
}

/// A `Socket` with reconnect: the connection, and the subscriptions that feed the events.
pub(crate) struct Reconnecting {
    handle: ReconnectingHandle,
    shared: Rc<Shared>,
    /// Feed the events; `None` once [`shut_down`](Self::shut_down) stopped them.
    subscriptions: Option<[SubscriptionGuard; 2]>,
}

impl Reconnecting {
    /// Opens the connection; the returned `ReconnectingWebSocket` is the message stream.
    pub(crate) fn open(
        url: super::args::Url,
        options: ReconnectOptions,
        binary_type: BinaryType,
        events: Rc<Events>,
    ) -> Result<(Reconnecting, ReconnectingWebSocket), Error> {
        let connection = match url {
            super::args::Url::Fixed(url) => ReconnectingWebSocket::open(&url, options)?,
            super::args::Url::Provider(provider) => {
                ReconnectingWebSocket::open_with_async(super::args::provider(provider), options)?
            }
        };
        let handle = connection.handle();
        let shared = Rc::new(Shared {
            events,
            binary_type: Rc::new(Cell::new(binary_type)),
            handle: handle.downgrade(),
            last: RefCell::new(handle.state()),
            ever_opened: Cell::new(false),
            negotiated: RefCell::default(),
        });
        let subscriptions = [
            handle.on_state({
                let shared = Rc::clone(&shared);
                move |state| shared.observe(state)
            }),
            handle.on_message({
                let shared = Rc::clone(&shared);
                move |message| {
                    shared
                        .events
                        .fire_message(JsMessage::from(&message), shared.binary_type.get());
                }
            }),
        ];
        Ok((
            Reconnecting {
                handle,
                shared,
                subscriptions: Some(subscriptions),
            },
            connection,
        ))
    }

    /// Catches up a transition the running state handler was skipped for (a `close()` from a
    /// `state` listener).
    fn catch_up(&self) {
        self.shared.observe(&self.handle.state());
    }

    pub(crate) fn binary_type_cell(&self) -> Rc<Cell<BinaryType>> {
        Rc::clone(&self.shared.binary_type)
    }

    pub(crate) fn binary_type(&self) -> BinaryType {
        self.shared.binary_type.get()
    }

    pub(crate) fn set_binary_type(&self, binary_type: BinaryType) {
        self.shared.binary_type.set(binary_type);
    }

    pub(crate) fn ready_state(&self) -> u16 {
        match self.handle.state() {
            ConnectionState::Connecting { .. }
            | ConnectionState::Reconnecting { .. }
            | ConnectionState::Offline { .. } => State::Connecting,
            ConnectionState::Open => State::Open,
            ConnectionState::Closing => State::Closing,
            ConnectionState::Closed(_) => State::Closed,
        }
        .ready_state()
    }

    pub(crate) fn state(&self) -> JsValue {
        state_detail(&self.handle.state())
    }

    /// The resolved URL of the latest attempt.
    pub(crate) fn url(&self) -> String {
        self.handle.url()
    }

    pub(crate) fn protocol(&self) -> String {
        self.shared.negotiated.borrow().0.clone()
    }

    pub(crate) fn extensions(&self) -> String {
        self.shared.negotiated.borrow().1.clone()
    }

    pub(crate) fn buffered_amount(&self) -> u32 {
        self.handle
            .socket()
            .and_then(|weak| weak.upgrade())
            .map_or(0, |socket| socket.buffered_amount())
    }

    pub(crate) fn queued_messages(&self) -> usize {
        self.handle.queued_messages()
    }

    pub(crate) fn queued_bytes(&self) -> usize {
        self.handle.queued_bytes()
    }

    /// The queue's messages, oldest first: strings and `ArrayBuffer`s.
    pub(crate) fn take_queued(&self) -> js_sys::Array {
        self.handle
            .take_queued()
            .iter()
            .map(|message| match message {
                Message::Text(text) => JsValue::from_str(text),
                Message::Binary(bytes) => {
                    js_sys::Uint8Array::from(bytes.as_slice()).buffer().into()
                }
            })
            .collect()
    }

    /// The `Socket` is freed: stops the events, then closes for good, unreported.
    pub(crate) fn shut_down(&mut self) {
        drop(self.subscriptions.take());
        let _ = self.handle.close();
    }

    /// Resolves on the first open, else rejects with `ConnectFailed` or `Freed` ([`Link`]).
    pub(crate) fn opened(&self, link: &Rc<Link>) -> Promise {
        if self.shared.ever_opened.get() {
            return Promise::resolve(&JsValue::UNDEFINED);
        }
        let mut states = self.handle.states();
        future_to_promise(link.unless_freed(async move {
            loop {
                let state = std::future::poll_fn(|cx| Pin::new(&mut states).poll_next(cx)).await;
                match state {
                    Some(ConnectionState::Open) => return Ok(JsValue::UNDEFINED),
                    Some(ConnectionState::Closed(close)) => {
                        return Err(to_js(&Error::ConnectFailed(close)))
                    }
                    Some(_) => {}
                    None => {
                        return Err(to_js(&Error::ConnectFailed(CloseEvent {
                            code: CloseCode::ABNORMAL,
                            reason: String::new(),
                            was_clean: false,
                        })))
                    }
                }
            }
        }))
    }

    pub(crate) fn closed(&self) -> Promise {
        let closed = self.handle.closed();
        future_to_promise(async move { Ok(close_result(&closed.await)) })
    }

    /// `send(data)`: `"sent"` or `"queued"`; `"discarded"` once closed for good (or closing).
    pub(crate) fn send(&self, data: &JsValue) -> Result<JsValue, JsValue> {
        let message = if let Some(text) = data.as_string() {
            Message::Text(text)
        } else if let Some(bytes) = super::values::binary_bytes(data)? {
            Message::Binary(bytes)
        } else if let Some(blob) = data.dyn_ref::<web_sys::Blob>() {
            return self.send_blob(blob);
        } else {
            return Err(type_error(
                "data must be a string, ArrayBuffer, typed array, DataView or Blob",
            ));
        };
        match self.handle.send(message) {
            Ok(Delivery::Sent) => Ok(JsValue::from_str("sent")),
            Ok(Delivery::Queued) => Ok(JsValue::from_str("queued")),
            Err(Error::NotOpen(_)) => Ok(JsValue::from_str("discarded")),
            Err(error) => {
                let thrown = to_js(&error);
                if let Error::QueueFull { .. } = error {
                    // The refused data itself, so the application can keep or persist it.
                    let _ = js_sys::Reflect::set(&thrown, &JsValue::from_str("data"), data);
                }
                Err(thrown)
            }
        }
    }

    /// Sent only if open with nothing queued: a `Blob` is read asynchronously, so never queued.
    fn send_blob(&self, blob: &web_sys::Blob) -> Result<JsValue, JsValue> {
        if matches!(
            self.handle.state(),
            ConnectionState::Closing | ConnectionState::Closed(_)
        ) {
            return Ok(JsValue::from_str("discarded"));
        }
        let socket = self
            .handle
            .socket()
            .and_then(|weak| weak.upgrade())
            .filter(|_| self.handle.state().is_open() && self.handle.queued_messages() == 0);
        match socket {
            Some(socket) => socket
                .send_blob(blob)
                .map(|()| JsValue::from_str("sent"))
                .map_err(|e| to_js(&e)),
            None => Err(named_js_error(
                "NotOpen",
                "a Blob is sent only while open with nothing queued (it cannot be queued); \
                 send await blob.arrayBuffer() instead",
            )),
        }
    }

    pub(crate) fn close(&self, code: CloseCode, reason: &str) -> Result<(), JsValue> {
        let closed = self.handle.close_with(code, reason).map_err(|e| to_js(&e));
        self.catch_up();
        closed
    }
}

impl std::fmt::Debug for Reconnecting {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Reconnecting").field(&self.handle).finish()
    }
}

fn object(entries: &[(&str, JsValue)]) -> JsValue {
    let object = js_sys::Object::new();
    for (key, value) in entries {
        let _ = js_sys::Reflect::set(&object, &JsValue::from_str(key), value);
    }
    object.into()
}

/// The `{ state, attempt?, delay?, cause?, close? }` of `socket.state` and `state` events.
pub(crate) fn state_detail(state: &ConnectionState) -> JsValue {
    let name = |name: &str| ("state", JsValue::from_str(name));
    match state {
        ConnectionState::Connecting { attempt } => {
            object(&[name("connecting"), ("attempt", JsValue::from(*attempt))])
        }
        ConnectionState::Open => object(&[name("open")]),
        ConnectionState::Reconnecting {
            attempt,
            delay,
            cause,
        } => object(&[
            name("reconnecting"),
            ("attempt", JsValue::from(*attempt)),
            ("delay", JsValue::from(delay.as_secs_f64() * 1000.0)),
            ("cause", cause_detail(cause)),
        ]),
        ConnectionState::Offline { attempt, cause } => object(&[
            name("offline"),
            ("attempt", JsValue::from(*attempt)),
            (
                "cause",
                cause.as_ref().map_or(JsValue::UNDEFINED, cause_detail),
            ),
        ]),
        ConnectionState::Closing => object(&[name("closing")]),
        ConnectionState::Closed(close) => object(&[name("closed"), ("close", close_result(close))]),
    }
}

/// A state's `cause`: `{ type, code?, reason?, wasClean?, error? }`.
fn cause_detail(cause: &Disconnect) -> JsValue {
    let closed = |kind: &str, close: &CloseEvent| {
        object(&[
            ("type", kind.into()),
            ("code", close.code.0.into()),
            ("reason", close.reason.as_str().into()),
            ("wasClean", close.was_clean.into()),
        ])
    };
    match cause {
        Disconnect::Closed(close) => closed("closed", close),
        Disconnect::ConnectTimeout => object(&[("type", "connect-timeout".into())]),
        Disconnect::HeartbeatTimeout => object(&[("type", "heartbeat-timeout".into())]),
        Disconnect::MessageTooBig(close) => closed("message-too-big", close),
        Disconnect::Provider(error) => object(&[
            ("type", "provider".into()),
            ("error", error.as_str().into()),
        ]),
    }
}

/// The same for a `Socket` without reconnect, from its `readyState` and final close event.
pub(crate) fn plain_state_detail(state: State, close: Option<&CloseEvent>) -> JsValue {
    match (state, close) {
        (State::Connecting, _) => state_detail(&ConnectionState::Connecting { attempt: 0 }),
        (State::Open, _) => state_detail(&ConnectionState::Open),
        (State::Closed, Some(close)) => state_detail(&ConnectionState::Closed(close.clone())),
        // Closing, or closed with the close event not delivered yet.
        _ => state_detail(&ConnectionState::Closing),
    }
}
