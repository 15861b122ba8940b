//! Checking JS arguments: every value is accepted as `JsValue` and checked here.

use js_sys::JsString;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};

use super::errors::{dom_exception, type_error};
use super::values::{checked_string, js_number};
use crate::{BinaryType, CloseCode, MAX_REASON_BYTES};

/// The longest subprotocol accepted in UTF-16 units (beyond any real one), checked before copying.
const MAX_PROTOCOL_LENGTH: u32 = 1024;

/// The most subprotocols accepted in one list, checked before any is copied.
const MAX_PROTOCOLS: f64 = 1024.0;

/// The longest `binaryType` value (`"arraybuffer"`), in UTF-16 units.
const MAX_BINARY_TYPE_LENGTH: u32 = 11;

#[wasm_bindgen]
extern "C" {
    /// `Array.isArray` (throws for a revoked Proxy); every call that can throw is a `catch`
    /// import here, as unwinding through wasm leaks its stack and the `Socket`'s borrow.
    #[wasm_bindgen(js_namespace = Array, js_name = isArray, catch)]
    fn is_array(value: &JsValue) -> Result<bool, JsValue>;
}

#[wasm_bindgen(inline_js = r#"
export function urlString(value) {
  if (typeof value === "string") return value;
  let url;
  try { url = value instanceof URL ? value.href : undefined; } catch { url = undefined; }
  if (typeof url !== "string") throw new TypeError("url must be a string or a URL");
  return url;
}
export function invalidUrl(url, thrown) {
  let reason = "";
  try { reason = thrown instanceof Error ? String(thrown.message) : String(thrown); } catch {}
  return new DOMException(`invalid WebSocket URL "${url}": ${reason}`, "SyntaxError");
}
"#)]
extern "C" {
    /// A string, or a `URL`'s `href`, read in JS (no copy); throws a `TypeError` for another value.
    #[wasm_bindgen(js_name = urlString, catch)]
    fn url_string(value: &JsValue) -> Result<JsValue, JsValue>;

    /// [`crate::Error::InvalidUrl`]'s JS error for `url` (a `SyntaxError` `DOMException`, as
    /// `new WebSocket` throws), built in JS so the URL is never copied.
    #[wasm_bindgen(js_name = invalidUrl)]
    fn invalid_url(url: &JsValue, thrown: &JsValue) -> JsValue;
}

/// A string or `URL` argument, resolved ([`crate::util::glue::resolve_url_value`]) before its
/// copy (ASCII, at most 2 MiB); a `TypeError`, `SyntaxError` or `RangeError` otherwise.
pub(crate) fn url(value: &JsValue) -> Result<String, JsValue> {
    let text = url_string(value)?;
    let resolved = crate::util::glue::resolve_url_value(&text)
        .map_err(|thrown| invalid_url(&text, &thrown))?;
    let bytes = crate::js_message::STRING_COPY_BYTES_PER_UNIT * f64::from(resolved.length());
    if !crate::js_message::fits_in_wasm_memory(bytes) {
        return Err(super::errors::range_error(
            "the URL is too large to copy into wasm memory",
        ));
    }
    resolved
        .as_string()
        .ok_or_else(|| type_error("url must be a string or a URL"))
}

/// The constructor's first argument: a URL, or (with `reconnect`) a function called before
/// every attempt.
pub(crate) enum Url {
    Fixed(String),
    Provider(js_sys::Function),
}

pub(crate) fn target(value: &JsValue) -> Result<Url, JsValue> {
    match value.dyn_ref::<js_sys::Function>() {
        Some(function) => Ok(Url::Provider(function.clone())),
        None => url(value).map(Url::Fixed),
    }
}

/// A URL function as a provider: each call's result (a throw, or a Promise's rejection, fails
/// the attempt) is a string, a `URL` or `{ url, protocols }`.
pub(crate) fn provider(
    function: js_sys::Function,
) -> impl FnMut() -> std::pin::Pin<
    Box<dyn std::future::Future<Output = Result<crate::Endpoint, String>>>,
> + 'static {
    move || {
        let returned = function.call0(&JsValue::UNDEFINED);
        Box::pin(async move {
            let value = returned.map_err(|thrown| error_text(&thrown))?;
            let promise = js_sys::Promise::resolve(&value);
            let value = wasm_bindgen_futures::JsFuture::from(promise)
                .await
                .map_err(|thrown| error_text(&thrown))?;
            endpoint(&value).map_err(|thrown| error_text(&thrown))
        })
    }
}

/// What a URL function returned, as an [`crate::Endpoint`].
fn endpoint(value: &JsValue) -> Result<crate::Endpoint, JsValue> {
    if value.is_object() && value.dyn_ref::<web_sys::Url>().is_none() {
        let field = |name: &str| js_sys::Reflect::get(value, &JsValue::from_str(name));
        let endpoint = crate::Endpoint::new(url(&field("url")?)?);
        let offered = field("protocols")?;
        if offered.is_undefined() {
            return Ok(endpoint);
        }
        return Ok(endpoint.protocols(protocols(&offered)?));
    }
    Ok(crate::Endpoint::new(url(value).map_err(|_| {
        type_error("the URL function must return a string, a URL or { url, protocols } (or a Promise of one)")
    })?))
}

/// A thrown value as text: an `Error`'s `name: message`, a string as is.
fn error_text(thrown: &JsValue) -> String {
    if let Some(error) = thrown.dyn_ref::<js_sys::Error>() {
        return format!(
            "{}: {}",
            String::from(error.name()),
            String::from(error.message())
        );
    }
    thrown
        .as_string()
        .unwrap_or_else(|| "the URL function failed with a value that is not an Error".to_owned())
}

/// The constructor's `{ protocols, binaryType, maxMessageSize }`, and `reconnect`, `queue`,
/// `heartbeat` (checked in `reconnect_options.rs`).
pub(crate) struct Options {
    pub(crate) protocols: Vec<String>,
    pub(crate) binary_type: Option<BinaryType>,
    /// The receive limit (`None`: none); the default unless given.
    pub(crate) max_message_size: Option<usize>,
    /// `Some` when `reconnect` is `true` or an object, with the receive limit set.
    pub(crate) reconnect: Option<crate::ReconnectOptions>,
}

/// `protocols` is the constructor's own argument: when not `undefined` it replaces the
/// `protocols` option.
pub(crate) fn options(value: &JsValue, protocols_argument: &JsValue) -> Result<Options, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Ok(Options {
            protocols: protocols(protocols_argument)?,
            binary_type: None,
            max_message_size: Some(crate::DEFAULT_MAX_MESSAGE_SIZE),
            reconnect: None,
        });
    }
    if !value.is_object() || value.is_function() {
        return Err(type_error("options must be an object"));
    }
    let field = |name: &str| js_sys::Reflect::get(value, &JsValue::from_str(name));
    let protocols = if protocols_argument.is_undefined() {
        protocols(&field("protocols")?)?
    } else {
        protocols(protocols_argument)?
    };
    let binary_type = match field("binaryType")? {
        v if v.is_undefined() => None,
        v => Some(binary_type(&v)?),
    };
    let max_message_size = max_message_size(&field("maxMessageSize")?)?;
    let reconnect = super::reconnect_options::reconnect_options(value, &protocols)?
        .map(|options| options.max_message_size(max_message_size));
    Ok(Options {
        protocols,
        binary_type,
        max_message_size,
        reconnect,
    })
}

/// The `maxMessageSize` option: a whole number of bytes (at least 0), or `null` or `Infinity`
/// for no limit; absent, the default (64 MiB).
fn max_message_size(value: &JsValue) -> Result<Option<usize>, JsValue> {
    if value.is_undefined() {
        return Ok(Some(crate::DEFAULT_MAX_MESSAGE_SIZE));
    }
    if value.is_null() {
        return Ok(None);
    }
    let Some(bytes) = value.as_f64() else {
        return Err(type_error("maxMessageSize must be a number or null"));
    };
    if bytes == f64::INFINITY {
        return Ok(None);
    }
    if !(bytes >= 0.0 && bytes.fract() == 0.0) {
        return Err(super::errors::range_error(&format!(
            "maxMessageSize must be a whole number of at least 0, Infinity or null, not {}",
            js_number(bytes)
        )));
    }
    // Beyond usize::MAX (4 GiB in wasm32) no message fits in wasm memory anyway.
    Ok(Some(bytes.min(usize::MAX as f64) as usize))
}

/// The `protocols` option: a string or an array of strings, each length-checked before copying.
fn protocols(value: &JsValue) -> Result<Vec<String>, JsValue> {
    if value.is_undefined() {
        return Ok(Vec::new());
    }
    if value.is_string() {
        return Ok(vec![protocol(value)?]);
    }
    let not_strings = || type_error("protocols must be a string or an array of strings");
    if !is_array(value).map_err(|_| not_strings())? {
        return Err(not_strings());
    }
    // A Proxy may throw from any read: `Reflect.get` hands that back as an `Err`.
    let length = js_sys::Reflect::get(value, &JsValue::from_str("length"))?
        .as_f64()
        .unwrap_or(0.0);
    if length > MAX_PROTOCOLS {
        return Err(dom_exception(
            "SyntaxError",
            &format!(
                "{} subprotocols are offered; at most 1024 are accepted",
                js_number(length)
            ),
        ));
    }
    // At most 1024 (and a NaN or negative length is none).
    let length = length as u32;
    (0..length)
        .map(|index| protocol(&js_sys::Reflect::get_u32(value, index)?))
        .collect()
}

/// A string of at most [`MAX_PROTOCOL_LENGTH`] units (its other rules are checked with the URL,
/// as `new WebSocket` does).
fn protocol(value: &JsValue) -> Result<String, JsValue> {
    let not_strings = || type_error("protocols must be a string or an array of strings");
    let length = value
        .dyn_ref::<JsString>()
        .ok_or_else(not_strings)?
        .length();
    if length > MAX_PROTOCOL_LENGTH {
        return Err(dom_exception(
            "SyntaxError",
            &format!("invalid subprotocol of {length} characters: a subprotocol is at most 1024"),
        ));
    }
    checked_string(value)?.ok_or_else(not_strings)
}

/// `"blob"` or `"arraybuffer"`; other strings are refused by length before any copy.
pub(crate) fn binary_type(value: &JsValue) -> Result<BinaryType, JsValue> {
    let text = value
        .dyn_ref::<JsString>()
        .filter(|text| text.length() <= MAX_BINARY_TYPE_LENGTH)
        .and_then(|text| text.as_string());
    match text.as_deref() {
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
        return Err(dom_exception(
            "InvalidAccessError",
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

/// A close reason: `undefined` or a string, length-checked before it is copied.
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
        return Err(super::errors::to_js(&crate::Error::ReasonTooLong { bytes }));
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
