//! The cloneable handle: everything one can do with a socket except read its stream.

use std::rc::{Rc, Weak};

use wasm_bindgen::{JsCast, JsValue};

use crate::socket::conn::closed::{Closed, Opened};
use crate::socket::conn::Shared;
use crate::util::wakers::WaiterKey;

mod events;
use crate::{validate_close, BinaryType, CloseCode, CloseEvent, Error, Message, State, Watermarks};

/// A cloneable handle to a socket: state, sending, closing, handlers and [`closed()`].
///
/// [`WebSocket`](crate::WebSocket) and both halves of [`split()`](crate::WebSocket::split)
/// dereference to it, so these methods work on all of them; [`handle()`] gives a clone that
/// outlives them. A handle keeps the socket alive: the socket closes (with 1000) when the last
/// `WebSocket`, half or handle is dropped; [`downgrade`](Self::downgrade) gives one that does
/// not.
///
/// [`closed()`]: WebSocketHandle::closed
/// [`handle()`]: WebSocketHandle::handle
#[derive(Clone)]
pub struct WebSocketHandle {
    pub(crate) shared: Rc<Shared>,
}

/// A handle that does not keep its socket alive; see [`WebSocketHandle::downgrade`].
#[derive(Clone, Debug, Default)]
pub struct WeakWebSocketHandle {
    shared: Weak<Shared>,
}

impl WeakWebSocketHandle {
    /// A strong handle, if the socket still exists.
    #[must_use]
    pub fn upgrade(&self) -> Option<WebSocketHandle> {
        self.shared
            .upgrade()
            .map(|shared| WebSocketHandle { shared })
    }
}

impl std::fmt::Debug for WebSocketHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebSocketHandle")
            .field("url", &self.url())
            .field("state", &self.state())
            .finish()
    }
}

impl WebSocketHandle {
    /// Another handle to the same socket.
    #[must_use]
    pub fn handle(&self) -> WebSocketHandle {
        self.clone()
    }

    /// A handle that does not keep the socket alive, for capturing in the socket's own
    /// handlers without a reference cycle.
    ///
    /// ```no_run
    /// # fn demo(socket: &browser_ws::WebSocket) {
    /// let weak = socket.downgrade();
    /// let _guard = socket.on_message(move |message| {
    ///     if let Some(socket) = weak.upgrade() {
    ///         let _ = socket.send(message); // echo
    ///     }
    /// });
    /// # }
    /// ```
    #[must_use]
    pub fn downgrade(&self) -> WeakWebSocketHandle {
        WeakWebSocketHandle {
            shared: Rc::downgrade(&self.shared),
        }
    }

    /// The connection state ([MDN `readyState`](https://developer.mozilla.org/en-US/docs/Web/API/WebSocket/readyState)).
    ///
    /// This is the browser's live state: it can read `Closed` while earlier Blob messages are
    /// still being delivered; [`close_event()`](Self::close_event) and [`closed()`](Self::closed)
    /// report the end only after them.
    #[must_use]
    pub fn state(&self) -> State {
        self.shared.state()
    }

    /// The absolute URL the socket connects to, after browser-ws's resolution
    /// ([MDN `url`](https://developer.mozilla.org/en-US/docs/Web/API/WebSocket/url)).
    #[must_use]
    pub fn url(&self) -> String {
        self.shared.raw.url()
    }

    /// The subprotocol the server chose, empty if none
    /// ([MDN `protocol`](https://developer.mozilla.org/en-US/docs/Web/API/WebSocket/protocol)).
    #[must_use]
    pub fn protocol(&self) -> String {
        self.shared.raw.protocol()
    }

    /// The extensions the server chose
    /// ([MDN `extensions`](https://developer.mozilla.org/en-US/docs/Web/API/WebSocket/extensions)).
    #[must_use]
    pub fn extensions(&self) -> String {
        self.shared.raw.extensions()
    }

    /// Bytes queued by `send` but not yet handed to the network
    /// ([MDN `bufferedAmount`](https://developer.mozilla.org/en-US/docs/Web/API/WebSocket/bufferedAmount)).
    /// browser-ws refuses sends when not open, so its sends never grow this after close (the
    /// raw API does, silently).
    #[must_use]
    pub fn buffered_amount(&self) -> u32 {
        self.shared.raw.buffered_amount()
    }

    /// The Sink's backpressure thresholds for this socket (default: high 1 MiB, low 256 KiB).
    #[must_use]
    pub fn watermarks(&self) -> Watermarks {
        self.shared.buffer.marks()
    }

    /// Sets the Sink's backpressure thresholds: `poll_ready` (and so `SinkExt::send`) waits
    /// while [`buffered_amount`](Self::buffered_amount) is above `marks.high()`, and
    /// `poll_flush` waits until it is at most `marks.low()`. Direct calls to
    /// [`send`](Self::send) never wait.
    ///
    /// ```no_run
    /// # fn demo(socket: &browser_ws::WebSocket) {
    /// socket.set_watermarks(browser_ws::Watermarks::new(8 << 20, 2 << 20));
    /// # }
    /// ```
    pub fn set_watermarks(&self, marks: Watermarks) {
        self.shared.buffer.set_marks(marks);
    }

    /// The largest message this socket takes, in bytes (UTF-8 bytes for text); `None`: no
    /// limit. The default is [`DEFAULT_MAX_MESSAGE_SIZE`](crate::DEFAULT_MAX_MESSAGE_SIZE)
    /// (64 MiB).
    #[must_use]
    pub fn max_message_size(&self) -> Option<usize> {
        Some(self.shared.limit.get()).filter(|&limit| limit != usize::MAX)
    }

    /// Sets the receive limit, like tungstenite's `max_message_size`. A received message
    /// larger than `limit` bytes (UTF-8 bytes for text) is never copied: in its place the
    /// stream yields [`Error::MessageTooBig`] (error handlers run too), and the socket is
    /// closed with [`CloseCode::RECEIVE_LIMIT`] (4009, standing for 1009, which browsers may
    /// not send) and the reason `"message too big"`; earlier messages are delivered first.
    /// Whatever the limit, a message of 1 MiB or more that wasm memory cannot take is
    /// refused the same way (with `limit: None` in the error), instead of aborting the
    /// module. `None` removes the limit (as does `Some(usize::MAX)`).
    ///
    /// ```no_run
    /// # fn demo(socket: &browser_ws::WebSocket) {
    /// socket.set_max_message_size(Some(1 << 20)); // at most 1 MiB
    /// # }
    /// ```
    pub fn set_max_message_size(&self, limit: Option<usize>) {
        self.shared.limit.set(limit.unwrap_or(usize::MAX));
    }

    /// How the browser hands over binary messages
    /// ([MDN `binaryType`](https://developer.mozilla.org/en-US/docs/Web/API/WebSocket/binaryType)).
    #[must_use]
    pub fn binary_type(&self) -> BinaryType {
        BinaryType::from_web(self.shared.raw.binary_type())
    }

    /// Changes how binary messages are handed over; messages arrive as `Vec<u8>`, in order,
    /// either way. The browser reads the setting as each message arrives.
    ///
    /// Sockets start in [`BinaryType::ArrayBuffer`] mode. The Blob reader is linked into the
    /// application only if it calls this method, so set Blob mode here, not through
    /// [`as_raw()`](Self::as_raw): a Blob that arrives otherwise is reported in its place as
    /// [`Error::BlobRead`].
    pub fn set_binary_type(&self, binary_type: BinaryType) {
        if binary_type == BinaryType::Blob {
            self.shared.enable_blob_mode();
        }
        self.shared.raw.set_binary_type(binary_type.to_web());
    }

    /// The browser's `WebSocket` object, for what this crate does not wrap. Setting its `on*`
    /// properties does not disturb browser-ws, which uses `addEventListener`.
    #[must_use]
    pub fn as_raw(&self) -> &web_sys::WebSocket {
        &self.shared.raw
    }

    fn ensure_open(&self) -> Result<(), Error> {
        match self.state() {
            State::Open => Ok(()),
            other => Err(Error::NotOpen(other)),
        }
    }

    /// Sends a message ([MDN `send`](https://developer.mozilla.org/en-US/docs/Web/API/WebSocket/send)).
    ///
    /// ```no_run
    /// # fn demo(socket: &browser_ws::WebSocket) -> Result<(), browser_ws::Error> {
    /// socket.send("hello")?;
    /// socket.send(vec![1u8, 2, 3])?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`Error::NotOpen`] unless the socket is open: unlike the raw API, nothing is silently
    /// queued while connecting or counted into `bufferedAmount` after close.
    pub fn send(&self, message: impl Into<Message>) -> Result<(), Error> {
        match message.into() {
            Message::Text(text) => self.send_text(&text),
            Message::Binary(bytes) => self.send_bytes(&bytes),
        }
    }

    /// Sends a text message without taking ownership (no copy on the Rust side).
    ///
    /// # Errors
    /// [`Error::NotOpen`] unless the socket is open.
    pub fn send_text(&self, text: &str) -> Result<(), Error> {
        self.ensure_open()?;
        self.shared
            .raw
            .send_with_str(text)
            .map_err(|e| Error::from_js(&e))
    }

    /// Sends a binary message from wasm memory with one copy, as a view of wasm memory (the
    /// browser copies it before the call returns), whatever its size: measured against a
    /// `Blob` send from 4 KiB to 16 MiB, the view was faster at every size in Chromium and
    /// level in Firefox (`docs/bench/send-path.md`).
    ///
    /// # Errors
    /// [`Error::NotOpen`] unless the socket is open.
    pub fn send_bytes(&self, bytes: &[u8]) -> Result<(), Error> {
        self.ensure_open()?;
        self.shared
            .raw
            .send_with_u8_array(bytes)
            .map_err(|e| Error::from_js(&e))
    }

    /// Sends a JS `Blob` as a binary message, without copying it into wasm memory.
    ///
    /// # Errors
    /// [`Error::NotOpen`] unless the socket is open.
    pub fn send_blob(&self, blob: &web_sys::Blob) -> Result<(), Error> {
        self.ensure_open()?;
        self.shared
            .raw
            .send_with_blob(blob)
            .map_err(|e| Error::from_js(&e))
    }

    /// Sends a JS `ArrayBuffer` as a binary message, without copying it into wasm memory.
    ///
    /// A `SharedArrayBuffer` (cast to `ArrayBuffer`), which the browser's `send` refuses with a
    /// `TypeError`, is copied into an ordinary `ArrayBuffer` (in JS, not in wasm memory) and
    /// that is sent: its bytes as they are at the call.
    ///
    /// # Errors
    /// [`Error::NotOpen`] unless the socket is open.
    pub fn send_array_buffer(&self, buffer: &js_sys::ArrayBuffer) -> Result<(), Error> {
        self.ensure_open()?;
        let sent = match is_shared(buffer) {
            true => view_of(buffer).and_then(|view| self.send_copy(&view)),
            false => self.shared.raw.send_with_array_buffer(buffer),
        };
        sent.map_err(|e| Error::from_js(&e))
    }

    /// Sends a JS `Uint8Array` (only its viewed bytes) as a binary message, without copying it
    /// into wasm memory.
    ///
    /// A view over a `SharedArrayBuffer` (a shared `WebAssembly.Memory`'s included), which the
    /// browser's `send` refuses with a `TypeError`, has its bytes copied into an ordinary
    /// `ArrayBuffer` (in JS, not in wasm memory) and that is sent: the bytes as they are at the
    /// call.
    ///
    /// # Errors
    /// [`Error::NotOpen`] unless the socket is open.
    pub fn send_uint8_array(&self, array: &js_sys::Uint8Array) -> Result<(), Error> {
        self.ensure_open()?;
        let sent = match is_shared(&array.buffer()) {
            true => self.send_copy(array),
            false => self.shared.raw.send_with_array_buffer_view(array),
        };
        sent.map_err(|e| Error::from_js(&e))
    }

    /// Sends a copy of a view's bytes in an ordinary `ArrayBuffer`; a throw (a detached buffer)
    /// is returned, never unwound through wasm.
    fn send_copy(&self, view: &JsValue) -> Result<(), JsValue> {
        let slice = js_sys::Reflect::get(view, &"slice".into())?;
        let copy: JsValue = js_sys::Reflect::apply(
            slice.unchecked_ref::<js_sys::Function>(),
            view,
            &js_sys::Array::new(),
        )?;
        self.shared
            .raw
            .send_with_array_buffer_view(copy.unchecked_ref())
    }

    /// Closes with 1000 and no reason. Unlike the raw `close()`, the server sees 1000, not 1005.
    /// Does nothing if the socket is already closing or closed.
    ///
    /// # Errors
    /// Only if the browser throws unexpectedly ([`Error::Js`]).
    pub fn close(&self) -> Result<(), Error> {
        self.close_with(CloseCode::NORMAL, "")
    }

    /// Closes with a code and reason ([MDN `close`](https://developer.mozilla.org/en-US/docs/Web/API/WebSocket/close)),
    /// checked before the browser sees them. Does nothing if already closing or closed. The
    /// final result, with the server's code and reason, comes from [`closed()`](Self::closed).
    ///
    /// ```no_run
    /// # fn demo(socket: &browser_ws::WebSocket) -> Result<(), browser_ws::Error> {
    /// socket.close_with(4001u16, "done for today")?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidCloseCode`] unless the code is 1000 or 3000-4999;
    /// [`Error::ReasonTooLong`] for a reason over 123 UTF-8 bytes. Either way the socket stays
    /// open and usable.
    pub fn close_with(&self, code: impl Into<CloseCode>, reason: &str) -> Result<(), Error> {
        let code = code.into();
        validate_close(code, reason)?;
        if matches!(self.state(), State::Connecting | State::Open) {
            self.shared.inner_mut().phase.on_local_close();
        }
        self.shared
            .raw
            .close_with_code_and_reason(code.0, reason)
            .map_err(|e| Error::from_js(&e))
    }

    /// Resolves with the connection's final [`CloseEvent`] (the browser's, with the server's
    /// code and reason, also after a local close), once every earlier message was delivered.
    /// The future does not keep the socket alive: if every handle is dropped first, the socket
    /// closes and the future resolves with the browser's final event.
    pub fn closed(&self) -> Closed {
        Closed::of(self.shared.ending())
    }

    /// How many received messages wait in the stream's queue. Before anyone reads, messages
    /// wait there for the first consumer (the stream's first poll, or the first
    /// [`on_message`](Self::on_message) handler). A socket read only through handlers queues
    /// nothing; a polled stream gets every message (a copy if handlers exist too) until it is
    /// dropped, so a stream that is kept but no longer polled keeps growing this queue.
    #[must_use]
    pub fn queued_messages(&self) -> usize {
        self.shared.inner_ref().inbox.len()
    }

    /// Resolves once the socket is open.
    pub(crate) fn opened(&self) -> Opened {
        Opened {
            shared: self.shared.clone(),
            key: WaiterKey::default(),
        }
    }

    /// The final close event, if the connection has ended.
    #[must_use]
    pub fn close_event(&self) -> Option<CloseEvent> {
        self.shared.close_event()
    }
}

/// Whether a buffer is shared memory, which `send` refuses: a `SharedArrayBuffer`, or, where
/// that global is hidden (a page not cross-origin-isolated), anything but an `ArrayBuffer`.
fn is_shared(buffer: &JsValue) -> bool {
    buffer.is_instance_of::<js_sys::SharedArrayBuffer>()
        || !buffer.is_instance_of::<js_sys::ArrayBuffer>()
}

/// `new Uint8Array(buffer)`, a throw returned, never unwound through wasm.
fn view_of(buffer: &JsValue) -> Result<JsValue, JsValue> {
    let class = js_sys::Reflect::get(&js_sys::global(), &"Uint8Array".into())?;
    js_sys::Reflect::construct(
        class.unchecked_ref::<js_sys::Function>(),
        &js_sys::Array::of1(buffer),
    )
}
