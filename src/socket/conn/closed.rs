//! How a connection ended, and the futures that wait for it to open or end.

use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use crate::socket::conn::Shared;
use crate::util::listener::listen;
use crate::util::wakers::{WaiterKey, WakerSet};
use crate::{CloseEvent, Error};

/// What the listener of a dropped socket's [`Closed`] futures listens for.
const CLOSE_EVENT: [&str; 1] = ["close"];

/// [`Ending::listen_after_drop`]'s signature.
type ListenAfterDrop = fn(&Rc<Ending>, &web_sys::WebSocket);

/// A socket's final close event, apart from it so that waiting does not keep the socket alive.
#[derive(Default)]
pub(crate) struct Ending {
    /// Taken out and put back by each read, with no user code between: no borrow flag.
    event: Cell<Option<CloseEvent>>,
    waiters: WakerSet,
    /// After the socket is dropped, the browser's `close` event still resolves waiters.
    listener_after_drop: Cell<Option<[gloo_events::EventListener; 1]>>,
    /// [`Ending::listen_after_drop`], set by [`Closed::of`] (ARCHITECTURE.md, Size techniques).
    after_drop: Cell<Option<ListenAfterDrop>>,
    /// The slot of the one Sink (the socket or its sending half) waiting in `poll_close`.
    pub(crate) sink_close_key: WaiterKey,
}

impl Ending {
    pub(crate) fn get(&self) -> Option<CloseEvent> {
        let event = self.event.take();
        let copy = event.clone();
        self.event.set(event);
        copy
    }

    pub(crate) fn is_set(&self) -> bool {
        let event = self.event.take();
        let set = event.is_some();
        self.event.set(event);
        set
    }

    pub(crate) fn set(&self, event: CloseEvent) {
        drop(self.event.replace(Some(event)));
        self.waiters.wake_all();
    }

    /// After the socket's drop, keeps listening for the final event if a [`Closed`] was ever made.
    pub(crate) fn follow_after_drop(self: &Rc<Self>, raw: &web_sys::WebSocket) {
        if let Some(listen) = self.after_drop.get() {
            listen(self, raw);
        }
    }

    /// Listens for the final event after the socket's drop, so [`Closed`] futures get the real one.
    pub(crate) fn listen_after_drop(self: &Rc<Self>, raw: &web_sys::WebSocket) {
        let ending = Rc::downgrade(self);
        let listener = listen(raw, CLOSE_EVENT, move |event: &web_sys::Event| {
            if let Some(ending) = ending.upgrade() {
                ending.set(crate::socket::conn::close_event_from(event));
            }
        });
        self.listener_after_drop.set(Some(listener));
    }

    pub(crate) fn poll(&self, key: &WaiterKey, cx: &mut Context<'_>) -> Poll<CloseEvent> {
        if let Some(event) = self.get() {
            self.waiters.remove(key);
            return Poll::Ready(event);
        }
        self.waiters.register(key, cx.waker());
        Poll::Pending
    }

    pub(crate) fn forget(&self, key: &WaiterKey) {
        self.waiters.remove(key);
    }
}

/// Resolves with the connection's final [`CloseEvent`]; see
/// [`WebSocketHandle::closed`](crate::WebSocketHandle::closed). It does not keep the socket
/// alive: if every handle is dropped first, the socket closes and this still resolves with the
/// browser's final event.
#[must_use = "futures do nothing unless awaited"]
pub struct Closed {
    pub(crate) ending: Rc<Ending>,
    pub(crate) key: WaiterKey,
}

impl Closed {
    /// A future for `ending`'s event.
    pub(crate) fn of(ending: &Rc<Ending>) -> Closed {
        ending.after_drop.set(Some(Ending::listen_after_drop));
        Closed {
            ending: Rc::clone(ending),
            key: WaiterKey::default(),
        }
    }
}

impl std::fmt::Debug for Closed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Closed")
            .field("ended", &self.ending.is_set())
            .finish()
    }
}

impl Future for Closed {
    type Output = CloseEvent;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<CloseEvent> {
        self.ending.poll(&self.key, cx)
    }
}

impl Drop for Closed {
    fn drop(&mut self) {
        self.ending.forget(&self.key);
    }
}

/// Resolves when the socket opens, or with [`Error::ConnectFailed`] if it ends first.
pub(crate) struct Opened {
    pub(crate) shared: Rc<Shared>,
    pub(crate) key: WaiterKey,
}

impl Future for Opened {
    type Output = Result<(), Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        if self.shared.inner_ref().phase.opened() {
            return Poll::Ready(Ok(()));
        }
        if let Some(close) = self.shared.close_event() {
            return Poll::Ready(Err(Error::ConnectFailed(close)));
        }
        self.shared.open_waiters.register(&self.key, cx.waker());
        Poll::Pending
    }
}

impl Drop for Opened {
    fn drop(&mut self) {
        self.shared.open_waiters.remove(&self.key);
    }
}
