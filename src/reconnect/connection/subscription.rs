//! The reconnecting connection's subscriptions: message and state handlers owned by a
//! [`SubscriptionGuard`], and the [`ConnectionStates`] stream.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::pin::Pin;
use std::rc::{Rc, Weak};
use std::task::{Context, Poll, Waker};

use futures_core::{FusedStream, Stream};

use super::ReconnectingHandle;
use crate::reconnect::status::ConnectionState;
use crate::reconnect::supervisor::{StateListener, Supervisor};
use crate::Message;

impl ReconnectingHandle {
    /// Runs `handler` for every message of every successive socket (heartbeat replies
    /// excepted) until the guard is dropped or the connection is closed for good. While
    /// handlers exist and the stream has never been polled, the stream keeps nothing.
    pub fn on_message(&self, handler: impl FnMut(Message) + 'static) -> SubscriptionGuard {
        let id = self
            .supervisor
            .add_message_handler(Rc::new(RefCell::new(handler)));
        SubscriptionGuard {
            supervisor: Rc::downgrade(&self.supervisor),
            id,
        }
    }

    /// Runs `handler` on every [`ConnectionState`] transition until the guard is dropped; the
    /// last call is [`ConnectionState::Closed`].
    pub fn on_state(&self, handler: impl FnMut(&ConnectionState) + 'static) -> SubscriptionGuard {
        let id = self
            .supervisor
            .add_state_handler(StateListener::new(handler));
        SubscriptionGuard {
            supervisor: Rc::downgrade(&self.supervisor),
            id,
        }
    }

    /// A `Stream` of states: the current one, then every transition; it ends after
    /// [`ConnectionState::Closed`].
    #[must_use]
    pub fn states(&self) -> ConnectionStates {
        let buffer = Rc::new(RefCell::new(StatesBuffer {
            states: VecDeque::from([self.state()]),
            waker: None,
            done: false,
        }));
        let sink = Rc::clone(&buffer);
        let guard = self.on_state(move |state| {
            let waker = {
                let mut buffer = sink.borrow_mut();
                buffer.states.push_back(state.clone());
                buffer.waker.take()
            };
            if let Some(waker) = waker {
                waker.wake();
            }
        });
        ConnectionStates {
            buffer,
            _guard: guard,
        }
    }
}

/// Owns a handler registered with [`ReconnectingHandle::on_message`] or
/// [`ReconnectingHandle::on_state`]; dropping it unregisters the handler. It does not keep
/// the connection alive.
#[must_use = "the handler is removed as soon as its guard is dropped"]
pub struct SubscriptionGuard {
    supervisor: Weak<Supervisor>,
    id: Option<u64>,
}

impl std::fmt::Debug for SubscriptionGuard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SubscriptionGuard")
            .field("id", &self.id)
            .finish()
    }
}

impl Drop for SubscriptionGuard {
    fn drop(&mut self) {
        if let (Some(supervisor), Some(id)) = (self.supervisor.upgrade(), self.id) {
            supervisor.remove_handler(id);
        }
    }
}

struct StatesBuffer {
    states: VecDeque<ConnectionState>,
    waker: Option<Waker>,
    /// `Closed` was yielded: the stream is over.
    done: bool,
}

/// The `Stream` of [`ReconnectingHandle::states`].
pub struct ConnectionStates {
    buffer: Rc<RefCell<StatesBuffer>>,
    _guard: SubscriptionGuard,
}

impl std::fmt::Debug for ConnectionStates {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConnectionStates")
            .field("pending", &self.buffer.borrow().states.len())
            .finish()
    }
}

impl Stream for ConnectionStates {
    type Item = ConnectionState;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<ConnectionState>> {
        let mut buffer = self.buffer.borrow_mut();
        if buffer.done {
            return Poll::Ready(None);
        }
        if let Some(state) = buffer.states.pop_front() {
            buffer.done = state.is_closed();
            return Poll::Ready(Some(state));
        }
        buffer.waker = Some(cx.waker().clone());
        Poll::Pending
    }
}

impl FusedStream for ConnectionStates {
    fn is_terminated(&self) -> bool {
        self.buffer.borrow().done
    }
}
