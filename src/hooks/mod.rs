//! What the Yew and Leptos hooks share: one [`UseWebSocketOptions`], the one copy of the
//! decode and history logic ([`Inbox`]), the decode-error close rule and what counts as a
//! live connection. The frameworks' modules only wire these to components.

use std::collections::VecDeque;

use crate::{CloseCode, ConnectionState, Error, Message, ReconnectOptions, ReconnectingHandle};

#[cfg(feature = "leptos")]
pub mod leptos;
#[cfg(feature = "yew")]
pub mod yew;

/// How a hook (`use_websocket`, `use_websocket_json`, in [`crate::yew`] and
/// [`crate::leptos`] alike) connects: the core's [`ReconnectOptions`] (backoff, connect
/// timeout, reconnect predicate, send queue bounds, heartbeat, subprotocols, binary type),
/// whether to connect on mount, how many received messages to keep, and what a message that
/// does not decode does.
///
/// The options are used when a connection starts (on mount, when the URL moves it, and on
/// the hook's `open()`). Yew reads them again on every render, so a changed history bound
/// applies from the next message; Leptos takes them once, when the hook is called.
///
/// ```
/// use std::time::Duration;
/// use browser_ws::yew::UseWebSocketOptions;
/// use browser_ws::{Backoff, CloseCode, Heartbeat, QueueLimits, ReconnectOptions};
///
/// let options = UseWebSocketOptions::new()
///     .history(50)
///     .close_on_decode_error(CloseCode::NORMAL, "undecodable message")
///     .reconnect(
///         ReconnectOptions::new()
///             .backoff(Backoff::new().initial_delay(Duration::from_millis(250)))
///             .queue_limits(QueueLimits::new(100, 64 * 1024))
///             .heartbeat(Some(Heartbeat::new("ping", Duration::from_secs(20)))),
///     );
/// assert_eq!(options.get_history(), 50);
/// assert!(options.get_connect_on_mount());
/// // Connect on `open()` only, and never reconnect:
/// let once = UseWebSocketOptions::new()
///     .connect_on_mount(false)
///     .reconnect(ReconnectOptions::new().backoff(Backoff::new().max_retries(Some(0))));
/// # let _ = once;
/// ```
#[derive(Clone, Debug)]
pub struct UseWebSocketOptions {
    reconnect: ReconnectOptions,
    history: usize,
    connect_on_mount: bool,
    close_on_decode_error: Option<(CloseCode, String)>,
}

impl Default for UseWebSocketOptions {
    fn default() -> Self {
        UseWebSocketOptions {
            reconnect: ReconnectOptions::default(),
            history: 0,
            connect_on_mount: true,
            close_on_decode_error: None,
        }
    }
}

impl UseWebSocketOptions {
    /// The defaults: [`ReconnectOptions::default`] (reconnect with backoff, a bounded send
    /// queue, no heartbeat), connect on mount, no history, a message that does not decode is
    /// reported in the hook's `error` and the connection goes on.
    #[must_use]
    pub fn new() -> Self {
        UseWebSocketOptions::default()
    }

    /// Reconnect, queue, heartbeat and socket options, as for
    /// [`ReconnectingWebSocket::open`](crate::ReconnectingWebSocket::open). To never
    /// reconnect, give a backoff with `max_retries(Some(0))`.
    #[must_use]
    pub fn reconnect(mut self, options: ReconnectOptions) -> Self {
        self.reconnect = options;
        self
    }

    /// Keeps the last `messages` received (decoded) messages in the hook's `history`, oldest
    /// first (0, the default: none; the latest is always in `message`). Keep the bound
    /// modest: with Yew each render's snapshot owns its history (pointers, not payloads),
    /// with Leptos reading the `history` signal clones it.
    #[must_use]
    pub fn history(mut self, messages: usize) -> Self {
        self.history = messages;
        self
    }

    /// Whether to connect when the component mounts and when the URL changes (default
    /// `true`). With `false` the first connection starts on the hook's `open()`, and a URL
    /// change moves a live connection (connecting, open or reconnecting) to the new URL but
    /// connects nothing otherwise.
    #[must_use]
    pub fn connect_on_mount(mut self, connect: bool) -> Self {
        self.connect_on_mount = connect;
        self
    }

    /// With `use_websocket_json`: a message that does not decode closes the connection for
    /// good with `code` and `reason` (and is still reported as [`Error::Decode`] in the
    /// hook's `error`). By default the connection goes on.
    ///
    /// `code` must be one a browser may send (1000 or 3000-4999) and `reason` at most
    /// [`MAX_REASON_BYTES`](crate::MAX_REASON_BYTES) of UTF-8, as for
    /// [`close_with`](crate::WebSocketHandle::close_with). This builder cannot fail; the pair
    /// is checked when a connection starts, so a bad one is found at once, not at the first
    /// bad message: no connection starts, `open()` returns the error
    /// ([`Error::InvalidCloseCode`] or [`Error::ReasonTooLong`]) and the hook's `error` shows
    /// it (also for the connection on mount).
    ///
    /// ```
    /// use browser_ws::leptos::UseWebSocketOptions;
    ///
    /// let options = UseWebSocketOptions::new().close_on_decode_error(4000u16, "bad message");
    /// # let _ = options;
    /// ```
    #[must_use]
    pub fn close_on_decode_error(mut self, code: impl Into<CloseCode>, reason: &str) -> Self {
        self.close_on_decode_error = Some((code.into(), reason.to_owned()));
        self
    }

    /// The history bound.
    #[must_use]
    pub fn get_history(&self) -> usize {
        self.history
    }

    /// Whether the hook connects on mount.
    #[must_use]
    pub fn get_connect_on_mount(&self) -> bool {
        self.connect_on_mount
    }

    /// The code and reason a message that does not decode closes with, if any.
    #[must_use]
    pub fn get_close_on_decode_error(&self) -> Option<(CloseCode, &str)> {
        self.close_on_decode_error
            .as_ref()
            .map(|(code, reason)| (*code, reason.as_str()))
    }

    /// Opens a connection as these options say, after checking the decode-error close pair.
    pub(crate) fn open(&self, url: &str) -> Result<crate::ReconnectingWebSocket, Error> {
        if let Some((code, reason)) = &self.close_on_decode_error {
            crate::validate_close(*code, reason)?;
        }
        crate::ReconnectingWebSocket::open(url, self.reconnect.clone())
    }

    /// The decode-error close rule: closes `handle` for good if the options ask for it.
    pub(crate) fn after_decode_error(&self, handle: &ReconnectingHandle) -> Result<(), Error> {
        match &self.close_on_decode_error {
            Some((code, reason)) => handle.close_with(*code, reason),
            None => Ok(()),
        }
    }
}

/// How a hook turns a received message into what it keeps (by value: no copy for raw ones).
pub(crate) type Decode<T> = fn(Message) -> Result<T, Error>;

/// The raw hooks' decode: the message itself, wrapped as the framework keeps it.
pub(crate) fn raw<W: From<Message>>(message: Message) -> Result<W, Error> {
    Ok(W::from(message))
}

/// The JSON hooks' decode: the message's JSON as `In`, wrapped as the framework keeps it.
#[cfg(feature = "serde")]
pub(crate) fn json<In: serde::de::DeserializeOwned, W: From<In>>(
    message: Message,
) -> Result<W, Error> {
    message.parse_json::<In>().map(W::from)
}

/// What one connection received: the latest value, a bounded history and the count.
#[derive(Clone, Debug)]
pub(crate) struct Inbox<T> {
    latest: Option<T>,
    history: VecDeque<T>,
    received: u64,
}

impl<T> Default for Inbox<T> {
    fn default() -> Self {
        Inbox {
            latest: None,
            history: VecDeque::new(),
            received: 0,
        }
    }
}

impl<T: Clone> Inbox<T> {
    /// Counts `message`, then keeps its decoded value (`bound` in the history) or hands back
    /// the decode error, the latest value and history staying as they were.
    pub(crate) fn receive(
        &mut self,
        message: Message,
        decode: Decode<T>,
        bound: usize,
    ) -> Result<(), Error> {
        self.received += 1;
        let value = decode(message)?;
        if bound > 0 {
            self.history.push_back(value.clone());
        }
        while self.history.len() > bound {
            self.history.pop_front();
        }
        self.latest = Some(value);
        Ok(())
    }
}

impl<T> Inbox<T> {
    /// The latest decoded value.
    pub(crate) fn latest(&self) -> Option<&T> {
        self.latest.as_ref()
    }

    /// The last decoded values, oldest first.
    pub(crate) fn history(&self) -> &VecDeque<T> {
        &self.history
    }

    /// Every message received, undecodable ones included.
    pub(crate) fn received(&self) -> u64 {
        self.received
    }
}

/// Connecting, open or reconnecting: what `open()` leaves alone and a new URL moves.
pub(crate) fn is_live(state: &ConnectionState) -> bool {
    matches!(
        state,
        ConnectionState::Connecting { .. }
            | ConnectionState::Open
            | ConnectionState::Reconnecting { .. }
    )
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn the_inbox_counts_everything_and_bounds_the_history() {
        let mut inbox = Inbox::<Message>::default();
        for text in ["a", "b", "c"] {
            assert_eq!(inbox.receive(Message::from(text), raw, 2), Ok(()));
        }
        assert_eq!(inbox.received(), 3);
        assert_eq!(inbox.latest(), Some(&Message::from("c")));
        let history: Vec<_> = inbox.history().iter().cloned().collect();
        assert_eq!(history, [Message::from("b"), Message::from("c")]);
        assert_eq!(inbox.receive(Message::from("d"), raw, 0), Ok(()));
        assert!(inbox.history().is_empty());
    }

    #[cfg(feature = "serde")]
    #[test]
    fn an_undecodable_message_is_counted_and_skipped() {
        let mut inbox = Inbox::<u32>::default();
        assert_eq!(
            inbox.receive(Message::from("7"), json::<u32, u32>, 5),
            Ok(())
        );
        let error = inbox.receive(Message::from("no"), json::<u32, u32>, 5);
        assert!(matches!(error, Err(Error::Decode { .. })));
        assert_eq!((inbox.received(), inbox.latest()), (2, Some(&7)));
        assert_eq!(inbox.history().len(), 1);
    }
}
