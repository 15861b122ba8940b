//! Delivery to the typed handlers of [`on_open`](crate::WebSocketHandle::on_open) and friends,
//! in registration order, with the backlog hand-off for late message handlers. The socket reaches
//! it only through [`deliver_to_handlers`], installed by [`Shared::add_handler`] (ARCHITECTURE.md,
//! Size techniques).

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
    /// A message refused (unreadable Blob, over the limit); its error took its place in the stream.
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

    /// To every message handler in order; typed ones share one copy into wasm memory, made only
    /// if one exists (the last takes it, the others get clones).
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

    /// Calls the handlers of `kind` registered before it began, skipping removed ones, until the
    /// socket is no longer [`still_held`](Shared::still_held) (ARCHITECTURE.md, Re-entrancy).
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

    /// Registers a handler (none once closed); a first message handler gets the unclaimed
    /// backlog on the next microtask.
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

    /// Hands the unclaimed backlog to the message handlers before any later event; its errors
    /// (refusals) are dropped: only error handlers registered at the time saw them.
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
