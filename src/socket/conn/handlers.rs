//! Typed handler registrations and the guards that remove them.

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use crate::socket::conn::Shared;
use crate::util::lazy_box::LazyBox;
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
    /// Also of [`Kind::Error`]: a message the socket could not take, with the error that
    /// took its place in the stream (the reconnect supervisor's stream needs it).
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
    fn kind(&self) -> Kind {
        match self {
            Callback::Open(_) => Kind::Open,
            Callback::Message(_) | Callback::JsMessage(_) => Kind::Message,
            Callback::Error(_) | Callback::Failure(_) => Kind::Error,
            Callback::Close(_) => Kind::Close,
        }
    }
}

/// Handlers in registration order; ids only grow, so "registered after" is "larger id". The
/// list is a [`LazyBox`]: an application that registers no handler links neither it nor its
/// drop.
#[derive(Default)]
pub(crate) struct Handlers {
    /// Each registration with its id, from [`crate::util::ids::next_id`]: ids grow in
    /// registration order.
    entries: LazyBox<Vec<(u64, Callback)>>,
}

/// Every registration of a socket, taken out to be dropped outside any borrow.
pub(crate) type Released = LazyBox<Vec<(u64, Callback)>>;

impl Handlers {
    pub(crate) fn add(&mut self, callback: Callback) -> u64 {
        let id = crate::util::ids::next_id().get();
        self.entries.get_or_default().push((id, callback));
        id
    }

    /// Removes a registration and hands back its callback, so the caller can drop it (and
    /// whatever it captured) outside any borrow.
    pub(crate) fn remove(&mut self, id: u64) -> Option<Callback> {
        let entries = self.entries.get_mut()?;
        let index = entries.iter().position(|(entry, _)| *entry == id)?;
        Some(entries.remove(index).1)
    }

    pub(crate) fn count(&self, kind: Kind) -> usize {
        self.entries.get().map_or(0, |entries| {
            entries
                .iter()
                .filter(|(_, callback)| callback.kind() == kind)
                .count()
        })
    }

    /// The first handler of `kind` registered after `after` and no later than `upto`.
    pub(crate) fn next(&self, kind: Kind, after: u64, upto: u64) -> Option<(u64, Callback)> {
        self.entries
            .get()?
            .iter()
            .find(|(id, callback)| *id > after && *id <= upto && callback.kind() == kind)
            .map(|(id, callback)| (*id, callback.clone()))
    }

    /// Takes every registration (when the close was delivered or the socket goes away).
    pub(crate) fn take_all(&mut self) -> Released {
        self.entries.take()
    }
}

/// Owns one handler registered with [`on_open`], [`on_message`], [`on_error`] or [`on_close`];
/// dropping it unregisters the handler, which then never runs again.
///
/// Modelled on [`gloo_events::EventListener`]: the socket owns one browser listener for its
/// four events (`addEventListener`, removed when the socket goes), and every handler is
/// dispatched from it in arrival order (a Blob message is only delivered once read, and
/// `close` after it), so one socket has the same one listener however many handlers it has.
/// The socket's raw `on*` properties are never touched, so other code may still use them.
///
/// A guard does not keep its socket alive: when the last [`WebSocket`](crate::WebSocket)
/// handle is dropped the socket closes and the guard becomes inert.
///
/// [`gloo_events::EventListener`]: https://docs.rs/gloo-events/0.3/gloo_events/struct.EventListener.html
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
