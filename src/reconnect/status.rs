//! What a reconnecting connection is doing, as reported to the application.

use std::time::Duration;

use crate::CloseEvent;

/// Why a connection (or a connection attempt) ended and a reconnect was scheduled.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Disconnect {
    /// The browser closed the socket: the server closed it, the network dropped it, or the
    /// handshake failed. Carries the browser's close event.
    Closed(CloseEvent),
    /// The handshake took longer than the connect timeout; the attempt was aborted.
    ConnectTimeout,
    /// No sign of life (a reply, or by default any message) arrived in time after a
    /// heartbeat ping left the browser; the connection was treated as dead and dropped.
    HeartbeatTimeout,
    /// A received message was larger than
    /// [`max_message_size`](crate::ReconnectOptions::max_message_size) (or than wasm memory
    /// could take), so browser-ws closed the connection (see [`Error::MessageTooBig`]).
    /// Carries the browser's close event.
    ///
    /// [`Error::MessageTooBig`]: crate::Error::MessageTooBig
    MessageTooBig(CloseEvent),
    /// The URL provider
    /// ([`ReconnectingWebSocket::open_with`](crate::ReconnectingWebSocket::open_with)) failed,
    /// returned an endpoint that cannot be used (a bad URL or subprotocol), or took longer than
    /// the connect timeout (that is [`ConnectTimeout`](Self::ConnectTimeout)); carries its
    /// error as text. A failed attempt like any other.
    Provider(String),
}

impl Disconnect {
    /// The browser's close event, for the endings that have one.
    #[must_use]
    pub fn close_event(&self) -> Option<&CloseEvent> {
        match self {
            Disconnect::Closed(event) | Disconnect::MessageTooBig(event) => Some(event),
            Disconnect::ConnectTimeout | Disconnect::HeartbeatTimeout | Disconnect::Provider(_) => {
                None
            }
        }
    }
}

/// What the reconnect policy
/// ([`ReconnectOptions::policy`](crate::ReconnectOptions::policy)) sees
/// about each ending the application did not ask for.
///
/// ```
/// use std::time::Duration;
/// use browser_ws::{CloseCode, CloseEvent, Disconnect, ReconnectContext};
///
/// let lost = CloseEvent { code: CloseCode::ABNORMAL, reason: String::new(), was_clean: false };
/// let context = ReconnectContext::new(Disconnect::Closed(lost), 1, Some(Duration::from_secs(90)));
/// assert_eq!(context.close_event().map(|event| event.code), Some(CloseCode::ABNORMAL));
/// assert_eq!(context.failures, 1);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ReconnectContext {
    /// Why the connection, or the attempt, ended.
    pub cause: Disconnect,
    /// Failed attempts in a row, this one included: the retry that would follow is number
    /// `failures` (see [`ConnectionState::Reconnecting`]). The count starts again from 1 after
    /// a connection that stayed open for at least
    /// [`min_uptime`](crate::ReconnectOptions::min_uptime).
    pub failures: u32,
    /// How long the connection was open; `None` if it never opened.
    pub uptime: Option<Duration>,
}

impl ReconnectContext {
    /// A context, for testing a policy.
    #[must_use]
    pub fn new(cause: Disconnect, failures: u32, uptime: Option<Duration>) -> Self {
        ReconnectContext {
            cause,
            failures,
            uptime,
        }
    }

    /// The browser's close event, for the endings that have one.
    #[must_use]
    pub fn close_event(&self) -> Option<&CloseEvent> {
        self.cause.close_event()
    }
}

/// The life of a [`ReconnectingWebSocket`](crate::ReconnectingWebSocket), one value per
/// transition, observed with [`on_state`](crate::ReconnectingHandle::on_state) or
/// [`states`](crate::ReconnectingHandle::states).
///
/// A connection goes `Connecting → Open → Reconnecting → Connecting → Open → …` and ends,
/// once, in `Closed`: after [`close`](crate::ReconnectingHandle::close), when the
/// [`policy`](crate::ReconnectOptions::policy) says [`Stop`](crate::Decision::Stop), or when
/// the retries run out. While the browser is offline, `Offline` takes the place of
/// `Reconnecting` (and of `Connecting`): no attempt is made and no delay spent until it is
/// online again.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConnectionState {
    /// A connection attempt is under way. `attempt` is 0 for the first one and counts the
    /// failed attempts in a row before this one (see [`ReconnectContext::failures`]).
    Connecting {
        /// 0 for the first attempt; retry `n` is attempt `n`.
        attempt: u32,
    },
    /// The connection is open; queued messages were sent before this was reported.
    Open,
    /// Waiting `delay` before retry `attempt` (1 for the first retry) because of `cause`.
    Reconnecting {
        /// Which retry comes next, from 1.
        attempt: u32,
        /// The backoff delay drawn for it.
        delay: Duration,
        /// Why the previous connection or attempt ended.
        cause: Disconnect,
    },
    /// The browser is offline (`navigator.onLine` is false): attempt `attempt` waits for the
    /// `online` event, then starts at once, the retry delay not waited out (see
    /// [`pause_while_offline`](crate::ReconnectOptions::pause_while_offline)).
    Offline {
        /// Which attempt comes next (0: the first).
        attempt: u32,
        /// Why the previous connection or attempt ended; `None` before the first attempt.
        cause: Option<Disconnect>,
    },
    /// [`close`](crate::ReconnectingHandle::close) was called; the closing handshake is under
    /// way.
    Closing,
    /// Closed for good: no retry follows. Carries the final close event: the last ending's
    /// (also when the connection was closed while waiting to retry), and code 1006 (unclean)
    /// when that ending was a timeout, which has no browser event.
    Closed(CloseEvent),
}

impl ConnectionState {
    /// Whether messages sent now go straight to the network.
    #[must_use]
    pub fn is_open(&self) -> bool {
        matches!(self, ConnectionState::Open)
    }

    /// Whether the connection is closed for good.
    #[must_use]
    pub fn is_closed(&self) -> bool {
        matches!(self, ConnectionState::Closed(_))
    }
}

/// What [`ReconnectingHandle::send`](crate::ReconnectingHandle::send) did with a message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Delivery {
    /// Handed to the browser on the open connection.
    Sent,
    /// Put in the send queue; it is sent, in order and before any later message, when the
    /// next connection opens.
    Queued,
}
