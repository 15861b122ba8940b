//! JS `Error` objects with stable names.

use wasm_bindgen::JsValue;

use crate::Error;

/// A JS `Error` whose `name` is `name`.
pub(crate) fn js_error(name: &str, message: &str) -> JsValue {
    let error = js_sys::Error::new(message);
    error.set_name(name);
    error.into()
}

/// A JS `TypeError` for an argument of the wrong type.
pub(crate) fn type_error(message: &str) -> JsValue {
    js_sys::TypeError::new(message).into()
}

/// A JS `RangeError` for a value out of its range.
pub(crate) fn range_error(message: &str) -> JsValue {
    js_sys::RangeError::new(message).into()
}

/// The stable JS `name` of each error.
pub(crate) fn error_name(error: &Error) -> &str {
    match error {
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

/// The JS form of a crate error.
pub(crate) fn to_js(error: &Error) -> JsValue {
    let message = match error {
        Error::InvalidCloseCode(code) if !code.is_sendable() && code.0 >= 1000 && code.0 < 3000 => {
            format!("{code} is reserved; use 1000 or 3000-4999")
        }
        Error::InvalidCloseCode(code) => {
            format!("{code} is not a valid close code; use 1000 or 3000-4999")
        }
        Error::Js { message, .. } => message.clone(),
        other => other.to_string(),
    };
    js_error(error_name(error), &message)
}
