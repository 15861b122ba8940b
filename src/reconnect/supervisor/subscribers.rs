//! Who hears from a reconnecting connection: its stream (one [`Inbox`](crate::util::inbox::Inbox)
//! over every socket), its message handlers and its state handlers, each walked from the live
//! list by the rules in `ARCHITECTURE.md`.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;
use std::task::Waker;

use super::Supervisor;
use crate::util::handlers::call;
use crate::{ConnectionState, Error, Message};

pub(super) type MessageHandler = Rc<RefCell<dyn FnMut(Message)>>;
pub(super) type StateHandler = Rc<StateListener>;
type StateFn = Box<dyn FnMut(&ConnectionState)>;

/// A state handler and its queue of transitions, each queued for all before any runs: every
/// handler sees every transition once, in order, even one it causes (ARCHITECTURE.md, Re-entrancy).
pub(crate) struct StateListener {
    handler: RefCell<StateFn>,
    pending: RefCell<VecDeque<ConnectionState>>,
    /// Cleared when its guard is dropped: from then on it sees nothing, even what was queued.
    active: Cell<bool>,
}

impl StateListener {
    pub(crate) fn new(handler: impl FnMut(&ConnectionState) + 'static) -> Rc<Self> {
        Rc::new(StateListener {
            handler: RefCell::new(Box::new(handler)),
            pending: RefCell::new(VecDeque::new()),
            active: Cell::new(true),
        })
    }

    fn push(&self, state: &ConnectionState) {
        self.pending.borrow_mut().push_back(state.clone());
    }

    fn drain(&self) {
        let Ok(mut handler) = self.handler.try_borrow_mut() else {
            return; // running further up the stack: it drains when it returns
        };
        while self.active.get() {
            let next = self.pending.borrow_mut().pop_front();
            let Some(state) = next else { return };
            handler(&state);
        }
        self.pending.borrow_mut().clear();
    }
}

pub(super) fn wake(waker: Option<Waker>) {
    if let Some(waker) = waker {
        waker.wake();
    }
}

impl Supervisor {
    /// Records and reports a transition to every state handler; waiting Sinks re-check.
    pub(super) fn set_state(&self, state: ConnectionState) {
        let listeners: Vec<StateHandler> = {
            let mut inner = self.inner.borrow_mut();
            inner.reported = state.clone();
            let upto = crate::util::ids::last_id();
            let mut listeners = Vec::new();
            let mut after = 0;
            while let Some((id, listener)) = inner.states.next(after, upto, |_| true) {
                after = id;
                listeners.push(listener);
            }
            listeners
        };
        self.ready_waiters.wake_all();
        for listener in &listeners {
            listener.push(&state);
        }
        for listener in &listeners {
            listener.drain();
        }
    }

    /// A message from the current socket: a heartbeat reply is consumed, others delivered.
    pub(super) fn received(&self, generation: u64, message: Message) {
        if !self.inner.borrow().is_current(generation) || self.sign_of_life(&message) {
            return;
        }
        self.deliver(Ok(message));
    }

    /// A message the current socket could not take: its error goes to the stream in its place.
    pub(super) fn failed(&self, generation: u64, error: &Error) {
        {
            let mut inner = self.inner.borrow_mut();
            if !inner.is_current(generation) {
                return;
            }
            if let (Error::MessageTooBig { .. }, Some(socket)) = (error, inner.socket_mut()) {
                socket.refused = true;
            }
        }
        self.deliver(Err(error.clone()));
    }

    /// To the stream if it keeps it, then to the handlers registered before this began, skipping
    /// removed ones; the last gets the message, the others copies (ARCHITECTURE.md, Re-entrancy).
    fn deliver(&self, item: Result<Message, Error>) {
        let (upto, keeps, handlers) = {
            let inner = self.inner.borrow();
            let handlers = inner.messages.count(|_| true) > 0;
            (
                crate::util::ids::last_id(),
                inner.inbox.keeps(handlers),
                handlers,
            )
        };
        let mut message = match item {
            Ok(message) if keeps && handlers => {
                self.to_stream(Ok(message.clone()));
                message
            }
            item if keeps => return self.to_stream(item),
            Ok(message) => message,
            Err(_) => return,
        };
        let mut after = 0;
        loop {
            let next = {
                let inner = self.inner.borrow();
                inner
                    .messages
                    .next(after, upto, |_| true)
                    .map(|(id, handler)| {
                        let is_last = inner.messages.next(id, upto, |_| true).is_none();
                        (id, handler, is_last)
                    })
            };
            let Some((id, handler, is_last)) = next else {
                return;
            };
            after = id;
            if is_last {
                let message = std::mem::replace(&mut message, Message::Binary(Vec::new()));
                return call(&handler, |f| f(message));
            }
            call(&handler, |f| f(message.clone()));
        }
    }

    fn to_stream(&self, item: Result<Message, Error>) {
        let waker = self.inner.borrow_mut().inbox.push(item);
        wake(waker);
    }

    pub(crate) fn add_message_handler(&self, handler: MessageHandler) -> Option<u64> {
        let mut inner = self.inner.borrow_mut();
        (!inner.is_closed()).then(|| inner.messages.add(handler))
    }

    pub(crate) fn add_state_handler(&self, handler: StateHandler) -> Option<u64> {
        let mut inner = self.inner.borrow_mut();
        (!inner.is_closed()).then(|| inner.states.add(handler))
    }

    pub(crate) fn remove_handler(&self, id: u64) {
        let removed = self.inner.try_borrow_mut().ok().map(|mut inner| {
            let message = inner.messages.remove(id);
            let state = inner.states.remove(id);
            (message, state)
        });
        if let Some((_, Some(listener))) = &removed {
            listener.active.set(false);
        }
        drop(removed);
    }
}
