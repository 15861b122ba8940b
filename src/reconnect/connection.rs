//! The public reconnecting connection: [`ReconnectingWebSocket`] (a `Stream` and `Sink` that
//! outlive any one socket), its cheap [`ReconnectingHandle`], and the subscriptions.

use std::ops::Deref;
use std::pin::Pin;
use std::rc::{Rc, Weak};
use std::task::{Context, Poll};

use futures_core::{FusedStream, Stream};

use super::endpoint::{Endpoint, Target};
use super::options::ReconnectOptions;
use super::status::{ConnectionState, Delivery};
use super::supervisor::Supervisor;
use crate::{CloseCode, Closed, Error, Message, WeakWebSocketHandle};

mod subscription;
pub use subscription::{ConnectionStates, SubscriptionGuard};

/// A WebSocket connection that survives disconnections: it reconnects with exponential
/// backoff and full jitter, queues messages sent while not open and sends them first on the
/// next open, can watch the connection with a heartbeat, and applies `bufferedAmount`
/// backpressure in its `Sink`. It is a `Stream` of the messages of every successive socket,
/// in order, and through `Deref` a [`ReconnectingHandle`].
///
/// It ends (closed for good) after [`close`](ReconnectingHandle::close), which also cancels
/// any pending retry, when the `should_reconnect` predicate declines, or when the retries
/// run out. Dropping the last `ReconnectingWebSocket` or handle closes the current socket with
/// 1000 and cancels every timer.
///
/// ```no_run
/// use std::time::Duration;
/// use browser_ws::{ConnectionState, ReconnectOptions, ReconnectingWebSocket};
/// use futures::StreamExt;
///
/// # async fn demo() -> Result<(), browser_ws::Error> {
/// let mut live = ReconnectingWebSocket::open("/feed", ReconnectOptions::new())?;
/// let _states = live.on_state(|state| {
///     if let ConnectionState::Reconnecting { attempt, delay, .. } = state {
///         println!("retry {attempt} in {delay:?}");
///     }
/// });
/// live.send("subscribe prices")?; // queued until open, then sent first
/// while let Some(message) = live.next().await {
///     println!("{:?}", message?);
/// }
/// # Ok(()) }
/// ```
pub struct ReconnectingWebSocket {
    pub(super) handle: ReconnectingHandle,
    _stream: StreamClaim,
}

/// A cheap, clonable handle to a [`ReconnectingWebSocket`]: send, close, state, queue,
/// handlers. Like the connection itself, a handle keeps the connection alive; capture a
/// [`downgrade`](Self::downgrade)d one in long-lived callbacks.
#[derive(Clone)]
pub struct ReconnectingHandle {
    pub(crate) supervisor: Rc<Supervisor>,
}

/// A [`ReconnectingHandle`] that does not keep the connection alive.
#[derive(Clone, Debug, Default)]
pub struct WeakReconnectingHandle {
    supervisor: Weak<Supervisor>,
}

impl WeakReconnectingHandle {
    /// The handle, if the connection still exists.
    #[must_use]
    pub fn upgrade(&self) -> Option<ReconnectingHandle> {
        self.supervisor
            .upgrade()
            .map(|supervisor| ReconnectingHandle { supervisor })
    }
}

/// Tells the supervisor nobody reads the stream once the connection value is dropped.
struct StreamClaim {
    supervisor: Weak<Supervisor>,
}

impl Drop for StreamClaim {
    fn drop(&mut self) {
        if let Some(supervisor) = self.supervisor.upgrade() {
            let released = supervisor.inner.borrow_mut().inbox.release();
            drop(released);
        }
    }
}

impl std::fmt::Debug for ReconnectingHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReconnectingHandle")
            .field("state", &self.state())
            .field("queued_messages", &self.queued_messages())
            .finish()
    }
}

impl std::fmt::Debug for ReconnectingWebSocket {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("ReconnectingWebSocket")
            .field(&self.handle)
            .finish()
    }
}

impl Deref for ReconnectingWebSocket {
    type Target = ReconnectingHandle;

    fn deref(&self) -> &ReconnectingHandle {
        &self.handle
    }
}

impl ReconnectingWebSocket {
    /// Starts connecting to `url` (resolved like [`WebSocket::open`](crate::WebSocket::open))
    /// and keeps the connection up as `options` say.
    ///
    /// # Errors
    /// Synchronously, as [`WebSocket::open_with_protocols`](crate::WebSocket::open_with_protocols):
    /// [`Error::InvalidUrl`], [`Error::InvalidProtocol`], [`Error::Security`] or
    /// [`Error::Js`]. Connection failures are not errors here: they are retried and reported
    /// as [`ConnectionState`]s.
    pub fn open(url: &str, options: ReconnectOptions) -> Result<ReconnectingWebSocket, Error> {
        ReconnectingWebSocket::start(Target::Fixed(Endpoint::new(url)), options)
    }

    /// Like [`open`](Self::open), but every attempt connects where `provider` says, called
    /// anew before each attempt: a URL (`String`, `&str`) or an [`Endpoint`] with its own
    /// subprotocols, so a short-lived token in the query string or a subprotocol is fresh for
    /// each connection. A provider that returns an error (any `Display`), or an endpoint that
    /// cannot be used, fails that attempt as [`Disconnect::Provider`](crate::Disconnect::Provider)
    /// (the cause in the [`Reconnecting`](ConnectionState::Reconnecting) state and the
    /// [`policy`](ReconnectOptions::policy)'s context), and the policy decides what follows.
    /// The first call happens on the microtask after this returns.
    ///
    /// # Errors
    /// [`Error::InvalidOption`] for a zero timeout; everything else is a failed attempt.
    ///
    /// ```no_run
    /// use browser_ws::{ReconnectOptions, ReconnectingWebSocket};
    ///
    /// # fn token() -> Result<String, String> { Ok("abc".into()) }
    /// let live = ReconnectingWebSocket::open_with(
    ///     || token().map(|token| format!("/feed?token={token}")),
    ///     ReconnectOptions::new(),
    /// )?;
    /// # Ok::<(), browser_ws::Error>(())
    /// ```
    pub fn open_with<F, R, E>(
        provider: F,
        options: ReconnectOptions,
    ) -> Result<ReconnectingWebSocket, Error>
    where
        F: FnMut() -> Result<R, E> + 'static,
        R: Into<Endpoint>,
        E: std::fmt::Display,
    {
        ReconnectingWebSocket::start(Target::sync(provider), options)
    }

    /// Like [`open_with`](Self::open_with), with an async provider: a closure returning a
    /// future (a token fetched over HTTP, say). The future of an attempt that is abandoned (a
    /// [`close`](ReconnectingHandle::close), the connect timeout, the connection dropped) is
    /// dropped with it.
    ///
    /// # Errors
    /// [`Error::InvalidOption`] for a zero timeout; everything else is a failed attempt.
    ///
    /// ```no_run
    /// use browser_ws::{Endpoint, ReconnectOptions, ReconnectingWebSocket};
    ///
    /// # async fn fetch_token() -> Result<String, String> { Ok("abc".into()) }
    /// let live = ReconnectingWebSocket::open_with_async(
    ///     || async {
    ///         let token = fetch_token().await?;
    ///         Ok::<_, String>(Endpoint::new("/feed").protocols([format!("token.{token}")]))
    ///     },
    ///     ReconnectOptions::new(),
    /// )?;
    /// # Ok::<(), browser_ws::Error>(())
    /// ```
    pub fn open_with_async<F, Fut, R, E>(
        provider: F,
        options: ReconnectOptions,
    ) -> Result<ReconnectingWebSocket, Error>
    where
        F: FnMut() -> Fut + 'static,
        Fut: std::future::Future<Output = Result<R, E>> + 'static,
        R: Into<Endpoint>,
        E: std::fmt::Display,
    {
        ReconnectingWebSocket::start(Target::future(provider), options)
    }

    fn start(target: Target, options: ReconnectOptions) -> Result<ReconnectingWebSocket, Error> {
        let supervisor = Supervisor::start(target, options)?;
        Ok(ReconnectingWebSocket {
            _stream: StreamClaim {
                supervisor: Rc::downgrade(&supervisor),
            },
            handle: ReconnectingHandle { supervisor },
        })
    }

    /// A clonable handle to this connection.
    #[must_use]
    pub fn handle(&self) -> ReconnectingHandle {
        self.handle.clone()
    }

    /// Makes the stream keep every message from now on, before its first poll (JS iterators).
    #[cfg(feature = "js")]
    pub(crate) fn claim_stream(&self) {
        self.handle.supervisor.inner.borrow_mut().inbox.claim();
    }

    /// Undoes [`claim_stream`](Self::claim_stream) when its consumer is gone, dropping what waited.
    #[cfg(feature = "js")]
    pub(crate) fn unclaim_stream(&self) {
        let released = self.handle.supervisor.inner.borrow_mut().inbox.unclaim();
        drop(released);
    }

    /// Sends a message; see [`ReconnectingHandle::send`]. For the Sink's async `send`, call
    /// `SinkExt::send(&mut connection, message)`.
    ///
    /// # Errors
    /// As [`ReconnectingHandle::send`].
    pub fn send(&self, message: impl Into<Message>) -> Result<Delivery, Error> {
        self.handle.send(message)
    }

    /// Closes with 1000 for good; see [`ReconnectingHandle::close`]. For the Sink's async
    /// `close`, call `SinkExt::close(&mut connection)`.
    ///
    /// # Errors
    /// As [`ReconnectingHandle::close`].
    pub fn close(&self) -> Result<(), Error> {
        self.handle.close()
    }
}

impl ReconnectingHandle {
    /// Sends `message` now if the connection is open (and nothing queued is still waiting),
    /// else appends it to the send queue, which is flushed in order when the next connection
    /// opens, before any later message. The client never sends a message twice.
    ///
    /// The WebSocket API has no delivery receipts: a message handed to the browser on a
    /// connection that then drops may be lost. Applications that need every message to arrive
    /// must acknowledge them at the application level.
    ///
    /// # Errors
    /// [`Error::QueueFull`] (with the message handed back) when queueing it would exceed the
    /// [`QueueLimits`](crate::QueueLimits); [`Error::NotOpen`] after [`close`](Self::close)
    /// or once closed for good.
    pub fn send(&self, message: impl Into<Message>) -> Result<Delivery, Error> {
        self.supervisor.send(message.into())
    }

    /// Closes with 1000 for good: cancels any pending retry or connect timeout, stops the
    /// heartbeat, and closes the current socket (aborting its handshake if connecting). The
    /// final state is [`ConnectionState::Closed`]. Queued messages stay queued, for
    /// [`take_queued`](Self::take_queued). Closing again does nothing.
    ///
    /// # Errors
    /// Only if the browser throws unexpectedly ([`Error::Js`]).
    pub fn close(&self) -> Result<(), Error> {
        self.supervisor.close(CloseCode::NORMAL, "")
    }

    /// Like [`close`](Self::close), with a code and reason for the server.
    ///
    /// # Errors
    /// [`Error::InvalidCloseCode`] unless the code is 1000 or 3000-4999;
    /// [`Error::ReasonTooLong`] for a reason over 123 UTF-8 bytes; both are checked before
    /// anything changes.
    pub fn close_with(&self, code: impl Into<CloseCode>, reason: &str) -> Result<(), Error> {
        self.supervisor.close(code.into(), reason)
    }

    /// What the connection is doing now.
    #[must_use]
    pub fn state(&self) -> ConnectionState {
        self.supervisor.inner.borrow().state().clone()
    }

    /// The resolved URL of the latest attempt: the fixed URL, or what the provider last
    /// returned (empty until it first did).
    #[must_use]
    pub fn url(&self) -> String {
        self.supervisor.inner.borrow().url.clone()
    }

    /// Resolves with the final close event once the connection is closed for good.
    pub fn closed(&self) -> Closed {
        Closed::of(&self.supervisor.ending)
    }

    /// The current socket (connecting or open), for its URL, protocol, `bufferedAmount` and
    /// so on. It is weak on purpose: a strong handle kept past a reconnect would keep an
    /// abandoned socket open.
    #[must_use]
    pub fn socket(&self) -> Option<WeakWebSocketHandle> {
        self.supervisor.socket().map(|socket| socket.downgrade())
    }

    /// How many messages wait in the send queue.
    #[must_use]
    pub fn queued_messages(&self) -> usize {
        self.supervisor.inner.borrow().queue.len()
    }

    /// How many payload bytes wait in the send queue.
    #[must_use]
    pub fn queued_bytes(&self) -> usize {
        self.supervisor.inner.borrow().queue.bytes()
    }

    /// A copy of the send queue, oldest first.
    #[must_use]
    pub fn queued(&self) -> Vec<Message> {
        self.supervisor.inner.borrow().queue.snapshot()
    }

    /// Empties the send queue and returns its messages, oldest first (for example to persist
    /// them after [`close`](Self::close)).
    pub fn take_queued(&self) -> Vec<Message> {
        let taken = self.supervisor.inner.borrow_mut().queue.take_all();
        self.supervisor.ready_waiters.wake_all();
        taken
    }

    /// A handle that does not keep the connection alive.
    #[must_use]
    pub fn downgrade(&self) -> WeakReconnectingHandle {
        WeakReconnectingHandle {
            supervisor: Rc::downgrade(&self.supervisor),
        }
    }
}

impl Stream for ReconnectingWebSocket {
    type Item = Result<Message, Error>;

    /// Messages of every successive socket, in order. Ends when the connection is closed for
    /// good; an unclean final ending the application did not ask for first yields one
    /// [`Error::ConnectionLost`] ([`Error::ConnectFailed`] if no connection ever opened).
    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let supervisor = &self.handle.supervisor;
        let mut inner = supervisor.inner.borrow_mut();
        if let Some(item) = inner.inbox.pop() {
            return Poll::Ready(Some(item));
        }
        if inner.is_closed() {
            inner.inbox.finish();
            return Poll::Ready(None);
        }
        let old = inner.inbox.wait(cx.waker());
        drop(inner);
        drop(old);
        Poll::Pending
    }
}

impl FusedStream for ReconnectingWebSocket {
    fn is_terminated(&self) -> bool {
        let inner = self.handle.supervisor.inner.borrow();
        inner.is_closed() && inner.inbox.is_empty()
    }
}
