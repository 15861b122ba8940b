//! The crate's typed error, its texts ([`display`]) and its JS form ([`js`]).

pub(crate) mod display;
pub(crate) mod js;

use core::fmt;

use crate::error::display::{write_decimal, write_pieces, TextOut};
use crate::{CloseCode, CloseEvent, Message, State};

/// Everything that can go wrong, typed: no `JsValue` escapes this crate.
///
/// Each variant explains itself in English (`Display`); `?` in a function that returns
/// `Result<_, JsValue>` turns it into a JS `Error` named after the variant (the browser's
/// own name for [`Error::Js`] and [`Error::Security`]), through `From<Error> for JsValue`.
///
/// ```
/// use browser_ws::{Error, State};
///
/// let err = Error::NotOpen(State::Connecting);
/// assert_eq!(err.to_string(), "the socket is not open (state: CONNECTING)");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The URL cannot name a WebSocket endpoint: unparsable, a scheme other than
    /// `ws:`/`wss:`/`http:`/`https:`, or a fragment (the browser's `SyntaxError`).
    InvalidUrl {
        /// The URL as given.
        url: String,
        /// Why it was refused (the browser's message where the browser refused it).
        reason: String,
    },
    /// A subprotocol is empty, not an RFC 7230 token, or listed twice.
    InvalidProtocol {
        /// The offending subprotocol.
        protocol: String,
        /// Why it was refused.
        reason: &'static str,
    },
    /// The browser refused the connection for security reasons (a blocked port, mixed content,
    /// a content security policy): a `SecurityError` DOMException.
    Security {
        /// The browser's message.
        message: String,
    },
    /// Any other exception the browser threw.
    Js {
        /// The exception's `name` (for example `InvalidStateError`).
        name: String,
        /// The exception's `message`.
        message: String,
    },
    /// The opening handshake failed; the event says how the attempt ended (usually 1006).
    ConnectFailed(CloseEvent),
    /// An open connection ended without a clean closing handshake.
    ConnectionLost(CloseEvent),
    /// Sending needs an open socket; this one is in the given state.
    NotOpen(State),
    /// A close code other than 1000 or 3000-4999 ([`CloseCode::is_sendable`]).
    InvalidCloseCode(CloseCode),
    /// A close reason longer than 123 UTF-8 bytes.
    ReasonTooLong {
        /// The reason's length in UTF-8 bytes.
        bytes: usize,
    },
    /// The send queue of a [`ReconnectingWebSocket`](crate::ReconnectingWebSocket) is at
    /// one of its [`QueueLimits`](crate::QueueLimits): the message was not queued and is
    /// handed back in `rejected`; the queue is unchanged.
    QueueFull {
        /// Messages in the queue.
        queued_messages: usize,
        /// Payload bytes in the queue.
        queued_bytes: usize,
        /// The message that was refused.
        rejected: Message,
    },
    /// A received message is not the JSON the application expects (feature `serde`); the
    /// connection goes on.
    Decode {
        /// serde's explanation.
        reason: String,
        /// The start of the message (at most 64 characters).
        excerpt: String,
    },
    /// A value cannot be encoded as JSON (feature `serde`); nothing was sent.
    Encode {
        /// serde's explanation.
        reason: String,
    },
    /// Reading a received `Blob` into memory failed; the connection goes on.
    BlobRead {
        /// The browser's message.
        message: String,
    },
    /// A received message was larger than the socket's
    /// [`max_message_size`](crate::WebSocketHandle::max_message_size) (`limit`), or than wasm
    /// memory could take (`limit` is `None`). It was not copied: this error takes its place,
    /// and the socket is closed with [`CloseCode::RECEIVE_LIMIT`] (browsers may not
    /// send 1009).
    MessageTooBig {
        /// The message's size in bytes (UTF-8 bytes for text; at most `usize::MAX`, 4 GiB in
        /// wasm32, for a larger one).
        size: usize,
        /// The limit it exceeded, if it was the configured one.
        limit: Option<usize>,
    },
    /// A reconnecting connection's Sink was closed, or flushed, with messages still in the
    /// send queue that can no longer be sent (the connection is closing or closed for good);
    /// they stay queued, for [`take_queued`](crate::ReconnectingHandle::take_queued).
    Unsent {
        /// Messages left in the queue.
        queued_messages: usize,
        /// Their payload bytes.
        queued_bytes: usize,
    },
    /// An option cannot work as given (a zero heartbeat interval, say); nothing was opened.
    InvalidOption {
        /// The option, as its builder method names it (`"heartbeat.interval"`).
        option: &'static str,
        /// What it must be.
        reason: &'static str,
    },
}

impl Error {
    /// The close event carried by [`Error::ConnectFailed`] or [`Error::ConnectionLost`].
    #[must_use]
    pub fn close_event(&self) -> Option<&CloseEvent> {
        match self {
            Error::ConnectFailed(event) | Error::ConnectionLost(event) => Some(event),
            _ => None,
        }
    }

    /// The error's text, exactly as `Display` (`{}`, [`ToString`]) shows it, built without
    /// `core::fmt`: an inherent method, so `error.to_string()` costs an application's wasm
    /// none of the formatting machinery (about 450 B gzip in a minimal app).
    ///
    /// ```
    /// use browser_ws::{CloseCode, Error};
    ///
    /// let error = Error::InvalidCloseCode(CloseCode(1005));
    /// assert_eq!(error.to_string(), format!("{error}"));
    /// assert_eq!(error.to_string(), ToString::to_string(&error));
    /// ```
    #[must_use]
    #[allow(clippy::inherent_to_string_shadow_display)]
    pub fn to_string(&self) -> String {
        let mut text = String::new();
        // Writing into a `String` cannot fail.
        let _ = self.describe(&mut text);
        text
    }

    /// The error's text, for `Display` and the JS `Error` alike ([`crate::error::display`]).
    fn describe(&self, out: &mut impl TextOut) -> fmt::Result {
        match self {
            Error::InvalidUrl { url, reason } => {
                write_pieces(out, &["invalid WebSocket URL \"", url, "\": ", reason])
            }
            Error::InvalidProtocol { protocol, reason } => {
                write_pieces(out, &["invalid subprotocol \"", protocol, "\": ", reason])
            }
            Error::Security { message } => write_pieces(out, &["security error: ", message]),
            Error::Js { name, message } => write_pieces(out, &[name, ": ", message]),
            Error::ConnectFailed(event) => {
                out.put("connection failed: ")?;
                event.describe(out)
            }
            Error::ConnectionLost(event) => {
                out.put("connection lost: ")?;
                event.describe(out)
            }
            Error::NotOpen(state) => {
                write_pieces(out, &["the socket is not open (state: ", state.name(), ")"])
            }
            Error::InvalidCloseCode(code) => {
                out.put("close code ")?;
                write_decimal(out, code.0.into())?;
                out.put(" cannot be sent by a browser; use 1000 or 3000-4999")
            }
            Error::ReasonTooLong { bytes } => {
                out.put("close reason is ")?;
                write_decimal(out, *bytes as u64)?;
                out.put(" UTF-8 bytes; at most 123 are allowed")
            }
            Error::QueueFull {
                queued_messages,
                queued_bytes,
                ..
            } => {
                out.put("send queue full (")?;
                write_decimal(out, *queued_messages as u64)?;
                out.put(" messages, ")?;
                write_decimal(out, *queued_bytes as u64)?;
                out.put(" bytes queued)")
            }
            Error::Decode { reason, excerpt } => write_pieces(
                out,
                &[
                    "cannot decode message: ",
                    reason,
                    " (message starts: ",
                    excerpt,
                    ")",
                ],
            ),
            Error::Encode { reason } => write_pieces(out, &["cannot encode message: ", reason]),
            Error::BlobRead { message } => {
                write_pieces(out, &["could not read a received Blob: ", message])
            }
            Error::MessageTooBig { size, limit } => {
                out.put("received message of ")?;
                write_decimal(out, *size as u64)?;
                match limit {
                    Some(limit) => {
                        out.put(" bytes over the limit of ")?;
                        write_decimal(out, *limit as u64)?;
                        Ok(())
                    }
                    None => out.put(" bytes too large for wasm memory"),
                }
            }
            Error::Unsent {
                queued_messages,
                queued_bytes,
            } => {
                out.put("closed with ")?;
                write_decimal(out, *queued_messages as u64)?;
                out.put(" queued messages (")?;
                write_decimal(out, *queued_bytes as u64)?;
                out.put(" bytes) unsent")
            }
            Error::InvalidOption { option, reason } => {
                write_pieces(out, &["invalid option ", option, ": ", reason])
            }
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.describe(f)
    }
}

#[cfg(test)]
pub(crate) mod tests;
