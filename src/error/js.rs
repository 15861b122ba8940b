//! [`Error`] and JS values, both ways: what the browser throws becomes a typed [`Error`], and
//! an [`Error`] handed to JS (`?` into `JsValue`, the npm package) becomes a JS `Error` with a
//! stable `name`.

use wasm_bindgen::JsValue;

use crate::Error;

/// A JS [`Error`](https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Global_Objects/Error)
/// with this `name` and `message`.
pub(crate) fn named_js_error(name: &str, message: &str) -> JsValue {
    crate::util::glue::named_error(name, message)
}

/// A thrown value's `name` and `message`: an `Error`'s own, else `"Error"` and `String(value)`.
pub(crate) fn js_name_and_message(value: &JsValue) -> (String, String) {
    (
        crate::util::glue::text(crate::util::glue::error_name(value)),
        crate::util::glue::text(crate::util::glue::error_message(value)),
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

    /// The error's stable JS `name`: its variant's, or the browser's own for [`Error::Js`]
    /// and [`Error::Security`].
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
            Error::MessageTooBig { .. } => "MessageTooBig",
            Error::Unsent { .. } => "Unsent",
            Error::InvalidOption { .. } => "InvalidOption",
        }
    }

    /// The error's JS message: its text, or the browser's own message for [`Error::Js`].
    fn js_message(&self) -> String {
        match self {
            Error::Js { message, .. } => message.clone(),
            other => other.to_string(),
        }
    }

    /// [`From<Error> for JsValue`](#impl-From<Error>-for-JsValue) without taking the error.
    pub(crate) fn to_js(&self) -> JsValue {
        named_js_error(self.js_name(), &self.js_message())
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
        error.to_js()
    }
}

#[cfg(test)]
mod tests {
    use crate::error::tests::every_variant;

    /// The names are the npm package's API: each pinned, and each variant's own.
    #[test]
    fn every_variant_has_its_stable_js_name() {
        let errors = every_variant();
        let names: Vec<&str> = errors.iter().map(|(error, _)| error.js_name()).collect();
        assert_eq!(
            names,
            [
                "InvalidUrl",
                "InvalidProtocol",
                "SecurityError",
                "TypeError",
                "ConnectFailed",
                "ConnectionLost",
                "NotOpen",
                "InvalidCloseCode",
                "ReasonTooLong",
                "QueueFull",
                "Decode",
                "Encode",
                "BlobRead",
                "MessageTooBig",
                "MessageTooBig",
                "Unsent",
                "InvalidOption",
            ]
        );
    }
}

#[cfg(all(test, target_arch = "wasm32"))]
mod browser_tests {
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_test::wasm_bindgen_test;

    use crate::Error;

    wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

    fn dom_exception(name: &str, message: &str) -> JsValue {
        web_sys::DomException::new_with_message_and_name(message, name)
            .map(JsValue::from)
            .unwrap_or_else(|thrown| thrown)
    }

    /// `?` into `JsValue` gives, for every variant, a JS `Error` with the stable name and the
    /// error's text (the browser's own message for `Error::Js`).
    #[wasm_bindgen_test]
    fn errors_become_named_js_errors() {
        for (error, text) in crate::error::tests::every_variant() {
            let name = error.js_name().to_owned();
            let message = match &error {
                Error::Js { message, .. } => message.clone(),
                _ => text.to_owned(),
            };
            let value = JsValue::from(error);
            let js_error = value.dyn_ref::<js_sys::Error>();
            assert!(js_error.is_some(), "an Error instance: {value:?}");
            if let Some(js_error) = js_error {
                assert_eq!(String::from(js_error.name()), name);
                assert_eq!(String::from(js_error.message()), message);
            }
        }
    }

    /// What the browser throws comes back out to JS as it was thrown: name and message.
    #[wasm_bindgen_test]
    fn a_thrown_exception_round_trips_to_js() {
        let thrown = dom_exception("InvalidStateError", "Still in CONNECTING state.");
        let value = JsValue::from(Error::from_js(&thrown));
        let js_error = value.dyn_ref::<js_sys::Error>();
        assert_eq!(
            js_error.map(|e| (String::from(e.name()), String::from(e.message()))),
            Some((
                "InvalidStateError".to_owned(),
                "Still in CONNECTING state.".to_owned()
            ))
        );
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
