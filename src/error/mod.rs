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
pub(crate) mod tests {
    use super::Error;
    use crate::{CloseCode, CloseEvent, Message, State};

    /// One error of every variant and its text; [`variant_is_listed`] keeps the list complete.
    pub(crate) fn every_variant() -> Vec<(Error, &'static str)> {
        let lost = CloseEvent {
            code: CloseCode(1006),
            reason: String::new(),
            was_clean: false,
        };
        vec![
            (
                Error::InvalidUrl {
                    url: "ftp://a.test/".into(),
                    reason: "the scheme must be ws:, wss:, http: or https:".into(),
                },
                "invalid WebSocket URL \"ftp://a.test/\": the scheme must be ws:, wss:, http: or https:",
            ),
            (
                Error::InvalidProtocol {
                    protocol: "a b".into(),
                    reason: "not a token",
                },
                "invalid subprotocol \"a b\": not a token",
            ),
            (
                Error::Security {
                    message: "The port 25 is not allowed.".into(),
                },
                "security error: The port 25 is not allowed.",
            ),
            (
                Error::Js {
                    name: "TypeError".into(),
                    message: "bad".into(),
                },
                "TypeError: bad",
            ),
            (
                Error::ConnectFailed(lost.clone()),
                "connection failed: unclean close with code 1006",
            ),
            (
                Error::ConnectionLost(CloseEvent {
                    code: CloseCode(4001),
                    reason: "gone".into(),
                    was_clean: true,
                }),
                "connection lost: clean close with code 4001 (\"gone\")",
            ),
            (
                Error::NotOpen(State::Closing),
                "the socket is not open (state: CLOSING)",
            ),
            (
                Error::InvalidCloseCode(CloseCode(1001)),
                "close code 1001 cannot be sent by a browser; use 1000 or 3000-4999",
            ),
            (
                Error::ReasonTooLong { bytes: 124 },
                "close reason is 124 UTF-8 bytes; at most 123 are allowed",
            ),
            (
                Error::QueueFull {
                    queued_messages: 10,
                    queued_bytes: 65536,
                    rejected: Message::from("x"),
                },
                "send queue full (10 messages, 65536 bytes queued)",
            ),
            (
                Error::Decode {
                    reason: "expected value".into(),
                    excerpt: "{oops".into(),
                },
                "cannot decode message: expected value (message starts: {oops)",
            ),
            (
                Error::Encode {
                    reason: "key must be a string".into(),
                },
                "cannot encode message: key must be a string",
            ),
            (
                Error::BlobRead {
                    message: "NotReadableError".into(),
                },
                "could not read a received Blob: NotReadableError",
            ),
            (
                Error::MessageTooBig {
                    size: 70_000_000,
                    limit: Some(67_108_864),
                },
                "received message of 70000000 bytes over the limit of 67108864",
            ),
            (
                Error::MessageTooBig {
                    size: 3_000_000_000,
                    limit: None,
                },
                "received message of 3000000000 bytes too large for wasm memory",
            ),
            (
                Error::Unsent {
                    queued_messages: 2,
                    queued_bytes: 3,
                },
                "closed with 2 queued messages (3 bytes) unsent",
            ),
            (
                Error::InvalidOption {
                    option: "heartbeat.interval",
                    reason: "must be more than 0",
                },
                "invalid option heartbeat.interval: must be more than 0",
            ),
        ]
    }

    #[test]
    fn display_to_string_and_the_js_text_are_one_text_per_variant() {
        for (error, expected) in every_variant() {
            assert_eq!(format!("{error}"), expected, "Display");
            assert_eq!(ToString::to_string(&error), expected, "ToString");
            assert_eq!(error.to_string(), expected, "the inherent to_string");
        }
    }

    /// No wildcard: a new variant fails to compile here until [`every_variant`] lists it.
    fn variant_is_listed(error: &Error) -> usize {
        match error {
            Error::InvalidUrl { .. } => 0,
            Error::InvalidProtocol { .. } => 1,
            Error::Security { .. } => 2,
            Error::Js { .. } => 3,
            Error::ConnectFailed(_) => 4,
            Error::ConnectionLost(_) => 5,
            Error::NotOpen(_) => 6,
            Error::InvalidCloseCode(_) => 7,
            Error::ReasonTooLong { .. } => 8,
            Error::QueueFull { .. } => 9,
            Error::Decode { .. } => 10,
            Error::Encode { .. } => 11,
            Error::BlobRead { .. } => 12,
            Error::MessageTooBig { limit: Some(_), .. } => 13,
            Error::MessageTooBig { limit: None, .. } => 14,
            Error::Unsent { .. } => 15,
            Error::InvalidOption { .. } => 16,
        }
    }

    #[test]
    fn every_variant_is_listed_once() {
        let listed: Vec<usize> = every_variant()
            .iter()
            .map(|(error, _)| variant_is_listed(error))
            .collect();
        assert_eq!(listed, (0..17).collect::<Vec<_>>());
    }
}
