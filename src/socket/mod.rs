//! Opening a socket, and the `WebSocket` type itself; under it the cloneable handle, the
//! Stream and Sink, backpressure, URL and subprotocol rules, and the connection's core
//! ([`conn`]).

pub(crate) mod backpressure;
pub(crate) mod conn;
pub(crate) mod handle;
pub(crate) mod protocols;
pub(crate) mod stream;
pub(crate) mod url;

use std::ops::Deref;

use crate::error::js::js_name_and_message;
use crate::socket::conn::Shared;
use crate::socket::protocols::validate_protocols;
use crate::socket::stream::{StreamOwner, WebSocketReceiver, WebSocketSender};
use crate::{Error, WebSocketHandle};

/// What an exception from the `WebSocket` constructor means. Subprotocols are checked before
/// it runs, so a `SyntaxError` can only be about the URL.
fn constructor_error(url: &str, thrown: &wasm_bindgen::JsValue) -> Error {
    let (name, message) = js_name_and_message(thrown);
    if name == "SyntaxError" {
        Error::InvalidUrl {
            url: url.to_owned(),
            reason: message,
        }
    } else {
        Error::from_js(thrown)
    }
}

/// A browser WebSocket: a [`Stream`](futures_core::Stream) of received messages, a
/// [`Sink`](futures_sink::Sink) of messages to send, and (through `Deref`) a
/// [`WebSocketHandle`] for state, sending, closing and typed handlers.
///
/// Dropping the last `WebSocket`, half or handle closes an open socket with 1000 (a connecting
/// one has its handshake aborted) and removes every listener. A handler may drop it: it is then
/// the last handler to run, for this event (the socket's other handlers of it are skipped) and
/// for every later one, in Blob mode even the Blobs already read.
///
/// ```no_run
/// use browser_ws::{Message, WebSocket};
/// use futures::{SinkExt, StreamExt};
///
/// # async fn demo() -> Result<(), browser_ws::Error> {
/// let mut socket = WebSocket::connect("/echo").await?;
/// socket.send("hello")?; // immediate; the Sink's async send: SinkExt::send(&mut socket, msg)
/// SinkExt::send(&mut socket, Message::from("world")).await?;
/// while let Some(message) = socket.next().await {
///     println!("{:?}", message?);
/// }
/// # Ok(()) }
/// ```
pub struct WebSocket {
    pub(crate) handle: WebSocketHandle,
    pub(crate) stream: StreamOwner,
}

impl std::fmt::Debug for WebSocket {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("WebSocket").field(&self.handle).finish()
    }
}

impl Deref for WebSocket {
    type Target = WebSocketHandle;

    fn deref(&self) -> &WebSocketHandle {
        &self.handle
    }
}

impl WebSocket {
    /// Starts connecting, synchronously, like [`new WebSocket(url)`](https://developer.mozilla.org/en-US/docs/Web/API/WebSocket/WebSocket).
    ///
    /// The URL is resolved the modern WHATWG way in every browser, old ones included: relative
    /// URLs resolve against the document's base URL (a worker's location in a worker),
    /// `http:` becomes `ws:` and `https:` becomes `wss:`.
    ///
    /// ```no_run
    /// # fn demo() -> Result<(), browser_ws::Error> {
    /// // On https://example.com/app/ this connects to wss://example.com/app/live.
    /// let socket = browser_ws::WebSocket::open("live")?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidUrl`] for an unparsable URL, another scheme, or a fragment;
    /// [`Error::Security`] when the browser refuses the target (for example a blocked port);
    /// [`Error::Js`] for any other exception.
    pub fn open(url: &str) -> Result<WebSocket, Error> {
        WebSocket::open_as(url, |resolved| {
            crate::util::native::open(resolved).map_err(|thrown| constructor_error(url, &thrown))
        })
    }

    /// Like [`open`](Self::open), offering subprotocols in order of preference; after opening,
    /// [`protocol()`](WebSocketHandle::protocol) says which one the server chose.
    ///
    /// # Errors
    /// As [`open`](Self::open), plus [`Error::InvalidProtocol`] for an empty, non-token or
    /// repeated subprotocol.
    pub fn open_with_protocols(url: &str, protocols: &[&str]) -> Result<WebSocket, Error> {
        if protocols.is_empty() {
            return WebSocket::open(url);
        }
        WebSocket::open_as(url, |resolved| {
            validate_protocols(protocols)?;
            let list: js_sys::Array = protocols
                .iter()
                .map(|p| wasm_bindgen::JsValue::from_str(p))
                .collect();
            crate::util::native::open_with_protocols(resolved, &list)
                .map_err(|thrown| constructor_error(url, &thrown))
        })
    }

    /// Resolves `url` first, as the browser does, then calls `construct`; generic, so that an
    /// application never offering subprotocols links none of their checks.
    fn open_as(
        url: &str,
        construct: impl FnOnce(&str) -> Result<web_sys::WebSocket, Error>,
    ) -> Result<WebSocket, Error> {
        let resolved = url::resolve(url)?;
        let shared = Shared::new(construct(&resolved)?);
        Ok(WebSocket {
            stream: StreamOwner {
                shared: std::rc::Rc::downgrade(&shared),
            },
            handle: WebSocketHandle { shared },
        })
    }

    /// Connects and resolves once the socket is open. Dropping the future before then aborts
    /// the handshake and removes every listener.
    ///
    /// ```no_run
    /// # async fn demo() -> Result<(), browser_ws::Error> {
    /// let socket = browser_ws::WebSocket::connect("wss://example.com/feed").await?;
    /// assert_eq!(socket.state(), browser_ws::State::Open);
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// As [`open`](Self::open), plus [`Error::ConnectFailed`] with the browser's close event
    /// when the handshake fails.
    pub async fn connect(url: &str) -> Result<WebSocket, Error> {
        let socket = WebSocket::open(url)?;
        socket.handle.opened().await?;
        Ok(socket)
    }

    /// Like [`connect`](Self::connect), offering subprotocols.
    ///
    /// # Errors
    /// As [`open_with_protocols`](Self::open_with_protocols), plus [`Error::ConnectFailed`].
    pub async fn connect_with_protocols(url: &str, protocols: &[&str]) -> Result<WebSocket, Error> {
        let socket = WebSocket::open_with_protocols(url, protocols)?;
        socket.handle.opened().await?;
        Ok(socket)
    }

    /// Splits into a sending half (a `Sink`) and a receiving half (a `Stream`). Both
    /// dereference to [`WebSocketHandle`], so either can still close the socket or await
    /// [`closed()`](WebSocketHandle::closed).
    #[must_use]
    pub fn split(self) -> (WebSocketSender, WebSocketReceiver) {
        (
            WebSocketSender {
                handle: self.handle.clone(),
            },
            WebSocketReceiver {
                handle: self.handle,
                _stream: self.stream,
            },
        )
    }
}
