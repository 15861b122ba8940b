//! Typed handler registrations and the guards that remove them.

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use crate::socket::conn::Shared;
use crate::util::handlers::HandlerList;
use crate::{CloseEvent, Error, JsMessage, Message};

/// A failure handler: the error that took a message's place.
pub(crate) type FailureFn = dyn FnMut(&Error);

/// A registered callback, by event kind.
#[derive(Clone)]
pub(crate) enum Callback {
    Open(Rc<RefCell<dyn FnMut()>>),
    Message(Rc<RefCell<dyn FnMut(Message)>>),
    /// Also of [`Kind::Message`]: the same messages, as the browser's values.
    JsMessage(Rc<RefCell<dyn FnMut(JsMessage)>>),
    Error(Rc<RefCell<dyn FnMut()>>),
    /// Also of [`Kind::Error`]: the error that took a refused message's place (for the supervisor).
    Failure(Rc<RefCell<FailureFn>>),
    Close(Rc<RefCell<dyn FnMut(CloseEvent)>>),
}

/// The event kind a callback listens to.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Open,
    Message,
    Error,
    Close,
}

impl Callback {
    pub(crate) fn kind(&self) -> Kind {
        match self {
            Callback::Open(_) => Kind::Open,
            Callback::Message(_) | Callback::JsMessage(_) => Kind::Message,
            Callback::Error(_) | Callback::Failure(_) => Kind::Error,
            Callback::Close(_) => Kind::Close,
        }
    }
}

/// A socket's handlers, of every kind ([`Callback::kind`] tells them apart).
pub(crate) type Handlers = HandlerList<Callback>;

/// Owns one handler registered with [`on_open`], [`on_message`], [`on_error`] or [`on_close`];
/// dropping it unregisters the handler, which then never runs again.
///
/// Modelled on [`gloo_events::EventListener`], which the socket itself listens with: one for
/// each of its four events (removed when the socket goes), and every handler is dispatched
/// from them in arrival order (a Blob message is only delivered once read, and `close` after
/// it), so one socket has the same four listeners however many handlers it has.
/// The socket's raw `on*` properties are never touched, so other code may still use them.
///
/// A guard does not keep its socket alive: when the last [`WebSocket`](crate::WebSocket)
/// handle is dropped the socket closes and the guard becomes inert.
///
/// [`gloo_events::EventListener`]: https://docs.rs/gloo-events/0.2/gloo_events/struct.EventListener.html
/// [`on_open`]: crate::WebSocketHandle::on_open
/// [`on_message`]: crate::WebSocketHandle::on_message
/// [`on_error`]: crate::WebSocketHandle::on_error
/// [`on_close`]: crate::WebSocketHandle::on_close
#[must_use = "the handler is removed as soon as its guard is dropped"]
pub struct HandlerGuard {
    pub(crate) shared: Weak<Shared>,
    pub(crate) id: u64,
}

impl std::fmt::Debug for HandlerGuard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HandlerGuard")
            .field("id", &self.id)
            .field("socket_alive", &(self.shared.strong_count() > 0))
            .finish()
    }
}

impl Drop for HandlerGuard {
    fn drop(&mut self) {
        if let Some(shared) = self.shared.upgrade() {
            let removed = shared
                .inner
                .try_borrow_mut()
                .ok()
                .and_then(|mut inner| inner.handlers.remove(self.id));
            drop(removed);
        }
    }
}
