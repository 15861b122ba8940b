//! JS values read into wasm memory, checked first: strings and binary data copied only after a
//! fallible allocation of what the copy needs, views and buffers through `catch` imports (so
//! nothing unwinds through wasm), and numbers printed as JS prints them.

use js_sys::JsString;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};

use super::errors::type_error;

/// A string argument copied into wasm memory, or `None` for any other value. The copy is made
/// only once a fallible allocation of the most it can need succeeded (see
/// [`STRING_COPY_BYTES_PER_UNIT`](crate::js_message::STRING_COPY_BYTES_PER_UNIT)): wasm-bindgen's
/// own allocation for it traps when memory runs out (killing every socket of the page).
///
/// # Errors
/// The `RangeError` of [`super::errors::fits_in_wasm_memory`].
pub(crate) fn checked_string(value: &JsValue) -> Result<Option<String>, JsValue> {
    let Some(text) = value.dyn_ref::<JsString>() else {
        return Ok(None);
    };
    super::errors::fits_in_wasm_memory(
        crate::js_message::STRING_COPY_BYTES_PER_UNIT * f64::from(text.length()),
    )?;
    Ok(text.as_string())
}

#[wasm_bindgen]
extern "C" {
    /// `Uint8Array` again, for its constructor as a `catch` import: `new Uint8Array(buffer,
    /// byteOffset, length)` throws for a detached buffer or a range outside it (a view whose
    /// properties were redefined), and an exception unwinding through wasm would leak wasm's
    /// stack and this `Socket`'s borrow.
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
    /// The built-in `ArrayBuffer.prototype.byteLength` getter, called on `buffer` (a `catch`
    /// import): it throws for an object that only claims to be an `ArrayBuffer`, even one with
    /// a `byteLength` of its own (`Object.create(ArrayBuffer.prototype, ...)`), which the
    /// `Uint8Array` constructor would take as an empty array-like.
    #[wasm_bindgen(js_name = bufferByteLength, catch)]
    fn buffer_byte_length(buffer: &js_sys::ArrayBuffer) -> Result<f64, JsValue>;
}

/// A `Uint8Array` over exactly the bytes of any `ArrayBufferView` (no copy).
pub(crate) fn byte_view(view: &JsValue) -> Result<js_sys::Uint8Array, JsValue> {
    byte_view_and_length(view).map(|(view, _)| view)
}

/// [`byte_view`], and the view's length. Offsets and lengths stay JS numbers all the way: a
/// buffer may be larger than 4 GiB, which a `u32` would silently cut short.
fn byte_view_and_length(view: &JsValue) -> Result<(js_sys::Uint8Array, f64), JsValue> {
    let get = |key: &str| js_sys::Reflect::get(view, &JsValue::from_str(key));
    let buffer: js_sys::ArrayBuffer = get("buffer")?
        .dyn_into()
        .map_err(|_| type_error("views over a SharedArrayBuffer cannot be sent"))?;
    // A view whose `buffer` was redefined may name a fake one, which the constructor below
    // would take as an empty array-like.
    real_byte_length(&buffer)?;
    let offset = get("byteOffset")?.as_f64().unwrap_or(0.0);
    let length = get("byteLength")?.as_f64().unwrap_or(0.0);
    Ok((checked_view(&buffer, offset, length)?, length))
}

/// A copy of the bytes of an `ArrayBuffer` or any `ArrayBufferView`, or `None` for other
/// values. Every JS call on the way is a `catch` import, so nothing unwinds through wasm.
///
/// # Errors
/// A `TypeError` for a detached buffer, an object made to look like an `ArrayBuffer`, or a view
/// that is not usable (see [`byte_view`]); a `RangeError` for data larger than wasm memory can
/// take (see [`fits_in_wasm_memory`](super::errors::fits_in_wasm_memory)).
pub(crate) fn binary_bytes(value: &JsValue) -> Result<Option<Vec<u8>>, JsValue> {
    let view = if let Some(buffer) = value.dyn_ref::<js_sys::ArrayBuffer>() {
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

/// The length of a real `ArrayBuffer`.
///
/// # Errors
/// A `TypeError` for an object that only claims to be one.
fn real_byte_length(buffer: &js_sys::ArrayBuffer) -> Result<f64, JsValue> {
    buffer_byte_length(buffer)
        .map_err(|_| type_error("data is not an ArrayBuffer, only made to look like one"))
}

/// `new Uint8Array(buffer, offset, length)` over a real `ArrayBuffer` (see
/// [`real_byte_length`]), with its exception (a detached buffer, a range outside it, a length
/// the browser's typed arrays cannot have) caught and returned as a `TypeError`.
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
