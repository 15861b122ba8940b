//! What the JS API throws: where `WebSocket` throws, the same `DOMException` (its standard
//! `name`, the library's precise message); elsewhere JS `Error`s with stable names.

use wasm_bindgen::JsValue;

use crate::error::js::named_js_error;
use crate::{Error, State};

/// A JS `TypeError` for an argument of the wrong type.
pub(crate) fn type_error(message: &str) -> JsValue {
    js_sys::TypeError::new(message).into()
}

/// A JS `RangeError` for a value out of its range.
pub(crate) fn range_error(message: &str) -> JsValue {
    js_sys::RangeError::new(message).into()
}

/// [`fits_in_wasm_memory`](crate::js_message::fits_in_wasm_memory) as a `RangeError`.
pub(crate) fn fits_in_wasm_memory(length: f64) -> Result<(), JsValue> {
    if crate::js_message::fits_in_wasm_memory(length) {
        Ok(())
    } else {
        Err(range_error(
            "the data is too large to copy into wasm memory (for the queue or the heartbeat)",
        ))
    }
}

/// A `DOMException` with this standard `name` (a named `Error` where there is no
/// `DOMException`).
pub(crate) fn dom_exception(name: &str, message: &str) -> JsValue {
    web_sys::DomException::new_with_message_and_name(message, name)
        .map_or_else(|_| named_js_error(name, message), JsValue::from)
}

/// A crate error for the JS API: the `DOMException` `WebSocket` throws in its place
/// (`SyntaxError`, `InvalidAccessError`, `InvalidStateError`, `SecurityError`, or the
/// browser's own name), else as `From<Error> for JsValue` makes it.
pub(crate) fn to_js(error: &Error) -> JsValue {
    match error {
        Error::InvalidCloseCode(code) if !code.is_sendable() && code.0 >= 1000 && code.0 < 3000 => {
            dom_exception(
                "InvalidAccessError",
                &format!("{code} is reserved; use 1000 or 3000-4999"),
            )
        }
        Error::InvalidCloseCode(code) => dom_exception(
            "InvalidAccessError",
            &format!("{code} is not a valid close code; use 1000 or 3000-4999"),
        ),
        Error::InvalidUrl { .. } | Error::InvalidProtocol { .. } | Error::ReasonTooLong { .. } => {
            dom_exception("SyntaxError", &error.to_string())
        }
        Error::NotOpen(State::Connecting) => dom_exception(
            "InvalidStateError",
            "the socket is still connecting: wait for open (socket.opened) before sending",
        ),
        Error::Security { message } => dom_exception("SecurityError", message),
        Error::Js { name, message } if name != "TypeError" && name != "RangeError" => {
            dom_exception(name, message)
        }
        other => other.to_js(),
    }
}
