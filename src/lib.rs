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
mod backpressure;
mod blob_mode;
mod blob_reader;
mod close;
mod closed;
mod diagnostics;
mod dispatch;
mod display;
mod error;
mod error_js;
mod fifo;
mod glue;
mod handle;
mod handlers;
mod ids;
#[cfg(feature = "js")]
pub mod js;
mod js_message;
#[cfg(feature = "serde")]
mod json;
mod lazy_box;
#[cfg(feature = "leptos")]
pub mod leptos;
mod listener;
mod message;
mod pipeline;
mod protocols;
mod reconnect;
mod shared;
mod socket;
mod state;
mod stream;
mod url;
mod wakers;
#[cfg(feature = "yew")]
pub mod yew;

/// The README's and the guides' Rust examples, compiled as doctests so they stay true.
#[cfg(doctest)]
mod guides;

pub use backoff::Backoff;
pub use backpressure::Watermarks;
pub use close::{validate_close, CloseCode, CloseCodeKind, CloseEvent, MAX_REASON_BYTES};
pub use closed::Closed;
pub use diagnostics::live_sockets;
pub use error::Error;
pub use handle::{WeakWebSocketHandle, WebSocketHandle};
pub use handlers::HandlerGuard;
pub use js_message::JsMessage;
#[cfg(feature = "serde")]
pub use json::{Json, SendMessage};
pub use message::{Message, DEFAULT_MAX_MESSAGE_SIZE};
pub use reconnect::{
    ConnectionState, ConnectionStates, Delivery, Disconnect, Heartbeat, QueueLimits,
    ReconnectContext, ReconnectOptions, ReconnectingHandle, ReconnectingWebSocket,
    SubscriptionGuard, WeakReconnectingHandle,
};
pub use socket::WebSocket;
pub use state::{BinaryType, State};
pub use stream::{WebSocketReceiver, WebSocketSender};
