//! [`Heartbeat`], the option group of an application-level heartbeat (run by the supervisor's
//! `heartbeat` module).

use std::rc::Rc;
use std::time::Duration;

use crate::Message;

/// An application-level heartbeat: every `interval` the connection sends `message`; if no
/// sign of life arrives within `timeout` of the first unanswered ping, the connection is
/// treated as dead, dropped, and reconnected. By default any received message is a sign of
/// life; with [`require_reply`](Self::require_reply) only a reply (a received message that
/// `is_reply` accepts) is.
///
/// The timeout runs only while the ping can have left the browser: while the send buffer
/// ([`bufferedAmount`](crate::WebSocketHandle::buffered_amount)) still holds data queued
/// before the ping and keeps draining (a large upload on a slow uplink), the wait does not
/// count. A buffer that stops draining counts: a dead link with data queued is still found.
///
/// Browsers expose no WebSocket ping/pong frames, so heartbeats are ordinary messages the
/// server must answer. Replies are consumed: they do not reach the stream or the message
/// handlers.
///
/// An interval or timeout of zero is refused when the connection opens
/// ([`Error::InvalidOption`](crate::Error::InvalidOption)); durations over about 24.8 days
/// (2^31 - 1 ms, the longest a browser timer waits) are cut to that.
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
    pub(crate) require_reply: bool,
    is_reply: Rc<dyn Fn(&Message) -> bool>,
}

impl std::fmt::Debug for Heartbeat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Heartbeat")
            .field("message", &self.message)
            .field("interval", &self.interval)
            .field("timeout", &self.timeout)
            .field("require_reply", &self.require_reply)
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
            require_reply: false,
            is_reply: Rc::new(move |received| *received == ping),
        }
    }

    /// How long to wait for a sign of life after the first unanswered ping left the browser.
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Whether only a reply counts as a sign of life (default `false`: any received message
    /// does, so a busy connection needs no reply to stay up).
    #[must_use]
    pub fn require_reply(mut self, require: bool) -> Self {
        self.require_reply = require;
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
