//! What the Yew and Leptos hooks share: one [`UseWebSocketOptions`], the one copy of the
//! decode and history logic ([`Inbox`]), the decode-error close rule, what counts as a live
//! connection, and the registry of shared connections ([`shared`]). The frameworks' modules
//! only wire these to components.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use crate::{CloseCode, Endpoint, Error, Message, ReconnectOptions, ReconnectingHandle};

mod inbox;
#[cfg(feature = "leptos")]
pub mod leptos;
pub(crate) mod shared;
#[cfg(feature = "yew")]
pub mod yew;

#[cfg(feature = "serde")]
pub(crate) use inbox::json;
pub(crate) use inbox::{is_live, raw, Decode, Inbox};

/// The `on_message` callback: shared by clones of the options, called with no borrow held.
pub(crate) type OnMessage<T> = Rc<dyn Fn(&T)>;

/// The URL provider, shared by clones of the options.
type Provider = Rc<dyn Fn() -> Pin<Box<dyn Future<Output = Result<Endpoint, String>>>>>;

/// Opens a connection as one consumer's URL (or provider) and reconnect options say.
pub(crate) type Opener = Rc<dyn Fn() -> Result<ReconnectingHandle, Error>>;

/// How a hook (`use_websocket`, `use_websocket_json`, in [`crate::yew`] and
/// [`crate::leptos`] alike) connects: the core's [`ReconnectOptions`] (backoff, connect
/// timeout, reconnect predicate, send queue bounds, heartbeat, subprotocols, binary type),
/// whether to connect on mount, how many received messages to keep, and what a message that
/// does not decode does.
///
/// `T` is what the hook's messages decode to: [`Message`] (the default) for `use_websocket`,
/// the `In` type for `use_websocket_json`; it is the argument of the
/// [`on_message`](Self::on_message) callback.
///
/// The options are used when a connection starts (on mount, when the URL moves it, and on
/// the hook's `open()`). Yew reads them again on every render, so a changed history bound or
/// `on_message` callback applies from the next message; Leptos takes them once, when the
/// hook is called.
///
/// ```
/// use std::time::Duration;
/// use browser_ws::yew::UseWebSocketOptions;
/// use browser_ws::{Backoff, CloseCode, Heartbeat, QueueLimits, ReconnectOptions};
///
/// let options: UseWebSocketOptions = UseWebSocketOptions::new()
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
/// let once: UseWebSocketOptions = UseWebSocketOptions::new()
///     .connect_on_mount(false)
///     .reconnect(ReconnectOptions::new().backoff(Backoff::new().max_retries(Some(0))));
/// # let _ = once;
/// ```
pub struct UseWebSocketOptions<T = Message> {
    reconnect: ReconnectOptions,
    history: usize,
    connect_on_mount: bool,
    close_on_decode_error: Option<(CloseCode, String)>,
    on_message: Option<OnMessage<T>>,
    shared: Option<String>,
    provider: Option<Provider>,
}

impl<T> Default for UseWebSocketOptions<T> {
    fn default() -> Self {
        UseWebSocketOptions {
            reconnect: ReconnectOptions::default(),
            history: 0,
            connect_on_mount: true,
            close_on_decode_error: None,
            on_message: None,
            shared: None,
            provider: None,
        }
    }
}

impl<T> Clone for UseWebSocketOptions<T> {
    fn clone(&self) -> Self {
        UseWebSocketOptions {
            reconnect: self.reconnect.clone(),
            history: self.history,
            connect_on_mount: self.connect_on_mount,
            close_on_decode_error: self.close_on_decode_error.clone(),
            on_message: self.on_message.clone(),
            shared: self.shared.clone(),
            provider: self.provider.clone(),
        }
    }
}

impl<T> fmt::Debug for UseWebSocketOptions<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UseWebSocketOptions")
            .field("reconnect", &self.reconnect)
            .field("history", &self.history)
            .field("connect_on_mount", &self.connect_on_mount)
            .field("close_on_decode_error", &self.close_on_decode_error)
            .field("on_message", &self.on_message.is_some())
            .field("shared", &self.shared)
            .field("provider", &self.provider.is_some())
            .finish()
    }
}

impl<T> UseWebSocketOptions<T> {
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

    /// Connects where `provider` says instead of the hook's `url`: called anew before every
    /// attempt (a closure returning a future; `async move { Ok::<_, String>(url) }` for a
    /// synchronous one), so a short-lived token is fresh for each connection, as
    /// [`ReconnectingWebSocket::open_with_async`](crate::ReconnectingWebSocket::open_with_async)
    /// does. A change of the hook's `url` still restarts the connection (calling the provider
    /// again); a provider's failure is a failed attempt
    /// ([`Disconnect::Provider`](crate::Disconnect::Provider)) that the
    /// [`policy`](crate::ReconnectOptions::policy) decides.
    ///
    /// ```
    /// use browser_ws::yew::UseWebSocketOptions;
    ///
    /// # async fn fetch_token() -> Result<String, String> { Ok("abc".into()) }
    /// let options: UseWebSocketOptions = UseWebSocketOptions::new().url_provider(|| async {
    ///     Ok::<_, String>(format!("/live?token={}", fetch_token().await?))
    /// });
    /// assert!(options.get_url_provider());
    /// ```
    #[must_use]
    pub fn url_provider<F, Fut, R, E>(mut self, provider: F) -> Self
    where
        F: Fn() -> Fut + 'static,
        Fut: Future<Output = Result<R, E>> + 'static,
        R: Into<Endpoint>,
        E: fmt::Display,
    {
        self.provider = Some(Rc::new(move || {
            let future = provider();
            Box::pin(async move { future.await.map(Into::into).map_err(|e| e.to_string()) })
        }));
        self
    }

    /// Whether a URL provider is set.
    #[must_use]
    pub fn get_url_provider(&self) -> bool {
        self.provider.is_some()
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
    /// let options: UseWebSocketOptions = UseWebSocketOptions::new().close_on_decode_error(4000u16, "bad message");
    /// # let _ = options;
    /// ```
    #[must_use]
    pub fn close_on_decode_error(mut self, code: impl Into<CloseCode>, reason: &str) -> Self {
        self.close_on_decode_error = Some((code.into(), reason.to_owned()));
        self
    }

    /// Calls `on_message` with every received message, decoded (a `T`), in arrival order,
    /// before the hook's state shows it: unlike the latest message and the history, which a
    /// component sees at its next render, nothing is lost between two renders (an app that
    /// applies deltas, a log, a counter). A message that does not decode (with
    /// `use_websocket_json`) does not reach it: it is the hook's `error`.
    ///
    /// The callback belongs to the hook's handler on the connection: it is dropped when the
    /// component unmounts (or its connection is replaced), never leaked. It runs with no
    /// borrow of the hook's state held, so it may call the hook's `send`, `close` and `open`.
    /// With Yew the latest render's options are used, so it may capture that render's state;
    /// with [`shared`](Self::shared), each consumer has its own.
    ///
    /// ```
    /// use std::cell::Cell;
    /// use std::rc::Rc;
    /// use browser_ws::yew::UseWebSocketOptions;
    /// use browser_ws::Message;
    ///
    /// let seen = Rc::new(Cell::new(0u64));
    /// let counter = Rc::clone(&seen);
    /// let options = UseWebSocketOptions::new().on_message(move |_: &Message| {
    ///     counter.set(counter.get() + 1);
    /// });
    /// # let _ = options;
    /// ```
    ///
    /// With `use_websocket_json::<In, Out>`, it receives `&In`:
    ///
    /// ```
    /// use browser_ws::leptos::UseWebSocketOptions;
    ///
    /// #[derive(serde::Deserialize, Clone)]
    /// struct Delta { add: i64 }
    ///
    /// let options = UseWebSocketOptions::<Delta>::new()
    ///     .on_message(|delta: &Delta| println!("apply {}", delta.add));
    /// # let _ = options;
    /// ```
    #[must_use]
    pub fn on_message(mut self, on_message: impl Fn(&T) + 'static) -> Self {
        self.on_message = Some(Rc::new(on_message));
        self
    }

    /// Shares one connection among every hook (in any component, Yew or Leptos, plain or
    /// JSON) that gives the same `key`, instead of one connection per hook.
    ///
    /// - The first consumer of a key to mount decides its URL and [`reconnect`](Self::reconnect)
    ///   options; while the key has consumers, the URLs and reconnect options of the others
    ///   are ignored (their own `history`, `on_message`, `close_on_decode_error` and
    ///   `connect_on_mount` apply to them). A consumer whose URL changes leaves the key and
    ///   joins it again: alone, it moves the connection to the new URL.
    /// - The connection starts when a consumer needs it: on mount (with `connect_on_mount`,
    ///   the default) or on `open()`, unless the key's connection is connecting, open or
    ///   reconnecting, which the consumer then joins. Each consumer receives every message
    ///   from then on, with its own latest message, history, count and `on_message`.
    /// - Sends from every consumer go through the one
    ///   [`ReconnectingHandle`], so they keep their order.
    /// - `close()` from any consumer closes the connection for everyone (each sees `Closed`);
    ///   `open()` from any consumer starts a new one that every consumer follows.
    /// - The last consumer to unmount closes the connection with 1000 and the key is
    ///   forgotten: the next consumer starts afresh.
    ///
    /// Keys are per thread (the page), in a registry that holds a key only while it has
    /// consumers.
    ///
    /// ```
    /// use browser_ws::yew::UseWebSocketOptions;
    ///
    /// // In every component that shows the feed:
    /// let options: UseWebSocketOptions = UseWebSocketOptions::new().shared("feed").history(20);
    /// assert_eq!(options.get_shared(), Some("feed"));
    /// ```
    #[must_use]
    pub fn shared(mut self, key: impl Into<String>) -> Self {
        self.shared = Some(key.into());
        self
    }

    /// The key of the shared connection, if any (see [`shared`](Self::shared)).
    #[must_use]
    pub fn get_shared(&self) -> Option<&str> {
        self.shared.as_deref()
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

    /// Checks the decode-error close pair, as every connection start does first.
    pub(crate) fn check(&self) -> Result<(), Error> {
        match &self.close_on_decode_error {
            Some((code, reason)) => crate::validate_close(*code, reason),
            None => Ok(()),
        }
    }

    /// Opens a connection as these options say, after checking the decode-error close pair.
    pub(crate) fn open(&self, url: &str) -> Result<ReconnectingHandle, Error> {
        self.check()?;
        self.opener(url)()
    }

    /// Opens a connection to `url` (or where the provider says) with these reconnect options:
    /// what a shared key's first consumer leaves for the key.
    pub(crate) fn opener(&self, url: &str) -> Opener {
        let (url, reconnect, provider) = (
            url.to_owned(),
            self.reconnect.clone(),
            self.provider.clone(),
        );
        Rc::new(move || {
            let socket = match &provider {
                Some(provider) => {
                    let provider = Rc::clone(provider);
                    crate::ReconnectingWebSocket::open_with_async(
                        move || provider(),
                        reconnect.clone(),
                    )?
                }
                None => crate::ReconnectingWebSocket::open(&url, reconnect.clone())?,
            };
            // Only the handle is kept: nobody reads the stream, so it buffers nothing.
            Ok(socket.handle())
        })
    }

    /// The callback, cloned out so that it runs with no borrow of the options held.
    pub(crate) fn callback(&self) -> Option<OnMessage<T>> {
        self.on_message.clone()
    }

    /// The decode-error close rule: closes `handle` for good if the options ask for it.
    pub(crate) fn after_decode_error(&self, handle: &ReconnectingHandle) -> Result<(), Error> {
        match &self.close_on_decode_error {
            Some((code, reason)) => handle.close_with(*code, reason),
            None => Ok(()),
        }
    }
}
