//! JS `Error` objects with stable names.

use wasm_bindgen::JsValue;

use crate::error::js::named_js_error;
use crate::Error;

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

/// A crate error as `From<Error> for JsValue` makes it, with the npm API's close-code texts.
pub(crate) fn to_js(error: &Error) -> JsValue {
    match error {
        Error::InvalidCloseCode(code) if !code.is_sendable() && code.0 >= 1000 && code.0 < 3000 => {
            named_js_error(
                error.js_name(),
                &format!("{code} is reserved; use 1000 or 3000-4999"),
            )
        }
        Error::InvalidCloseCode(code) => named_js_error(
            error.js_name(),
            &format!("{code} is not a valid close code; use 1000 or 3000-4999"),
        ),
        other => other.to_js(),
    }
}
