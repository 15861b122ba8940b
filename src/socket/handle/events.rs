//! The socket's event handlers: closures owned by a [`HandlerGuard`], one per registration.

use std::cell::RefCell;
use std::rc::Rc;

use super::WebSocketHandle;
use crate::socket::conn::handlers::{Callback, HandlerGuard};
use crate::{CloseEvent, Error, JsMessage, Message};

impl WebSocketHandle {
    /// Runs `handler` when the connection opens ([MDN `open` event](https://developer.mozilla.org/en-US/docs/Web/API/WebSocket/open_event))
    /// until the guard is dropped.
    pub fn on_open(&self, handler: impl FnMut() + 'static) -> HandlerGuard {
        self.shared
            .add_handler(Callback::Open(Rc::new(RefCell::new(handler))))
    }

    /// Runs `handler` for each message, in arrival order in both binary types
    /// ([MDN `message` event](https://developer.mozilla.org/en-US/docs/Web/API/WebSocket/message_event)),
    /// until the guard is dropped. Several handlers each get every message.
    ///
    /// Messages that arrived before any consumer existed are handed to the message handlers on
    /// the next microtask (before any later event), unless the stream was polled first. While
    /// handlers exist and the stream has never been polled, the stream does not accumulate
    /// messages. Once the close was delivered, registering does nothing: the guard is inert,
    /// and any unread backlog stays with the stream.
    ///
    /// A handler that captures a handle to its own socket keeps the socket alive until the
    /// close is delivered (all handlers are released then); capture a
    /// [`downgrade`](Self::downgrade)d handle to avoid that.
    ///
    /// ```no_run
    /// # fn demo(socket: &browser_ws::WebSocket) {
    /// let guard = socket.on_message(|message| match message {
    ///     browser_ws::Message::Text(text) => println!("text: {text}"),
    ///     browser_ws::Message::Binary(bytes) => println!("{} bytes", bytes.len()),
    /// });
    /// // Keep `guard` as long as the handler should run.
    /// # drop(guard); }
    /// ```
    pub fn on_message(&self, handler: impl FnMut(Message) + 'static) -> HandlerGuard {
        self.shared
            .add_handler(Callback::Message(Rc::new(RefCell::new(handler))))
    }

    /// Like [`on_message`](Self::on_message), but hands over each message as the browser's own
    /// JS values ([`JsMessage`]): no copy into wasm memory, for data that goes straight on to
    /// other JS. Same order, backlog and guard rules; handlers of both kinds may coexist, and
    /// the copy for typed handlers is only made if one exists.
    pub fn on_js_message(&self, handler: impl FnMut(JsMessage) + 'static) -> HandlerGuard {
        self.shared
            .add_handler(Callback::JsMessage(Rc::new(RefCell::new(handler))))
    }

    /// Runs `handler` on the browser's `error` event ([MDN `error` event](https://developer.mozilla.org/en-US/docs/Web/API/WebSocket/error_event)),
    /// and when a received Blob cannot be read. Browsers give no detail by design; the close
    /// event that follows carries the code.
    pub fn on_error(&self, handler: impl FnMut() + 'static) -> HandlerGuard {
        self.shared
            .add_handler(Callback::Error(Rc::new(RefCell::new(handler))))
    }

    /// Runs `handler` with the error that took a refused message's place (for the supervisor).
    pub(crate) fn on_failure(&self, handler: impl FnMut(&Error) + 'static) -> HandlerGuard {
        self.shared
            .add_handler(Callback::Failure(Rc::new(RefCell::new(handler))))
    }

    /// Runs `handler` with the final [`CloseEvent`] ([MDN `close` event](https://developer.mozilla.org/en-US/docs/Web/API/WebSocket/close_event)),
    /// after every earlier message was delivered.
    pub fn on_close(&self, handler: impl FnMut(CloseEvent) + 'static) -> HandlerGuard {
        self.shared
            .add_handler(Callback::Close(Rc::new(RefCell::new(handler))))
    }
}
