//! How a reconnecting connection behaves: backoff, timeouts, the reconnect predicate, the
//! send queue's bounds, the heartbeat, and the per-socket settings.

use std::rc::Rc;
use std::time::Duration;

use super::policy::Decision;
use super::queue::QueueLimits;
use super::status::ReconnectContext;
use crate::{Backoff, BinaryType, Error, Watermarks};

mod heartbeat;

pub use heartbeat::Heartbeat;

/// The longest delay a browser timer honours, in ms (about 24.8 days); longer ones fire at once.
pub(crate) const MAX_TIMER_MS: u32 = i32::MAX as u32;

/// `duration` as a timer delay: whole milliseconds, at most [`MAX_TIMER_MS`].
pub(crate) fn timer_millis(duration: Duration) -> u32 {
    u32::try_from(duration.as_millis()).map_or(MAX_TIMER_MS, |ms| ms.min(MAX_TIMER_MS))
}

/// Everything [`ReconnectingWebSocket::open`](crate::ReconnectingWebSocket::open) can be told.
///
/// ```
/// use std::time::Duration;
/// use browser_ws::{Backoff, CloseCode, Decision, Heartbeat, QueueLimits, ReconnectOptions};
///
/// let options = ReconnectOptions::new()
///     .backoff(Backoff::new().initial_delay(Duration::from_millis(250)).max_retries(Some(20)))
///     .connect_timeout(Some(Duration::from_secs(5)))
///     .min_uptime(Duration::from_secs(10))
///     .queue_limits(QueueLimits::new(500, 1 << 20))
///     .heartbeat(Some(Heartbeat::new("ping", Duration::from_secs(15))))
///     .protocols(["chat.v2"])
///     // Also reconnect after 1011 (server error), which the default policy does not.
///     .policy(|context| match context.close_event() {
///         Some(close) if close.code == CloseCode::INTERNAL_ERROR => Decision::Retry,
///         _ => ReconnectOptions::default_policy(context),
///     });
/// # let _ = options;
/// ```
#[derive(Clone)]
pub struct ReconnectOptions {
    pub(crate) backoff: Backoff,
    pub(crate) connect_timeout: Option<Duration>,
    pub(crate) min_uptime: Duration,
    pub(crate) policy: Rc<dyn Fn(&ReconnectContext) -> Decision>,
    pub(crate) pause_while_offline: bool,
    pub(crate) check_on_resume: bool,
    pub(crate) queue: QueueLimits,
    pub(crate) heartbeat: Option<Heartbeat>,
    pub(crate) protocols: Vec<String>,
    pub(crate) binary_type: BinaryType,
    pub(crate) watermarks: Watermarks,
    pub(crate) max_message_size: Option<usize>,
}

impl std::fmt::Debug for ReconnectOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReconnectOptions")
            .field("backoff", &self.backoff)
            .field("connect_timeout", &self.connect_timeout)
            .field("min_uptime", &self.min_uptime)
            .field("queue", &self.queue)
            .field("heartbeat", &self.heartbeat)
            .field("protocols", &self.protocols)
            .field("binary_type", &self.binary_type)
            .field("watermarks", &self.watermarks)
            .field("max_message_size", &self.max_message_size)
            .field("pause_while_offline", &self.pause_while_offline)
            .field("check_on_resume", &self.check_on_resume)
            .finish_non_exhaustive()
    }
}

impl Default for ReconnectOptions {
    fn default() -> Self {
        ReconnectOptions {
            backoff: Backoff::default(),
            connect_timeout: Some(Duration::from_secs(10)),
            min_uptime: Duration::from_secs(5),
            policy: Rc::new(ReconnectOptions::default_policy),
            pause_while_offline: true,
            check_on_resume: true,
            queue: QueueLimits::default(),
            heartbeat: None,
            protocols: Vec::new(),
            binary_type: BinaryType::default(),
            watermarks: Watermarks::default(),
            max_message_size: Some(crate::DEFAULT_MAX_MESSAGE_SIZE),
        }
    }
}

impl ReconnectOptions {
    /// The defaults: [`Backoff::default`], a 10 s connect timeout, a 5 s minimum uptime,
    /// [`default_policy`], [`QueueLimits::default`], no heartbeat, no subprotocols,
    /// `BinaryType::ArrayBuffer`, [`Watermarks::default`], a 64 MiB receive limit, paused while
    /// offline, checked on resume.
    ///
    /// [`default_policy`]: Self::default_policy
    #[must_use]
    pub fn new() -> Self {
        ReconnectOptions::default()
    }

    /// The default reconnect policy: retry with backoff ([`Decision::Retry`]) after any ending
    /// the application did not ask for (a dropped network, a failed handshake, a connect or
    /// heartbeat timeout, a failed URL provider, a server restart or shutdown, a clean close by
    /// the server), except when the client itself is at fault, where a retry would only repeat
    /// the failure ([`Decision::Stop`]): a message over the receive limit
    /// ([`Disconnect::MessageTooBig`](crate::Disconnect::MessageTooBig)), or a close by the
    /// server with 1002 (protocol error), 1003 (unsupported data), 1007 (invalid payload), 1008
    /// (policy violation), 1009 (message too big), 1010 (missing extension) or 1011 (internal
    /// error). After 1013 (try again later) it waits at least the backoff's maximum delay
    /// ([`Decision::RetryLater`]). A [`close`](crate::ReconnectingHandle::close) by the
    /// application never reconnects, whatever the policy says.
    ///
    /// ```
    /// use browser_ws::{CloseCode, CloseEvent, Decision, Disconnect, ReconnectContext, ReconnectOptions};
    ///
    /// let closed = |code: u16| {
    ///     let event = CloseEvent { code: CloseCode(code), reason: String::new(), was_clean: true };
    ///     ReconnectContext::new(Disconnect::Closed(event), 1, None)
    /// };
    /// assert_eq!(ReconnectOptions::default_policy(&closed(1006)), Decision::Retry);
    /// assert_eq!(ReconnectOptions::default_policy(&closed(1008)), Decision::Stop);
    /// assert_eq!(ReconnectOptions::default_policy(&closed(1013)), Decision::RetryLater);
    /// let timeout = ReconnectContext::new(Disconnect::HeartbeatTimeout, 1, None);
    /// assert_eq!(ReconnectOptions::default_policy(&timeout), Decision::Retry);
    /// ```
    #[must_use]
    pub fn default_policy(context: &ReconnectContext) -> Decision {
        super::policy::default_policy(context)
    }

    /// When to retry, and when to give up.
    #[must_use]
    pub fn backoff(mut self, backoff: Backoff) -> Self {
        self.backoff = backoff;
        self
    }

    /// Aborts a handshake that takes longer than this and retries (`None`: wait as long as
    /// the browser does, which can be minutes). Zero is refused when the connection opens
    /// ([`Error::InvalidOption`]); over about 24.8 days counts as 24.8 days.
    #[must_use]
    pub fn connect_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How long a connection must stay open to count as a success (default 5 s, like
    /// partysocket's `minUptime`). One that ends sooner (a server that accepts and closes at
    /// once, as an auth rejection or an overloaded server does) is a failed attempt: the
    /// backoff keeps growing and [`max_retries`](Backoff::max_retries) is reached. Only after
    /// a connection stayed open this long does the count start again.
    #[must_use]
    pub fn min_uptime(mut self, uptime: Duration) -> Self {
        self.min_uptime = uptime;
        self
    }

    /// Decides what follows every ending the application did not ask for (a close, a connect
    /// or heartbeat timeout, a failed URL provider, a message over the receive limit), from its
    /// [`ReconnectContext`] (the cause, the failed attempts in a row, how long the connection
    /// was open): stop, retry with backoff, retry later, or retry after a delay of its choice
    /// (see [`Decision`]). Default: [`default_policy`](Self::default_policy). It runs with no
    /// borrow held: it may call [`close`](crate::ReconnectingHandle::close), which wins.
    ///
    /// ```
    /// use std::time::Duration;
    /// use browser_ws::{CloseCode, Decision, ReconnectOptions};
    ///
    /// // The server closes with 4001 when the token expired: fetch a new one at once.
    /// let options = ReconnectOptions::new().policy(|context| match context.close_event() {
    ///     Some(close) if close.code == CloseCode(4001) => Decision::RetryAfter(Duration::ZERO),
    ///     _ => ReconnectOptions::default_policy(context),
    /// });
    /// # let _ = options;
    /// ```
    #[must_use]
    pub fn policy(mut self, policy: impl Fn(&ReconnectContext) -> Decision + 'static) -> Self {
        self.policy = Rc::new(policy);
        self
    }

    /// The yes/no shorthand for [`policy`](Self::policy): `true` is [`Decision::Retry`] (with
    /// backoff), `false` is [`Decision::Stop`].
    #[must_use]
    pub fn should_reconnect(
        mut self,
        predicate: impl Fn(&ReconnectContext) -> bool + 'static,
    ) -> Self {
        self.policy = Rc::new(move |context| Decision::from(predicate(context)));
        self
    }

    /// While the browser says it is offline (`navigator.onLine` false, the
    /// [`offline`](https://developer.mozilla.org/en-US/docs/Web/API/Window/offline_event)
    /// event), make no attempt and spend no retry delay: the state is
    /// [`ConnectionState::Offline`](crate::ConnectionState::Offline), and the
    /// [`online`](https://developer.mozilla.org/en-US/docs/Web/API/Window/online_event) event
    /// starts the next attempt at once. Also on `online`, a waiting retry runs now. In workers
    /// the worker's own `online`/`offline` events are used. Default: on.
    #[must_use]
    pub fn pause_while_offline(mut self, pause: bool) -> Self {
        self.pause_while_offline = pause;
        self
    }

    /// When the page becomes visible again
    /// ([`visibilitychange`](https://developer.mozilla.org/en-US/docs/Web/API/Document/visibilitychange_event)),
    /// is shown from the back/forward cache
    /// ([`pageshow`](https://developer.mozilla.org/en-US/docs/Web/API/Window/pageshow_event)) or
    /// resumes after a freeze (`resume`), and when the network changes (`online`/`offline`): a
    /// waiting retry runs now, and an open connection with a [`heartbeat`](Self::heartbeat) is
    /// checked now (a ping at once, and a fresh timeout for it) instead of at the next interval,
    /// so a laptop that wakes after an hour does not show a dead connection as open. Default: on.
    #[must_use]
    pub fn check_on_resume(mut self, check: bool) -> Self {
        self.check_on_resume = check;
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

    /// The receive limit of every attempt's socket, in bytes (default 64 MiB; `None`: no
    /// limit); see [`WebSocketHandle::set_max_message_size`](crate::WebSocketHandle::set_max_message_size).
    /// A larger message ends the connection ([`Disconnect::MessageTooBig`](crate::Disconnect::MessageTooBig)) and, in its place,
    /// the stream yields [`Error::MessageTooBig`].
    #[must_use]
    pub fn max_message_size(mut self, limit: Option<usize>) -> Self {
        self.max_message_size = limit;
        self
    }

    /// Refuses a zero connect timeout, heartbeat interval or heartbeat timeout (fires for ever).
    pub(crate) fn validate(&self) -> Result<(), Error> {
        let zero = |option| {
            Err(Error::InvalidOption {
                option,
                reason: "must be more than 0",
            })
        };
        if self.connect_timeout == Some(Duration::ZERO) {
            return zero("connect_timeout");
        }
        if let Some(heartbeat) = &self.heartbeat {
            if heartbeat.interval.is_zero() {
                return zero("heartbeat.interval");
            }
            if heartbeat.timeout.is_zero() {
                return zero("heartbeat.timeout");
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::{timer_millis, Heartbeat, ReconnectOptions, MAX_TIMER_MS};
    use crate::Error;
    use std::time::Duration;

    #[test]
    fn timer_delays_are_whole_milliseconds_cut_at_the_longest_browser_timer() {
        assert_eq!(timer_millis(Duration::ZERO), 0);
        assert_eq!(timer_millis(Duration::from_micros(1_999)), 1);
        assert_eq!(
            timer_millis(Duration::from_millis(2_147_483_647)),
            MAX_TIMER_MS
        );
        assert_eq!(
            timer_millis(Duration::from_millis(2_147_483_648)),
            MAX_TIMER_MS
        );
        assert_eq!(
            timer_millis(Duration::from_secs(u64::from(u32::MAX))),
            MAX_TIMER_MS
        );
        assert_eq!(timer_millis(Duration::MAX), MAX_TIMER_MS);
        assert_eq!(MAX_TIMER_MS, 2_147_483_647);
    }

    #[test]
    fn zero_timeouts_and_intervals_are_refused_long_ones_are_not() {
        let refused = |options: ReconnectOptions| match options.validate() {
            Err(Error::InvalidOption { option, .. }) => option,
            _ => "not refused",
        };
        assert_eq!(
            refused(ReconnectOptions::new().connect_timeout(Some(Duration::ZERO))),
            "connect_timeout"
        );
        let ping = |interval, timeout| {
            ReconnectOptions::new().heartbeat(Some(Heartbeat::new("p", interval).timeout(timeout)))
        };
        let second = Duration::from_secs(1);
        assert_eq!(refused(ping(Duration::ZERO, second)), "heartbeat.interval");
        assert_eq!(refused(ping(second, Duration::ZERO)), "heartbeat.timeout");
        assert_eq!(
            refused(ReconnectOptions::new().heartbeat(Some(Heartbeat::new("p", Duration::ZERO)))),
            "heartbeat.interval"
        );
        assert_eq!(ping(Duration::MAX, Duration::MAX).validate(), Ok(()));
        assert_eq!(
            ReconnectOptions::new()
                .connect_timeout(Some(Duration::MAX))
                .validate(),
            Ok(())
        );
        assert_eq!(
            ReconnectOptions::new().connect_timeout(None).validate(),
            Ok(())
        );
        assert_eq!(ReconnectOptions::new().validate(), Ok(()));
    }
}
