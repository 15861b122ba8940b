//! How a reconnecting connection behaves: backoff, timeouts, the reconnect predicate, the
//! send queue's bounds, the heartbeat, and the per-socket settings.

use std::rc::Rc;
use std::time::Duration;

use super::queue::QueueLimits;
use crate::{Backoff, BinaryType, CloseCode, CloseEvent, Message, Watermarks};

/// An application-level heartbeat: every `interval` the connection sends `message`; if no
/// reply (a received message that `is_reply` accepts) arrives within `timeout` of the first
/// unanswered ping, the connection is treated as dead, dropped, and reconnected.
///
/// Browsers expose no WebSocket ping/pong frames, so heartbeats are ordinary messages the
/// server must answer. Replies are consumed: they do not reach the stream or the message
/// handlers.
///
/// ```
/// use std::time::Duration;
/// use browser_ws::{Heartbeat, Message};
///
/// let heartbeat = Heartbeat::new("ping", Duration::from_secs(20))
///     .timeout(Duration::from_secs(5))
///     .reply(|message| message.as_text() == Some("pong"));
/// assert!(heartbeat.is_reply(&Message::from("pong")));
/// assert!(!heartbeat.is_reply(&Message::from("ping")));
/// ```
#[derive(Clone)]
pub struct Heartbeat {
    pub(crate) message: Message,
    pub(crate) interval: Duration,
    pub(crate) timeout: Duration,
    is_reply: Rc<dyn Fn(&Message) -> bool>,
}

impl std::fmt::Debug for Heartbeat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Heartbeat")
            .field("message", &self.message)
            .field("interval", &self.interval)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl Heartbeat {
    /// Sends `message` every `interval`. By default the reply is a message equal to `message`
    /// (an echo) and the timeout equals the interval.
    #[must_use]
    pub fn new(message: impl Into<Message>, interval: Duration) -> Self {
        let message = message.into();
        let ping = message.clone();
        Heartbeat {
            message,
            interval,
            timeout: interval,
            is_reply: Rc::new(move |received| *received == ping),
        }
    }

    /// How long to wait for a reply to the first unanswered ping.
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Which received messages are replies.
    #[must_use]
    pub fn reply(mut self, is_reply: impl Fn(&Message) -> bool + 'static) -> Self {
        self.is_reply = Rc::new(is_reply);
        self
    }

    /// Whether `message` is a heartbeat reply.
    #[must_use]
    pub fn is_reply(&self, message: &Message) -> bool {
        (self.is_reply)(message)
    }
}

/// Everything [`ReconnectingWebSocket::open`](crate::ReconnectingWebSocket::open) can be told.
///
/// ```
/// use std::time::Duration;
/// use browser_ws::{Backoff, CloseCode, Heartbeat, QueueLimits, ReconnectOptions};
///
/// let options = ReconnectOptions::new()
///     .backoff(Backoff::new().initial_delay(Duration::from_millis(250)).max_retries(Some(20)))
///     .connect_timeout(Some(Duration::from_secs(5)))
///     .queue_limits(QueueLimits::new(500, 1 << 20))
///     .heartbeat(Some(Heartbeat::new("ping", Duration::from_secs(15))))
///     .protocols(["chat.v2"])
///     // Also reconnect after 1011 (server error), which the default policy does not.
///     .should_reconnect(|close| {
///         close.code == CloseCode::INTERNAL_ERROR || ReconnectOptions::default_policy(close)
///     });
/// # let _ = options;
/// ```
#[derive(Clone)]
pub struct ReconnectOptions {
    pub(crate) backoff: Backoff,
    pub(crate) connect_timeout: Option<Duration>,
    pub(crate) should_reconnect: Rc<dyn Fn(&CloseEvent) -> bool>,
    pub(crate) queue: QueueLimits,
    pub(crate) heartbeat: Option<Heartbeat>,
    pub(crate) protocols: Vec<String>,
    pub(crate) binary_type: BinaryType,
    pub(crate) watermarks: Watermarks,
}

impl std::fmt::Debug for ReconnectOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReconnectOptions")
            .field("backoff", &self.backoff)
            .field("connect_timeout", &self.connect_timeout)
            .field("queue", &self.queue)
            .field("heartbeat", &self.heartbeat)
            .field("protocols", &self.protocols)
            .field("binary_type", &self.binary_type)
            .field("watermarks", &self.watermarks)
            .finish_non_exhaustive()
    }
}

impl Default for ReconnectOptions {
    fn default() -> Self {
        ReconnectOptions {
            backoff: Backoff::default(),
            connect_timeout: Some(Duration::from_secs(10)),
            should_reconnect: Rc::new(ReconnectOptions::default_policy),
            queue: QueueLimits::default(),
            heartbeat: None,
            protocols: Vec::new(),
            binary_type: BinaryType::default(),
            watermarks: Watermarks::default(),
        }
    }
}

impl ReconnectOptions {
    /// The defaults: [`Backoff::default`], a 10 s connect timeout, [`default_policy`],
    /// [`QueueLimits::default`], no heartbeat, no subprotocols, `BinaryType::ArrayBuffer`,
    /// [`Watermarks::default`].
    ///
    /// [`default_policy`]: Self::default_policy
    #[must_use]
    pub fn new() -> Self {
        ReconnectOptions::default()
    }

    /// The default reconnect predicate: reconnect after any ending the application did not
    /// ask for (a dropped network, a failed handshake, a server restart or shutdown, a clean
    /// close by the server), except when the server said the client itself is at fault,
    /// where a retry would only repeat the failure: 1002 (protocol error), 1003 (unsupported
    /// data), 1007 (invalid payload), 1008 (policy violation), 1009 (message too big), 1010
    /// (missing extension) and 1011 (internal error). A [`close`](crate::ReconnectingHandle::close)
    /// by the application never reconnects, whatever the predicate says.
    ///
    /// ```
    /// use browser_ws::{CloseCode, CloseEvent, ReconnectOptions};
    ///
    /// let event = |code: u16| CloseEvent { code: CloseCode(code), reason: String::new(), was_clean: true };
    /// assert!(ReconnectOptions::default_policy(&event(1006)));
    /// assert!(ReconnectOptions::default_policy(&event(1012)));
    /// assert!(!ReconnectOptions::default_policy(&event(1008)));
    /// ```
    #[must_use]
    pub fn default_policy(close: &CloseEvent) -> bool {
        !matches!(
            close.code,
            CloseCode::PROTOCOL_ERROR
                | CloseCode::UNSUPPORTED_DATA
                | CloseCode::INVALID_PAYLOAD
                | CloseCode::POLICY_VIOLATION
                | CloseCode::MESSAGE_TOO_BIG
                | CloseCode::MANDATORY_EXTENSION
                | CloseCode::INTERNAL_ERROR
        )
    }

    /// When to retry, and when to give up.
    #[must_use]
    pub fn backoff(mut self, backoff: Backoff) -> Self {
        self.backoff = backoff;
        self
    }

    /// Aborts a handshake that takes longer than this and retries (`None`: wait as long as
    /// the browser does, which can be minutes).
    #[must_use]
    pub fn connect_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Decides, from the browser's close event, whether to reconnect after an ending the
    /// application did not ask for. See [`default_policy`](Self::default_policy).
    #[must_use]
    pub fn should_reconnect(mut self, predicate: impl Fn(&CloseEvent) -> bool + 'static) -> Self {
        self.should_reconnect = Rc::new(predicate);
        self
    }

    /// Bounds of the queue for messages sent while not open.
    #[must_use]
    pub fn queue_limits(mut self, limits: QueueLimits) -> Self {
        self.queue = limits;
        self
    }

    /// An application-level heartbeat (`None`: none).
    #[must_use]
    pub fn heartbeat(mut self, heartbeat: Option<Heartbeat>) -> Self {
        self.heartbeat = heartbeat;
        self
    }

    /// Subprotocols to offer on every attempt, in order of preference.
    #[must_use]
    pub fn protocols<I, S>(mut self, protocols: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.protocols = protocols.into_iter().map(Into::into).collect();
        self
    }

    /// How the browser hands over binary messages on every attempt (the result is `Vec<u8>`
    /// either way).
    #[must_use]
    pub fn binary_type(mut self, binary_type: BinaryType) -> Self {
        self.binary_type = binary_type;
        self
    }

    /// The Sink's backpressure thresholds on every attempt.
    #[must_use]
    pub fn watermarks(mut self, watermarks: Watermarks) -> Self {
        self.watermarks = watermarks;
        self
    }
}
