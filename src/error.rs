//! The crate's typed error.

use wasm_bindgen::JsValue;

use crate::{CloseCode, CloseEvent, Message, State};

/// Everything that can go wrong, typed: no `JsValue` escapes this crate.
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
    #[error("invalid WebSocket URL \"{url}\": {reason}")]
    InvalidUrl {
        /// The URL as given.
        url: String,
        /// Why it was refused (the browser's message where the browser refused it).
        reason: String,
    },
    /// A subprotocol is empty, not an RFC 7230 token, or listed twice.
    #[error("invalid subprotocol \"{protocol}\": {reason}")]
    InvalidProtocol {
        /// The offending subprotocol.
        protocol: String,
        /// Why it was refused.
        reason: &'static str,
    },
    /// The browser refused the connection for security reasons (a blocked port, mixed content,
    /// a content security policy): a `SecurityError` DOMException.
    #[error("security error: {message}")]
    Security {
        /// The browser's message.
        message: String,
    },
    /// Any other exception the browser threw.
    #[error("{name}: {message}")]
    Js {
        /// The exception's `name` (for example `InvalidStateError`).
        name: String,
        /// The exception's `message`.
        message: String,
    },
    /// The opening handshake failed; the event says how the attempt ended (usually 1006).
    #[error(fmt = show::connect_failed)]
    ConnectFailed(CloseEvent),
    /// An open connection ended without a clean closing handshake.
    #[error(fmt = show::connection_lost)]
    ConnectionLost(CloseEvent),
    /// Sending needs an open socket; this one is in the given state.
    #[error("the socket is not open (state: {0})")]
    NotOpen(State),
    /// A close code other than 1000 or 3000-4999 ([`CloseCode::is_sendable`]).
    #[error(fmt = show::invalid_close_code)]
    InvalidCloseCode(CloseCode),
    /// A close reason longer than 123 UTF-8 bytes.
    #[error(fmt = show::reason_too_long)]
    ReasonTooLong {
        /// The reason's length in UTF-8 bytes.
        bytes: usize,
    },
    /// The send queue of a [`ReconnectingWebSocket`](crate::ReconnectingWebSocket) is at
    /// one of its [`QueueLimits`](crate::QueueLimits): the message was not queued and is
    /// handed back in `rejected`; the queue is unchanged.
    #[error(fmt = show::queue_full)]
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
    #[error("cannot decode message: {reason} (message starts: {excerpt})")]
    Decode {
        /// serde's explanation.
        reason: String,
        /// The start of the message (at most 64 characters).
        excerpt: String,
    },
    /// A value cannot be encoded as JSON (feature `serde`); nothing was sent.
    #[error("cannot encode message: {reason}")]
    Encode {
        /// serde's explanation.
        reason: String,
    },
    /// Reading a received `Blob` into memory failed; the connection goes on.
    #[error("could not read a received Blob: {message}")]
    BlobRead {
        /// The browser's message.
        message: String,
    },
}

/// The error texts that carry numbers, written without `core::fmt`'s integer machinery
/// ([`crate::display`]); thiserror calls these.
mod show {
    use core::fmt::{Display, Formatter, Result};

    use crate::display::write_decimal;
    use crate::{CloseCode, CloseEvent, Message};

    pub(super) fn connect_failed(event: &CloseEvent, f: &mut Formatter<'_>) -> Result {
        f.write_str("connection failed: ")?;
        Display::fmt(event, f)
    }

    pub(super) fn connection_lost(event: &CloseEvent, f: &mut Formatter<'_>) -> Result {
        f.write_str("connection lost: ")?;
        Display::fmt(event, f)
    }

    pub(super) fn invalid_close_code(code: &CloseCode, f: &mut Formatter<'_>) -> Result {
        f.write_str("close code ")?;
        write_decimal(f, code.0.into())?;
        f.write_str(" cannot be sent by a browser; use 1000 or 3000-4999")
    }

    pub(super) fn reason_too_long(bytes: &usize, f: &mut Formatter<'_>) -> Result {
        f.write_str("close reason is ")?;
        write_decimal(f, *bytes as u64)?;
        f.write_str(" UTF-8 bytes; at most 123 are allowed")
    }

    pub(super) fn queue_full(
        queued_messages: &usize,
        queued_bytes: &usize,
        _rejected: &Message,
        f: &mut Formatter<'_>,
    ) -> Result {
        f.write_str("send queue full (")?;
        write_decimal(f, *queued_messages as u64)?;
        f.write_str(" messages, ")?;
        write_decimal(f, *queued_bytes as u64)?;
        f.write_str(" bytes queued)")
    }
}

/// The `name` and `message` of a thrown JS value, whatever it is (an `Error`'s own, else
/// `"Error"` and `String(value)`).
pub(crate) fn js_name_and_message(value: &JsValue) -> (String, String) {
    (
        crate::glue::error_name(value),
        crate::glue::error_message(value),
    )
}

impl Error {
    /// Converts a value thrown by the browser into the matching variant.
    pub(crate) fn from_js(value: &JsValue) -> Error {
        let (name, message) = js_name_and_message(value);
        if name == "SecurityError" {
            Error::Security { message }
        } else {
            Error::Js { name, message }
        }
    }

    /// The close event carried by [`Error::ConnectFailed`] or [`Error::ConnectionLost`].
    #[must_use]
    pub fn close_event(&self) -> Option<&CloseEvent> {
        match self {
            Error::ConnectFailed(event) | Error::ConnectionLost(event) => Some(event),
            _ => None,
        }
    }
}

#[cfg(all(test, target_arch = "wasm32"))]
mod browser_tests {
    use wasm_bindgen::JsValue;
    use wasm_bindgen_test::wasm_bindgen_test;

    use super::Error;

    wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

    fn dom_exception(name: &str, message: &str) -> JsValue {
        web_sys::DomException::new_with_message_and_name(message, name)
            .map(JsValue::from)
            .unwrap_or_else(|thrown| thrown)
    }

    #[wasm_bindgen_test]
    fn browser_exceptions_map_to_typed_errors() {
        assert_eq!(
            Error::from_js(&dom_exception(
                "SecurityError",
                "The port 25 is not allowed."
            )),
            Error::Security {
                message: "The port 25 is not allowed.".into()
            }
        );
        assert_eq!(
            Error::from_js(&dom_exception(
                "InvalidStateError",
                "Still in CONNECTING state."
            )),
            Error::Js {
                name: "InvalidStateError".into(),
                message: "Still in CONNECTING state.".into()
            }
        );
        let type_error: JsValue = js_sys::TypeError::new("bad argument").into();
        assert_eq!(
            Error::from_js(&type_error),
            Error::Js {
                name: "TypeError".into(),
                message: "bad argument".into()
            }
        );
        assert_eq!(
            Error::from_js(&JsValue::from_str("thrown text")),
            Error::Js {
                name: "Error".into(),
                message: "thrown text".into()
            }
        );
        assert!(matches!(
            Error::from_js(&JsValue::from_f64(42.0)),
            Error::Js { .. }
        ));
        assert!(matches!(
            Error::from_js(&JsValue::UNDEFINED),
            Error::Js { .. }
        ));
    }
}
