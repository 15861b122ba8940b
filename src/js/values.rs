//! JS values read into wasm memory, checked first: copies only after a fallible allocation,
//! views and buffers through `catch` imports, numbers printed as JS prints them.

use js_sys::JsString;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};

use super::errors::type_error;

/// A string copied into wasm memory (`None`: not a string) only after a fallible allocation
/// ([`super::errors::fits_in_wasm_memory`]), as wasm-bindgen's own traps.
pub(crate) fn checked_string(value: &JsValue) -> Result<Option<String>, JsValue> {
    let Some(text) = value.dyn_ref::<JsString>() else {
        return Ok(None);
    };
    super::errors::fits_in_wasm_memory(
        crate::js_message::STRING_COPY_BYTES_PER_UNIT * f64::from(text.length()),
    )?;
    Ok(text.as_string())
}

#[wasm_bindgen(inline_js = r#"
let sharedLength;
export function sharedByteLength(value) {
  if (sharedLength === undefined) {
    sharedLength = null;
    try {
      const prototype = typeof SharedArrayBuffer === "function" ? SharedArrayBuffer.prototype
        : Object.getPrototypeOf(new WebAssembly.Memory({ initial: 0, maximum: 0, shared: true }).buffer);
      sharedLength = Object.getOwnPropertyDescriptor(prototype, "byteLength").get;
    } catch {}
  }
  try { return sharedLength.call(value); } catch { return -1; }
}
"#)]
extern "C" {
    /// The `byteLength` of a real `SharedArrayBuffer` (of any realm; the getter checks), -1 for
    /// anything else, an `ArrayBuffer` included. Works where the global is hidden (a page that
    /// is not cross-origin-isolated) through a shared `WebAssembly.Memory`'s buffer.
    #[wasm_bindgen(js_name = sharedByteLength)]
    fn shared_byte_length(value: &JsValue) -> f64;
}

#[wasm_bindgen]
extern "C" {
    /// `Uint8Array` again, for a `catch` constructor: it throws for a detached buffer or a range
    /// outside it, and unwinding through wasm would leak its stack and the `Socket`'s borrow.
    #[wasm_bindgen(js_name = Uint8Array)]
    type CheckedUint8Array;

    #[wasm_bindgen(constructor, js_class = "Uint8Array", catch)]
    fn new(
        buffer: &js_sys::ArrayBuffer,
        byte_offset: f64,
        length: f64,
    ) -> Result<CheckedUint8Array, JsValue>;
}

#[wasm_bindgen(inline_js = r#"
const byteLength = Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, "byteLength").get;
export function bufferByteLength(buffer) { return byteLength.call(buffer); }
"#)]
extern "C" {
    /// The built-in `byteLength` getter on `buffer`: throws for a fake `ArrayBuffer`, which the
    /// `Uint8Array` constructor would take as an empty array-like (and for a `SharedArrayBuffer`).
    #[wasm_bindgen(js_name = bufferByteLength, catch)]
    fn buffer_byte_length(buffer: &js_sys::ArrayBuffer) -> Result<f64, JsValue>;
}

/// A `Uint8Array` over exactly the bytes of any `ArrayBufferView` (no copy).
pub(crate) fn byte_view(view: &JsValue) -> Result<js_sys::Uint8Array, JsValue> {
    byte_view_and_length(view).map(|(view, _)| view)
}

/// [`byte_view`] and the view's length, kept as JS numbers: a `u32` would cut a buffer over 4 GiB.
/// The view's buffer may be a `SharedArrayBuffer`: the `Uint8Array` then views it too.
fn byte_view_and_length(view: &JsValue) -> Result<(js_sys::Uint8Array, f64), JsValue> {
    let get = |key: &str| js_sys::Reflect::get(view, &JsValue::from_str(key));
    let buffer = get("buffer")?;
    let buffer: &js_sys::ArrayBuffer = buffer.unchecked_ref();
    // A redefined `buffer` may be a fake, which the constructor would take as empty.
    real_byte_length(buffer)?;
    let offset = get("byteOffset")?.as_f64().unwrap_or(0.0);
    let length = get("byteLength")?.as_f64().unwrap_or(0.0);
    Ok((checked_view(buffer, offset, length)?, length))
}

/// `value` as an `ArrayBuffer` if it is a real `SharedArrayBuffer` (which `Uint8Array` views,
/// and `handle.send_array_buffer` copies, alike); `None` for anything else.
pub(crate) fn shared_buffer(value: &JsValue) -> Option<&js_sys::ArrayBuffer> {
    (shared_byte_length(value) >= 0.0).then(|| value.unchecked_ref())
}

/// A copy of an `ArrayBuffer`'s, `SharedArrayBuffer`'s or view's bytes (`None`: none of them);
/// a `TypeError` for a detached, fake or unusable one, a `RangeError` if too large for wasm
/// memory.
pub(crate) fn binary_bytes(value: &JsValue) -> Result<Option<Vec<u8>>, JsValue> {
    let buffer = value
        .dyn_ref::<js_sys::ArrayBuffer>()
        .or_else(|| shared_buffer(value));
    let view = if let Some(buffer) = buffer {
        let length = real_byte_length(buffer)?;
        super::errors::fits_in_wasm_memory(length)?;
        checked_view(buffer, 0.0, length)?
    } else if js_sys::ArrayBuffer::is_view(value) {
        let (view, length) = byte_view_and_length(value)?;
        super::errors::fits_in_wasm_memory(length)?;
        view
    } else {
        return Ok(None);
    };
    Ok(Some(crate::util::glue::bytes_of(&view)))
}

/// The length of a real `ArrayBuffer` or `SharedArrayBuffer`; a `TypeError` for an object that
/// only claims to be one.
fn real_byte_length(buffer: &js_sys::ArrayBuffer) -> Result<f64, JsValue> {
    buffer_byte_length(buffer).or_else(|_| {
        let shared = shared_byte_length(buffer);
        if shared >= 0.0 {
            Ok(shared)
        } else {
            Err(type_error(
                "data is not an ArrayBuffer, only made to look like one",
            ))
        }
    })
}

/// `new Uint8Array(buffer, offset, length)` over a real `ArrayBuffer` (or `SharedArrayBuffer`),
/// its exception returned as a `TypeError`.
fn checked_view(
    buffer: &js_sys::ArrayBuffer,
    offset: f64,
    length: f64,
) -> Result<js_sys::Uint8Array, JsValue> {
    CheckedUint8Array::new(buffer, offset, length)
        .map(JsCast::unchecked_into)
        .map_err(|thrown| {
            type_error(&format!(
                "data is not a usable buffer or view: {}",
                crate::error::js::js_name_and_message(&thrown).1
            ))
        })
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
