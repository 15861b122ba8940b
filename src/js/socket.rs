//! `SocketCore`, the wasm half of the package's `Socket`: the connection, argument checks and
//! message data. js/socket.js is the other half, the `Socket` class users see: a real
//! `EventTarget` with WebIDL's conversions, handlers and shape (ARCHITECTURE.md, "The JS
//! package"). Its `send` is in [`send`].

mod send;

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::Promise;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::future_to_promise;

use super::args;
use super::errors::to_js;
use super::events::{close_result, Events};
use super::iterator::{BinaryTypeOf, Link, MessageIterator, Receiver};
use super::reconnecting::{plain_state_detail, Reconnecting};
use crate::{BinaryType, Error, HandlerGuard, WebSocket, WebSocketHandle};

/// What a `Socket` runs on.
enum Backend {
    /// One browser WebSocket (no `reconnect` option).
    Plain {
        handle: WebSocketHandle,
        _guards: [HandlerGuard; 4],
    },
    /// A reconnecting connection (`reconnect: true` or an object).
    Reconnecting(Reconnecting),
}

/// `SocketCore`: the browser's `WebSocket`, with `opened`/`closed` promises, async iteration,
/// validated arguments and typed errors, for js/socket.js's `Socket`, which alone refers to it.
/// The `Socket`'s TypeScript declaration is in `typescript.rs`.
///
/// It alone owns the connection (iterators and pending promises hold only its `Link`), and
/// dropping it, by `free()` or when garbage-collected with its `Socket`, closes the connection
/// at once and settles whatever is pending (see [`Drop`](#impl-Drop-for-JsSocket)).
#[wasm_bindgen(js_name = SocketCore, skip_typescript)]
pub struct JsSocket {
    backend: Backend,
    link: Rc<Link>,
    opened: RefCell<Option<Promise>>,
    closed: RefCell<Option<Promise>>,
}

#[wasm_bindgen(js_class = SocketCore)]
impl JsSocket {
    /// `new SocketCore(url, protocols, options, emit)`: `url` a string or a URL function,
    /// `protocols` an array of strings or `undefined` (then `options.protocols`), `emit` the
    /// `Socket`'s `(kind, payload) => void` (open 0, message 1, error 2, close 3, state 4).
    ///
    /// # Errors
    /// A `TypeError` for arguments of the wrong type, a `RangeError` for reconnect options
    /// out of range; a `SyntaxError` or `SecurityError` `DOMException` as
    /// [`WebSocket::open_with_protocols`] fails.
    #[wasm_bindgen(constructor)]
    pub fn new(
        url: JsValue,
        protocols: JsValue,
        options: JsValue,
        emit: js_sys::Function,
    ) -> Result<JsSocket, JsValue> {
        let target = args::target(&url)?;
        let mut options = args::options(&options, &protocols)?;
        let url = match (target, options.reconnect.take()) {
            (url, Some(reconnect)) => {
                return open_reconnecting(url, reconnect, options.binary_type, emit);
            }
            (args::Url::Fixed(url), None) => url,
            (args::Url::Provider(_), None) => {
                return Err(super::errors::type_error(
                    "a URL function needs reconnect (add reconnect: true): it is called before every attempt",
                ))
            }
        };
        let protocols: Vec<&str> = options.protocols.iter().map(String::as_str).collect();
        let socket = WebSocket::open_with_protocols(&url, &protocols).map_err(|e| to_js(&e))?;
        // The browser's own default, as JS code expects (Rust sockets start in ArrayBuffer mode).
        socket.set_binary_type(options.binary_type.unwrap_or(BinaryType::Blob));
        socket.set_max_message_size(options.max_message_size);
        let events = Events::new(emit);
        let weak = socket.downgrade();
        let guards = [
            socket.on_open({
                let events = events.clone();
                move || events.fire_open()
            }),
            socket.on_js_message({
                let events = events.clone();
                move |message| {
                    let binary_type = weak
                        .upgrade()
                        .map_or(BinaryType::Blob, |socket| socket.binary_type());
                    events.fire_message(message, binary_type);
                }
            }),
            socket.on_error({
                let events = events.clone();
                move || events.fire_error()
            }),
            socket.on_close({
                let events = events.clone();
                move |close| events.fire_close(&close)
            }),
        ];
        let handle = socket.handle();
        let (_sender, receiver) = socket.split();
        Ok(JsSocket {
            backend: Backend::Plain {
                handle,
                _guards: guards,
            },
            link: Link::new(Receiver::Plain(receiver)),
            opened: RefCell::new(None),
            closed: RefCell::new(None),
        })
    }

    /// `socket.readyState`.
    #[wasm_bindgen(getter = readyState)]
    pub fn ready_state(&self) -> u16 {
        match &self.backend {
            Backend::Plain { handle, .. } => handle.state().ready_state(),
            Backend::Reconnecting(connection) => connection.ready_state(),
        }
    }

    /// `socket.state`: `{ state, attempt?, delay?, cause?, close? }`, as in `state` events.
    #[wasm_bindgen(getter)]
    pub fn state(&self) -> JsValue {
        match &self.backend {
            Backend::Plain { handle, .. } => {
                plain_state_detail(handle.state(), handle.close_event().as_ref())
            }
            Backend::Reconnecting(connection) => connection.state(),
        }
    }

    /// `socket.queuedMessages`: messages waiting in the send queue (always 0 without reconnect).
    #[wasm_bindgen(getter = queuedMessages)]
    pub fn queued_messages(&self) -> usize {
        match &self.backend {
            Backend::Plain { .. } => 0,
            Backend::Reconnecting(connection) => connection.queued_messages(),
        }
    }

    /// `socket.queuedBytes`: payload bytes waiting in the send queue (text as UTF-8).
    #[wasm_bindgen(getter = queuedBytes)]
    pub fn queued_bytes(&self) -> usize {
        match &self.backend {
            Backend::Plain { .. } => 0,
            Backend::Reconnecting(connection) => connection.queued_bytes(),
        }
    }

    /// `socket.takeQueued()`: empties the send queue and returns its data, oldest first
    /// (strings and `ArrayBuffer`s).
    #[wasm_bindgen(js_name = takeQueued)]
    pub fn take_queued(&self) -> js_sys::Array {
        match &self.backend {
            Backend::Plain { .. } => js_sys::Array::new(),
            Backend::Reconnecting(connection) => connection.take_queued(),
        }
    }

    /// `socket.url`: the resolved `ws:`/`wss:` URL.
    #[wasm_bindgen(getter)]
    pub fn url(&self) -> String {
        match &self.backend {
            Backend::Plain { handle, .. } => handle.url(),
            Backend::Reconnecting(connection) => connection.url(),
        }
    }

    /// `socket.protocol`.
    #[wasm_bindgen(getter)]
    pub fn protocol(&self) -> String {
        match &self.backend {
            Backend::Plain { handle, .. } => handle.protocol(),
            Backend::Reconnecting(connection) => connection.protocol(),
        }
    }

    /// `socket.extensions`.
    #[wasm_bindgen(getter)]
    pub fn extensions(&self) -> String {
        match &self.backend {
            Backend::Plain { handle, .. } => handle.extensions(),
            Backend::Reconnecting(connection) => connection.extensions(),
        }
    }

    /// `socket.bufferedAmount`.
    #[wasm_bindgen(getter = bufferedAmount)]
    pub fn buffered_amount(&self) -> u32 {
        match &self.backend {
            Backend::Plain { handle, .. } => handle.buffered_amount(),
            Backend::Reconnecting(connection) => connection.buffered_amount(),
        }
    }

    /// `socket.binaryType`.
    #[wasm_bindgen(getter = binaryType)]
    pub fn binary_type(&self) -> String {
        let binary_type = match &self.backend {
            Backend::Plain { handle, .. } => handle.binary_type(),
            Backend::Reconnecting(connection) => connection.binary_type(),
        };
        match binary_type {
            BinaryType::Blob => "blob".to_owned(),
            BinaryType::ArrayBuffer => "arraybuffer".to_owned(),
        }
    }

    /// `socket.binaryType = "blob" | "arraybuffer"` (js/socket.js ignores other values, as
    /// WebIDL does for an enum).
    ///
    /// # Errors
    /// A `TypeError` for any other value.
    #[wasm_bindgen(setter = binaryType)]
    pub fn set_binary_type(&self, value: JsValue) -> Result<(), JsValue> {
        let binary_type = args::binary_type(&value)?;
        match &self.backend {
            Backend::Plain { handle, .. } => handle.set_binary_type(binary_type),
            Backend::Reconnecting(connection) => connection.set_binary_type(binary_type),
        }
        Ok(())
    }

    /// `socket.opened`: resolves when open (the first time, with reconnect), rejects with a
    /// `ConnectFailed` error if that never happens, or a `Freed` error if the socket is freed
    /// first.
    #[wasm_bindgen(getter)]
    pub fn opened(&self) -> Promise {
        self.opened
            .borrow_mut()
            .get_or_insert_with(|| {
                let handle = match &self.backend {
                    Backend::Plain { handle, .. } => handle,
                    Backend::Reconnecting(connection) => return connection.opened(&self.link),
                };
                // `Opened` holds the socket, so it must not outlive a freed `Socket`.
                let opened = handle.opened();
                future_to_promise(self.link.unless_freed(async move {
                    opened
                        .await
                        .map(|()| JsValue::UNDEFINED)
                        .map_err(|e| to_js(&e))
                }))
            })
            .clone()
    }

    /// `socket.closed`: resolves with `{ code, reason, wasClean }` however the connection ends
    /// (with reconnect: when closed for good).
    #[wasm_bindgen(getter)]
    pub fn closed(&self) -> Promise {
        self.closed
            .borrow_mut()
            .get_or_insert_with(|| {
                let handle = match &self.backend {
                    Backend::Plain { handle, .. } => handle,
                    Backend::Reconnecting(connection) => return connection.closed(),
                };
                let closed = handle.closed();
                future_to_promise(async move { Ok(close_result(&closed.await)) })
            })
            .clone()
    }

    /// `socket.close(code?, reason?)`: 1000 when no code is given (also with a reason);
    /// checked before the browser sees it.
    ///
    /// # Errors
    /// An `InvalidAccessError` `DOMException` for a code other than 1000 or 3000-4999, a
    /// `SyntaxError` one for a reason over 123 UTF-8 bytes, a `TypeError` for arguments of the
    /// wrong type. The socket stays open after any of them.
    pub fn close(&self, code: JsValue, reason: JsValue) -> Result<(), JsValue> {
        let code = args::close_code(&code)?.unwrap_or(crate::CloseCode::NORMAL);
        let reason = args::close_reason(&reason)?;
        match &self.backend {
            Backend::Plain { handle, .. } => {
                handle.close_with(code, &reason).map_err(|e| to_js(&e))
            }
            Backend::Reconnecting(connection) => connection.close(code, &reason),
        }
    }

    /// `SocketCore.checkClose(code, reason)`: `close()`'s checks alone, for a freed `Socket`,
    /// which answers as a closed one.
    ///
    /// # Errors
    /// As [`close`](Self::close).
    #[wasm_bindgen(js_name = checkClose)]
    pub fn check_close(code: JsValue, reason: JsValue) -> Result<(), JsValue> {
        args::close_code(&code)?;
        let reason = args::close_reason(&reason)?;
        if reason.len() > crate::MAX_REASON_BYTES {
            return Err(to_js(&Error::ReasonTooLong {
                bytes: reason.len(),
            }));
        }
        Ok(())
    }

    /// `socket.messages()`: an async iterator of message data (also `socket[Symbol.asyncIterator]`).
    /// It receives every message from this call on until it ends: a clean close ends it, an
    /// unclean one rejects with `ConnectionLost` (or `ConnectFailed`), `return()` ends it.
    /// (js/socket.js makes the iterator reference its `Socket`, so that it keeps it alive.)
    pub fn messages(&self) -> MessageIterator {
        let binary_type = match &self.backend {
            Backend::Plain { handle, .. } => BinaryTypeOf::Socket(handle.downgrade()),
            Backend::Reconnecting(connection) => {
                BinaryTypeOf::Setting(connection.binary_type_cell())
            }
        };
        MessageIterator::new(&self.link, binary_type)
    }
}

impl Drop for JsSocket {
    /// `free()` or garbage collection: closes with 1000 at once, whoever else holds it, no event
    /// firing; pending `next()` and `opened` reject with `Freed`, `closed` gets the final event.
    fn drop(&mut self) {
        self.link.free();
        match &mut self.backend {
            Backend::Plain { handle, .. } => {
                let _ = handle.close();
            }
            Backend::Reconnecting(connection) => connection.shut_down(),
        }
    }
}

impl std::fmt::Debug for JsSocket {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.backend {
            Backend::Plain { handle, .. } => f.debug_tuple("Socket").field(handle).finish(),
            Backend::Reconnecting(connection) => f.debug_tuple("Socket").field(connection).finish(),
        }
    }
}

/// `new Socket(url, { reconnect, .. })`: the reconnecting backend.
fn open_reconnecting(
    url: args::Url,
    reconnect: crate::ReconnectOptions,
    binary_type: Option<BinaryType>,
    emit: js_sys::Function,
) -> Result<JsSocket, JsValue> {
    let events = Events::new(emit);
    let binary_type = binary_type.unwrap_or(BinaryType::Blob);
    let (backend, connection) =
        Reconnecting::open(url, reconnect, binary_type, events).map_err(|e| to_js(&e))?;
    Ok(JsSocket {
        backend: Backend::Reconnecting(backend),
        link: Link::new(Receiver::Reconnecting(connection)),
        opened: RefCell::new(None),
        closed: RefCell::new(None),
    })
}
