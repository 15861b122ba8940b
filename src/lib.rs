//! The browser's native WebSocket as a typed, leak-free Rust/WebAssembly citizen.
//!
//! - [`WebSocket`] opens a connection ([`open`](WebSocket::open) synchronously,
//!   [`connect`](WebSocket::connect) once open), is a `Stream` of [`Message`]s and a
//!   `Sink`, and splits into halves that can still close the socket.
//! - Typed handlers ([`on_message`](WebSocketHandle::on_message) and friends) return
//!   [`HandlerGuard`]s that unregister on drop; no JS callback is ever leaked.
//! - Binary messages arrive as `Vec<u8>` in arrival order in both [`BinaryType`]s, text and
//!   binary interleaved, and the close is reported after every earlier message.
//! - Close codes and reasons are checked before the browser sees them; every ending is
//!   reported as one [`CloseEvent`] `{ code, reason, was_clean }`; errors are typed ([`Error`]).
//! - Dropping the last handle closes the socket with 1000 and removes its listeners.
//!
//! ```no_run
//! use browser_ws::{Message, WebSocket};
//! use futures::StreamExt;
//!
//! # async fn demo() -> Result<(), browser_ws::Error> {
//! let mut socket = WebSocket::connect("wss://example.com/echo").await?;
//! socket.send("hello")?;
//! if let Some(reply) = socket.next().await {
//!     assert_eq!(reply?, Message::from("hello"));
//! }
//! socket.close_with(4000u16, "bye")?;
//! let ended = socket.closed().await;
//! assert!(ended.was_clean);
//! # Ok(()) }
//! ```

mod backoff;
mod close;
mod error;
#[cfg(any(feature = "yew", feature = "leptos"))]
mod hooks;
#[cfg(feature = "js")]
pub mod js;
mod js_message;
#[cfg(feature = "serde")]
mod json;
mod message;
mod reconnect;
mod socket;
mod state;
mod util;
mod validate;

/// The README's and the guides' Rust examples, compiled as doctests so they stay true.
#[cfg(doctest)]
mod guides;

pub use backoff::Backoff;
pub use close::{CloseCode, CloseCodeKind, CloseEvent, MAX_REASON_BYTES};
pub use error::Error;
#[cfg(feature = "leptos")]
pub use hooks::leptos;
#[cfg(feature = "yew")]
pub use hooks::yew;
pub use js_message::JsMessage;
#[cfg(feature = "serde")]
pub use json::{Json, SendMessage};
pub use message::{Message, DEFAULT_MAX_MESSAGE_SIZE};
pub use reconnect::{
    ConnectionState, ConnectionStates, Decision, Delivery, Disconnect, Endpoint, Heartbeat,
    QueueLimits, ReconnectContext, ReconnectOptions, ReconnectingHandle, ReconnectingWebSocket,
    SubscriptionGuard, WeakReconnectingHandle,
};
pub use socket::backpressure::Watermarks;
pub use socket::conn::closed::Closed;
pub use socket::conn::handlers::HandlerGuard;
pub use socket::handle::{WeakWebSocketHandle, WebSocketHandle};
pub use socket::stream::{WebSocketReceiver, WebSocketSender};
pub use socket::WebSocket;
pub use state::{BinaryType, State};
pub use util::diagnostics::live_sockets;
pub use validate::validate_close;
