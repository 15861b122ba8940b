//! `Stream` and `Sink` for the socket and its halves.

use std::ops::Deref;
use std::pin::Pin;
use std::rc::Weak;
use std::task::{Context, Poll};

use futures_core::{FusedStream, Stream};
use futures_sink::Sink;

use crate::socket::backpressure::Mark;
use crate::socket::conn::{Phase, Shared};
use crate::{Error, Message, State, WebSocket, WebSocketHandle};

impl Shared {
    /// Next message; an unclean close yields one error first, unless `close()` aborted connecting.
    fn poll_message(&self, cx: &mut Context<'_>) -> Poll<Option<Result<Message, Error>>> {
        let mut inner = self.inner_mut();
        if let Some(item) = inner.inbox.pop() {
            drop(inner);
            // The one copy into wasm memory, made outside the borrow.
            return Poll::Ready(Some(item.map(|message| message.to_message())));
        }
        if inner.inbox.is_done() {
            return Poll::Ready(None);
        }
        let Some(close) = self.close_event() else {
            let old = inner.inbox.wait(cx.waker());
            drop(inner);
            drop(old);
            return Poll::Pending;
        };
        inner.inbox.finish();
        let phase = inner.phase;
        debug_assert!(
            phase.is_closed(),
            "the ending is set as the close is delivered"
        );
        if close.was_clean || phase == Phase::Aborted {
            Poll::Ready(None)
        } else if phase.opened() {
            Poll::Ready(Some(Err(Error::ConnectionLost(close))))
        } else {
            Poll::Ready(Some(Err(Error::ConnectFailed(close))))
        }
    }

    /// Claims the stream before its first poll (a consumer committed to reading: the JS iterator).
    #[cfg_attr(not(feature = "js"), allow(dead_code))]
    pub(crate) fn claim_stream(&self) {
        self.inner_mut().inbox.claim();
    }

    /// Undoes [`claim_stream`](Self::claim_stream) when its consumer is gone, dropping what waited.
    #[cfg_attr(not(feature = "js"), allow(dead_code))]
    pub(crate) fn unclaim_stream(&self) {
        let released = self.inner_mut().inbox.unclaim();
        drop(released);
    }

    fn stream_terminated(&self) -> bool {
        let inner = self.inner_ref();
        inner.inbox.is_done() && inner.inbox.is_empty()
    }

    /// Ready once open with at most the high mark buffered (waits while connecting).
    pub(crate) fn poll_send_ready(&self, cx: &mut Context<'_>) -> Poll<Result<(), Error>> {
        match self.state() {
            State::Open => {
                let buffered = self.raw.buffered_amount();
                self.buffer.poll_at_most(buffered, Mark::High, cx).map(Ok)
            }
            State::Connecting => {
                let new = cx.waker().clone();
                let old = self.inner_mut().sink_waker.replace(new);
                drop(old);
                Poll::Pending
            }
            other => Poll::Ready(Err(Error::NotOpen(other))),
        }
    }

    /// Ready once at most the low mark is buffered; once closing or closed (no more draining),
    /// ready only if empty, else [`Error::NotOpen`].
    pub(crate) fn poll_send_flush(&self, cx: &mut Context<'_>) -> Poll<Result<(), Error>> {
        let buffered = self.raw.buffered_amount();
        match self.state() {
            State::Open => self.buffer.poll_at_most(buffered, Mark::Low, cx).map(Ok),
            State::Connecting => Poll::Ready(Ok(())),
            _ if buffered == 0 => Poll::Ready(Ok(())),
            other => Poll::Ready(Err(Error::NotOpen(other))),
        }
    }
}

/// Closes with 1000 if needed and waits for the end; an unclean one is not an error here.
fn poll_sink_close(handle: &WebSocketHandle, cx: &mut Context<'_>) -> Poll<Result<(), Error>> {
    if matches!(handle.state(), State::Connecting | State::Open) {
        handle.close()?;
    }
    let ending = handle.shared.ending();
    ending.poll(&ending.sink_close_key, cx).map(|_| Ok(()))
}

/// Owned by the socket's `Stream` (it or its receiving half); its drop stops queueing for it.
pub(crate) struct StreamOwner {
    pub(crate) shared: Weak<Shared>,
}

impl Drop for StreamOwner {
    fn drop(&mut self) {
        if let Some(shared) = self.shared.upgrade() {
            shared.release_stream();
        }
    }
}

/// The receiving half of [`WebSocket::split`]: a `Stream` of messages, and through `Deref` a
/// [`WebSocketHandle`].
pub struct WebSocketReceiver {
    pub(crate) handle: WebSocketHandle,
    pub(crate) _stream: StreamOwner,
}

impl std::fmt::Debug for WebSocketReceiver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("WebSocketReceiver")
            .field(&self.handle)
            .finish()
    }
}

/// The sending half of [`WebSocket::split`]: a `Sink` of messages, and through `Deref` a
/// [`WebSocketHandle`].
#[derive(Debug)]
pub struct WebSocketSender {
    pub(crate) handle: WebSocketHandle,
}

impl Deref for WebSocketReceiver {
    type Target = WebSocketHandle;

    fn deref(&self) -> &WebSocketHandle {
        &self.handle
    }
}

impl Deref for WebSocketSender {
    type Target = WebSocketHandle;

    fn deref(&self) -> &WebSocketHandle {
        &self.handle
    }
}

/// Implements `Stream` (received messages, in order) for a type with a `handle` field.
macro_rules! message_stream {
    ($type:ty) => {
        /// Received messages in arrival order. A clean close ends the stream; an unclean one
        /// yields one [`Error::ConnectionLost`] (or [`Error::ConnectFailed`] if it never
        /// opened) first. A Blob that cannot be read yields [`Error::BlobRead`] and the stream
        /// goes on.
        impl Stream for $type {
            type Item = Result<Message, Error>;

            fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
                self.handle.shared.poll_message(cx)
            }
        }

        impl FusedStream for $type {
            fn is_terminated(&self) -> bool {
                self.handle.shared.stream_terminated()
            }
        }
    };
}

/// Implements `Sink<Message>` for a type with a `handle` field.
macro_rules! message_sink {
    ($type:ty) => {
        /// Sends messages, with backpressure from the browser's send buffer
        /// ([`WebSocketHandle::buffered_amount`]) and the socket's [`Watermarks`](crate::Watermarks):
        /// `poll_ready` waits while connecting or while more than the high mark is buffered,
        /// and fails with [`Error::NotOpen`] once closing or closed; `poll_flush` waits until
        /// at most the low mark is buffered; `poll_close` closes the socket with 1000 and
        /// waits for the final close event.
        impl Sink<Message> for $type {
            type Error = Error;

            fn poll_ready(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<(), Error>> {
                self.handle.shared.poll_send_ready(cx)
            }

            fn start_send(self: Pin<&mut Self>, item: Message) -> Result<(), Error> {
                self.handle.send(item)
            }

            fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<(), Error>> {
                self.handle.shared.poll_send_flush(cx)
            }

            fn poll_close(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<(), Error>> {
                poll_sink_close(&self.handle, cx)
            }
        }
    };
}

/// Inherent `send`/`close`: without them, importing `SinkExt` makes `socket.send(..)` mean the
/// Sink's (trait methods win over `Deref`'s).
macro_rules! inherent_send_and_close {
    ($type:ty) => {
        impl $type {
            /// Sends a message; see [`WebSocketHandle::send`]. For the Sink's async `send`,
            /// call `SinkExt::send(&mut socket, message)`.
            ///
            /// # Errors
            /// [`Error::NotOpen`] unless the socket is open.
            pub fn send(&self, message: impl Into<Message>) -> Result<(), Error> {
                self.handle.send(message)
            }

            /// Closes with 1000; see [`WebSocketHandle::close`]. For the Sink's async `close`,
            /// call `SinkExt::close(&mut socket)`.
            ///
            /// # Errors
            /// Only if the browser throws unexpectedly ([`Error::Js`]).
            pub fn close(&self) -> Result<(), Error> {
                self.handle.close()
            }
        }
    };
}

inherent_send_and_close!(WebSocket);
inherent_send_and_close!(WebSocketSender);
inherent_send_and_close!(WebSocketReceiver);
message_stream!(WebSocket);
message_stream!(WebSocketReceiver);
message_sink!(WebSocket);
message_sink!(WebSocketSender);
