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

/// The JS form of a crate error, as `From<Error> for JsValue` makes it but with the npm
/// API's own texts for close codes.
pub(crate) fn to_js(error: &Error) -> JsValue {
    match error {
        Error::InvalidCloseCode(code) if !code.is_sendable() && code.0 >= 1000 && code.0 < 3000 => {
            error.to_js_with_message(&format!("{code} is reserved; use 1000 or 3000-4999"))
        }
        Error::InvalidCloseCode(code) => error.to_js_with_message(&format!(
            "{code} is not a valid close code; use 1000 or 3000-4999"
        )),
        other => JsValue::from(other.clone()),
    }
}
