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
    /// No heartbeat reply arrived in time; the connection was treated as dead and dropped.
    HeartbeatTimeout,
}

/// The life of a [`ReconnectingWebSocket`](crate::ReconnectingWebSocket), one value per
/// transition, observed with [`on_state`](crate::ReconnectingHandle::on_state) or
/// [`states`](crate::ReconnectingHandle::states).
///
/// A connection goes `Connecting → Open → Reconnecting → Connecting → Open → …` and ends,
/// once, in `Closed`: after [`close`](crate::ReconnectingHandle::close), when the
/// `should_reconnect` predicate declines, or when the retries run out.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConnectionState {
    /// A connection attempt is under way. `attempt` is 0 for the first one and counts the
    /// consecutive failures before this one.
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
    /// [`close`](crate::ReconnectingHandle::close) was called; the closing handshake is under
    /// way.
    Closing,
    /// Closed for good: no retry follows. Carries the final close event (the last
    /// connection's, when the connection was closed while waiting to retry; code 1006 if no
    /// connection ever reported one).
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
