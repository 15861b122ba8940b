//! Futures that wait for the connection to open or end.

use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use crate::shared::Shared;
use crate::{CloseEvent, Error};

/// Resolves with the connection's final [`CloseEvent`]; see [`WebSocketHandle::closed`](crate::WebSocketHandle::closed).
#[must_use = "futures do nothing unless awaited"]
pub struct Closed {
    pub(crate) shared: Rc<Shared>,
}

impl std::fmt::Debug for Closed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Closed")
    }
}

impl Future for Closed {
    type Output = CloseEvent;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<CloseEvent> {
        self.shared.poll_closed(cx)
    }
}

/// Resolves when the socket opens, or with [`Error::ConnectFailed`] if it ends first.
pub(crate) struct Opened {
    pub(crate) shared: Rc<Shared>,
}

impl Future for Opened {
    type Output = Result<(), Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut inner = self.shared.inner.borrow_mut();
        if inner.opened {
            return Poll::Ready(Ok(()));
        }
        if let Some(close) = &inner.close {
            return Poll::Ready(Err(Error::ConnectFailed(close.clone())));
        }
        inner.wait_for_lifecycle(cx.waker());
        Poll::Pending
    }
}

impl Shared {
    pub(crate) fn poll_closed(&self, cx: &mut Context<'_>) -> Poll<CloseEvent> {
        let mut inner = self.inner.borrow_mut();
        if let Some(close) = &inner.close {
            return Poll::Ready(close.clone());
        }
        inner.wait_for_lifecycle(cx.waker());
        Poll::Pending
    }
}
