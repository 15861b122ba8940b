//! Checking JS arguments: every value is accepted as `JsValue` and checked here.

use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};

use super::errors::type_error;
use crate::error_js::named_js_error;
use crate::{BinaryType, CloseCode, MAX_REASON_BYTES};

#[wasm_bindgen]
extern "C" {
    /// `Array.isArray`, which throws for a revoked Proxy. Every call that can run script or
    /// throw is a `catch` import here: an exception that unwinds through wasm instead of coming
    /// back as an `Err` leaks wasm's stack (and any borrow of the `Socket`), and enough of them
    /// trap the module.
    #[wasm_bindgen(js_namespace = Array, js_name = isArray, catch)]
    fn is_array(value: &JsValue) -> Result<bool, JsValue>;
}

/// A URL argument: a string or a `URL` object.
pub(crate) fn url(value: &JsValue) -> Result<String, JsValue> {
    if let Some(text) = value.as_string() {
        return Ok(text);
    }
    let not_a_url = || type_error("url must be a string or a URL");
    if value.is_instance_of::<web_sys::Url>() {
        // Read through `Reflect.get`, which catches: an object that only inherits from
        // `URL.prototype` (or a Proxy of a URL) makes the `href` getter throw.
        let href =
            js_sys::Reflect::get(value, &JsValue::from_str("href")).map_err(|_| not_a_url())?;
        return href.as_string().ok_or_else(not_a_url);
    }
    Err(not_a_url())
}

/// The constructor's options: `{ protocols?: string | string[], binaryType?: "blob" | "arraybuffer" }`,
/// and `reconnect`, `queue`, `heartbeat` (checked in `reconnect_options.rs`).
pub(crate) struct Options {
    pub(crate) protocols: Vec<String>,
    pub(crate) binary_type: Option<BinaryType>,
    /// `Some` when `reconnect` is `true` or an object.
    pub(crate) reconnect: Option<crate::ReconnectOptions>,
}

pub(crate) fn options(value: &JsValue) -> Result<Options, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Ok(Options {
            protocols: Vec::new(),
            binary_type: None,
            reconnect: None,
        });
    }
    if !value.is_object() || value.is_function() {
        return Err(type_error("options must be an object"));
    }
    let field = |name: &str| js_sys::Reflect::get(value, &JsValue::from_str(name));
    let protocols = protocols(&field("protocols")?)?;
    let binary_type = match field("binaryType")? {
        v if v.is_undefined() => None,
        v => Some(binary_type(&v)?),
    };
    let reconnect = super::reconnect_options::reconnect_options(value, &protocols)?;
    Ok(Options {
        protocols,
        binary_type,
        reconnect,
    })
}

fn protocols(value: &JsValue) -> Result<Vec<String>, JsValue> {
    if value.is_undefined() {
        return Ok(Vec::new());
    }
    if let Some(single) = value.as_string() {
        return Ok(vec![single]);
    }
    let not_strings = || type_error("protocols must be a string or an array of strings");
    if !is_array(value).map_err(|_| not_strings())? {
        return Err(not_strings());
    }
    // A Proxy may throw from any read: `Reflect.get` hands that back as an `Err`.
    let length = js_sys::Reflect::get(value, &JsValue::from_str("length"))?
        .as_f64()
        .unwrap_or(0.0) as u32;
    (0..length)
        .map(|index| {
            js_sys::Reflect::get_u32(value, index)?
                .as_string()
                .ok_or_else(not_strings)
        })
        .collect()
}

/// `"blob"` or `"arraybuffer"`.
pub(crate) fn binary_type(value: &JsValue) -> Result<BinaryType, JsValue> {
    match value.as_string().as_deref() {
        Some("blob") => Ok(BinaryType::Blob),
        Some("arraybuffer") => Ok(BinaryType::ArrayBuffer),
        _ => Err(type_error(r#"binaryType must be "blob" or "arraybuffer""#)),
    }
}

/// A close code argument: `undefined` or an integer in 0-65535 (checked for sendability later).
pub(crate) fn close_code(value: &JsValue) -> Result<Option<CloseCode>, JsValue> {
    if value.is_undefined() {
        return Ok(None);
    }
    let Some(number) = value.as_f64() else {
        return Err(type_error("code must be a number"));
    };
    if number.fract() != 0.0 || !(0.0..=65535.0).contains(&number) {
        return Err(named_js_error(
            "InvalidCloseCode",
            &format!(
                "{} is not a close code; use 1000 or 3000-4999",
                js_number(number)
            ),
        ));
    }
    // In range and integral, so the conversion is exact.
    let code = CloseCode(number as u16);
    // Checked here, before the reason, in the standard's order (code first).
    if !code.is_sendable() {
        return Err(super::errors::to_js(&crate::Error::InvalidCloseCode(code)));
    }
    Ok(Some(code))
}

/// A number as JS prints it (`NaN`, `Infinity`, `4000.5`).
pub(crate) fn js_number(number: f64) -> String {
    if number.is_nan() {
        "NaN".to_owned()
    } else if number.is_infinite() {
        if number > 0.0 {
            "Infinity"
        } else {
            "-Infinity"
        }
        .to_owned()
    } else {
        format!("{number}")
    }
}

/// A close reason argument: `undefined` or a string. Its length is checked before it is copied
/// into wasm memory, so a huge string costs nothing.
pub(crate) fn close_reason(value: &JsValue) -> Result<String, JsValue> {
    if value.is_undefined() {
        return Ok(String::new());
    }
    let Some(text) = value.dyn_ref::<js_sys::JsString>() else {
        return Err(type_error("reason must be a string"));
    };
    // Each UTF-16 unit is at least one UTF-8 byte: a longer string cannot fit.
    if text.length() as usize > MAX_REASON_BYTES {
        let bytes = utf8_length(text);
        return Err(crate::Error::ReasonTooLong { bytes }.to_js());
    }
    Ok(String::from(text))
}

/// UTF-8 length of a JS string without copying it (lone surrogates count as U+FFFD: 3 bytes).
fn utf8_length(text: &js_sys::JsString) -> usize {
    let mut bytes = 0;
    let mut pending_high = false;
    for unit in text.iter() {
        bytes += match unit {
            0..=0x7f => 1,
            0x80..=0x7ff => 2,
            0xd800..=0xdbff => {
                if pending_high {
                    bytes += 3;
                }
                pending_high = true;
                continue;
            }
            0xdc00..=0xdfff if pending_high => {
                pending_high = false;
                4
            }
            _ => 3,
        };
        if pending_high {
            bytes += 3;
            pending_high = false;
        }
    }
    if pending_high {
        bytes += 3;
    }
    bytes
}
