//! Delivery to the typed handlers of [`on_open`](crate::WebSocketHandle::on_open) and friends,
//! in registration order, with the backlog hand-off for late message handlers.
//!
//! [`Shared::add_handler`] installs [`deliver_to_handlers`] in the socket, and the socket
//! reaches this module only through that function pointer: an application that never
//! registers a handler does not link any of it.

use std::rc::{Rc, Weak};

use wasm_bindgen_futures::spawn_local;

use crate::socket::conn::handlers::{Callback, HandlerGuard, Kind};
use crate::socket::conn::Shared;
use crate::util::handlers::call;
use crate::util::inbox::Reader;
use crate::{CloseEvent, JsMessage, Message};

/// An event for the handlers, after the stream and the waiting futures have had theirs.
pub(crate) enum ForHandlers<'a> {
    Open,
    /// A message (the stream gets its share here, as it depends on the handlers).
    Message(JsMessage),
    /// The browser's `error` event.
    Error,
    /// A message that could not be taken (a Blob that could not be read, one over the
    /// receive limit): its error took its place in the stream.
    Failure(&'a crate::Error),
    Close(&'a CloseEvent),
}

/// What a socket calls to deliver an event to its handlers.
pub(crate) type HandlerDelivery = fn(&Rc<Shared>, ForHandlers<'_>);

fn deliver_to_handlers(shared: &Rc<Shared>, event: ForHandlers<'_>) {
    if shared.inner_ref().backlog_handoff {
        shared.hand_off_backlog();
    }
    match event {
        ForHandlers::Open => shared.dispatch(Kind::Open, &mut |callback, _| {
            if let Callback::Open(f) = callback {
                call(f, |f| f());
            }
        }),
        ForHandlers::Message(message) => shared.deliver_message(message),
        ForHandlers::Error => shared.dispatch_error(None),
        ForHandlers::Failure(error) => shared.dispatch_error(Some(error)),
        ForHandlers::Close(close) => shared.dispatch(Kind::Close, &mut |callback, _| {
            if let Callback::Close(f) = callback {
                call(f, |f| f(close.clone()));
            }
        }),
    }
}

impl Shared {
    fn deliver_message(self: &Rc<Self>, message: JsMessage) {
        let (handlers, claimed) = {
            let inner = self.inner_ref();
            (
                inner.handlers.count(|c| c.kind() == Kind::Message),
                inner.inbox.reader() == Reader::Claimed,
            )
        };
        if handlers == 0 {
            return self.queue_for_stream(Ok(message));
        }
        // Handlers and a claimed stream both get it (sharing the JS values costs no copy).
        if claimed {
            self.queue_for_stream(Ok(message.clone()));
        }
        self.dispatch_message_to_handlers(message);
    }

    /// Gives a message to every message handler in registration order: JS-value handlers get
    /// the browser's values; typed handlers share one copy into wasm memory, made only if one
    /// of them exists (the last one takes it, the others get clones).
    fn dispatch_message_to_handlers(self: &Rc<Self>, message: JsMessage) {
        let mut copied: Option<Message> = None;
        self.dispatch(Kind::Message, &mut |callback, is_last| match callback {
            Callback::JsMessage(f) => call(f, |f| f(message.clone())),
            Callback::Message(f) => {
                let copy = copied.get_or_insert_with(|| message.to_message());
                let argument = if is_last {
                    std::mem::replace(copy, Message::Binary(Vec::new()))
                } else {
                    copy.clone()
                };
                call(f, |f| f(argument));
            }
            _ => {}
        });
    }

    /// Runs the error handlers; failure handlers too when a message failed.
    fn dispatch_error(self: &Rc<Self>, failure: Option<&crate::Error>) {
        self.dispatch(Kind::Error, &mut |callback, _| match (callback, failure) {
            (Callback::Error(f), _) => call(f, |f| f()),
            (Callback::Failure(f), Some(error)) => call(f, |f| f(error)),
            _ => {}
        });
    }

    /// Calls each handler of `kind` registered before dispatch began, in registration order,
    /// skipping any whose guard was dropped meanwhile (even by an earlier handler). Stops when
    /// an earlier handler dropped the socket's last handle ([`still_held`](Shared::still_held)):
    /// the handlers go with the socket.
    fn dispatch(self: &Rc<Self>, kind: Kind, invoke: &mut dyn FnMut(&Callback, bool)) {
        let upto = crate::util::ids::last_id();
        let mut after = 0;
        while self.still_held() {
            let (current, is_last) = {
                let inner = self.inner_ref();
                let of_kind = |c: &Callback| c.kind() == kind;
                let Some((id, callback)) = inner.handlers.next(after, upto, of_kind) else {
                    return;
                };
                let is_last = inner.handlers.next(id, upto, of_kind).is_none();
                ((id, callback), is_last)
            };
            after = current.0;
            invoke(&current.1, is_last);
        }
    }

    /// Registers a handler. The first message handler of a socket whose stream was never
    /// polled also receives, on the next microtask, the messages that waited for a consumer.
    /// After the close was delivered nothing can fire, so nothing is stored.
    pub(crate) fn add_handler(self: &Rc<Self>, callback: Callback) -> HandlerGuard {
        let is_message = matches!(callback, Callback::Message(_) | Callback::JsMessage(_));
        let registered = {
            let mut inner = self.inner_mut();
            if inner.phase.is_closed() {
                None
            } else {
                let id = inner.handlers.add(callback);
                let hand_off = is_message
                    && inner.inbox.reader() == Reader::Unclaimed
                    && !inner.backlog_handoff
                    && !inner.inbox.is_empty();
                inner.backlog_handoff |= hand_off;
                Some((id, hand_off))
            }
        };
        debug_assert!(
            registered.is_some() || self.inner_ref().handlers.count(|_| true) == 0,
            "a closed socket stores no handler"
        );
        let Some((id, hand_off)) = registered else {
            return HandlerGuard {
                shared: Weak::new(),
                id: 0,
            };
        };
        if hand_off {
            let weak = Rc::downgrade(self);
            spawn_local(async move {
                if let Some(shared) = weak.upgrade() {
                    shared.hand_off_backlog();
                }
            });
        }
        self.handler_delivery.set(Some(deliver_to_handlers));
        HandlerGuard {
            shared: Rc::downgrade(self),
            id,
        }
    }

    /// Hands messages that waited for a consumer to the message handlers (unless the stream
    /// claimed them by being polled first). Runs before any later event is delivered. Errors in
    /// the backlog were already reported to error handlers when they happened.
    fn hand_off_backlog(self: &Rc<Self>) {
        loop {
            let next = {
                let mut inner = self.inner_mut();
                let waiting = if inner.handlers.count(|c| c.kind() == Kind::Message) == 0 {
                    None
                } else {
                    inner.inbox.pop_unclaimed()
                };
                if waiting.is_none() {
                    inner.backlog_handoff = false;
                }
                waiting
            };
            match next {
                Some(Ok(message)) => self.dispatch_message_to_handlers(message),
                Some(Err(_)) => {}
                None => return,
            }
        }
    }
}
