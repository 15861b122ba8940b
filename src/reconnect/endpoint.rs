//! Where each attempt connects: a fixed [`Endpoint`], or one a provider returns anew for every
//! attempt.

use std::cell::RefCell;
use std::fmt::Display;
use std::future::Future;
use std::pin::Pin;

/// Where one connection attempt goes: a URL (absolute `ws:`/`wss:`/`http:`/`https:`, or
/// relative to the page, as for [`WebSocket::open`](crate::WebSocket::open)) and,
/// optionally, the subprotocols to offer instead of
/// [`ReconnectOptions::protocols`](crate::ReconnectOptions::protocols).
///
/// A URL provider
/// ([`ReconnectingWebSocket::open_with`](crate::ReconnectingWebSocket::open_with)) returns
/// one per attempt; a `String` or `&str` converts into one.
///
/// ```
/// use browser_ws::Endpoint;
///
/// let endpoint = Endpoint::new("wss://example.com/live?token=abc").protocols(["chat.v2"]);
/// assert_eq!(endpoint.url(), "wss://example.com/live?token=abc");
/// assert_eq!(endpoint.get_protocols(), Some(&["chat.v2".to_owned()][..]));
/// assert_eq!(Endpoint::from("/feed").get_protocols(), None);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoint {
    url: String,
    protocols: Option<Vec<String>>,
}

impl Endpoint {
    /// An endpoint with the options' subprotocols.
    #[must_use]
    pub fn new(url: impl Into<String>) -> Self {
        Endpoint {
            url: url.into(),
            protocols: None,
        }
    }

    /// Offers these subprotocols on this attempt (instead of the options' ones); checked like
    /// [`WebSocket::open_with_protocols`](crate::WebSocket::open_with_protocols) before the
    /// attempt, a bad one failing the attempt as [`Disconnect::Provider`](crate::Disconnect::Provider).
    #[must_use]
    pub fn protocols<I, S>(mut self, protocols: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.protocols = Some(protocols.into_iter().map(Into::into).collect());
        self
    }

    /// The URL, as given.
    #[must_use]
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The subprotocols to offer, if set here.
    #[must_use]
    pub fn get_protocols(&self) -> Option<&[String]> {
        self.protocols.as_deref()
    }
}

impl From<String> for Endpoint {
    fn from(url: String) -> Endpoint {
        Endpoint::new(url)
    }
}

impl From<&str> for Endpoint {
    fn from(url: &str) -> Endpoint {
        Endpoint::new(url)
    }
}

impl From<&String> for Endpoint {
    fn from(url: &String) -> Endpoint {
        Endpoint::new(url.as_str())
    }
}

/// One attempt's endpoint, or the provider's error as text.
pub(crate) type Provided = Pin<Box<dyn Future<Output = Result<Endpoint, String>>>>;

/// Where the attempts connect.
pub(crate) enum Target {
    /// The same endpoint every time, its URL already resolved.
    Fixed(Endpoint),
    /// Called before every attempt (never while a call of it runs: the `RefCell`).
    Provider(RefCell<Box<dyn FnMut() -> Provided>>),
}

impl Target {
    /// A synchronous provider, as an async one that is ready at once.
    pub(crate) fn sync<F, R, E>(mut provider: F) -> Target
    where
        F: FnMut() -> Result<R, E> + 'static,
        R: Into<Endpoint>,
        E: Display,
    {
        Target::Provider(RefCell::new(Box::new(move || {
            let result = provider().map(Into::into).map_err(|e| e.to_string());
            Box::pin(std::future::ready(result))
        })))
    }

    pub(crate) fn future<F, Fut, R, E>(mut provider: F) -> Target
    where
        F: FnMut() -> Fut + 'static,
        Fut: Future<Output = Result<R, E>> + 'static,
        R: Into<Endpoint>,
        E: Display,
    {
        Target::Provider(RefCell::new(Box::new(move || {
            let future = provider();
            Box::pin(async move { future.await.map(Into::into).map_err(|e| e.to_string()) })
        })))
    }
}
