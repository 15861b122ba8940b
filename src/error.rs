//! The crate's typed error.

use core::fmt;

use wasm_bindgen::JsValue;

use crate::display::{write_decimal, write_pieces, TextOut};
use crate::{CloseCode, CloseEvent, Message, State};

/// Everything that can go wrong, typed: no `JsValue` escapes this crate.
///
/// Each variant explains itself in English (`Display`); `?` in a function that returns
/// `Result<_, JsValue>` turns it into a JS `Error` named after the variant (see
/// `From<Error> for JsValue` below).
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
}

impl Error {
    /// The error's text, as `Display` shows it.
    fn text(&self) -> String {
        let mut text = String::new();
        // Writing into a `String` cannot fail.
        let _ = self.describe(&mut text);
        text
    }

    /// The error's text, written once for `Display` and for [`JsValue`] alike (see
    /// [`crate::display`]).
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
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.describe(f)
    }
}

impl Error {
    /// The error's stable JS `name` (its variant's name; the browser's own for
    /// [`Error::Js`] and [`Error::Security`]).
    pub(crate) fn js_name(&self) -> &str {
        match self {
            Error::InvalidUrl { .. } => "InvalidUrl",
            Error::InvalidProtocol { .. } => "InvalidProtocol",
            Error::Security { .. } => "SecurityError",
            Error::Js { name, .. } => name,
            Error::ConnectFailed(_) => "ConnectFailed",
            Error::ConnectionLost(_) => "ConnectionLost",
            Error::NotOpen(_) => "NotOpen",
            Error::InvalidCloseCode(_) => "InvalidCloseCode",
            Error::ReasonTooLong { .. } => "ReasonTooLong",
            Error::BlobRead { .. } => "BlobRead",
            Error::QueueFull { .. } => "QueueFull",
            Error::Decode { .. } => "Decode",
            Error::Encode { .. } => "Encode",
        }
    }

    /// A JS `Error` with the error's [JS name](Self::js_name) and `message`.
    pub(crate) fn to_js_with_message(&self, message: &str) -> JsValue {
        let error = js_sys::Error::new(message);
        error.set_name(self.js_name());
        error.into()
    }
}

/// A JS [`Error`](https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Global_Objects/Error)
/// for the error, so `?` hands browser-ws errors to JS (an exported `async fn` returning
/// `Result<_, JsValue>` rejects with it).
///
/// Its `name` is the variant's (`"ConnectFailed"`, `"NotOpen"`, `"InvalidCloseCode"`...), or
/// the browser's own for [`Error::Js`] and [`Error::Security`]; its `message` is the error's
/// text (the browser's own message for [`Error::Js`]). The npm package throws the same names.
/// The text is built without `core::fmt`, so this costs an application less than
/// `JsValue::from_str(&error.to_string())`.
///
/// ```no_run
/// use wasm_bindgen::prelude::*;
///
/// #[wasm_bindgen]
/// pub async fn greet(url: String) -> Result<(), JsValue> {
///     let socket = browser_ws::WebSocket::connect(&url).await?;
///     socket.send("hello")?;
///     Ok(())
/// }
/// ```
impl From<Error> for JsValue {
    fn from(error: Error) -> JsValue {
        match &error {
            Error::Js { message, .. } => error.to_js_with_message(message),
            other => other.to_js_with_message(&other.text()),
        }
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

#[cfg(test)]
mod tests {
    use super::Error;
    use crate::{CloseCode, CloseEvent, Message, State};

    /// One error of every variant, with the text it must show.
    fn every_variant() -> Vec<(Error, &'static str)> {
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
        ]
    }

    #[test]
    fn display_and_the_js_text_are_one_text_per_variant() {
        for (error, expected) in every_variant() {
            assert_eq!(error.to_string(), expected);
            assert_eq!(error.text(), expected);
        }
    }

    #[test]
    fn every_variant_has_its_own_js_name() {
        let names: Vec<String> = every_variant()
            .iter()
            .map(|(error, _)| error.js_name().to_owned())
            .collect();
        let mut unique = names.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), names.len(), "{names:?}");
        assert_eq!(names[0], "InvalidUrl");
        assert_eq!(names[3], "TypeError", "Error::Js keeps the browser's name");
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

    /// `?` into `JsValue` gives a JS `Error` with the stable name and the error's text.
    #[wasm_bindgen_test]
    fn errors_become_named_js_errors() {
        use wasm_bindgen::JsCast;

        let cases = [
            (
                Error::InvalidCloseCode(crate::CloseCode(1001)),
                "InvalidCloseCode",
                "close code 1001 cannot be sent by a browser; use 1000 or 3000-4999",
            ),
            (
                Error::NotOpen(crate::State::Connecting),
                "NotOpen",
                "the socket is not open (state: CONNECTING)",
            ),
            (
                Error::Security {
                    message: "The port 25 is not allowed.".into(),
                },
                "SecurityError",
                "security error: The port 25 is not allowed.",
            ),
            (
                Error::Js {
                    name: "InvalidStateError".into(),
                    message: "Still in CONNECTING state.".into(),
                },
                "InvalidStateError",
                "Still in CONNECTING state.",
            ),
        ];
        for (error, name, message) in cases {
            let value = JsValue::from(error);
            let js_error = value.dyn_ref::<js_sys::Error>();
            assert!(js_error.is_some(), "an Error instance: {value:?}");
            if let Some(js_error) = js_error {
                assert_eq!(String::from(js_error.name()), name);
                assert_eq!(String::from(js_error.message()), message);
            }
        }
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
