//! [`BlobReader`]: a socket's Blob reads, all settled through one callback instead of a task and
//! a `JsFuture` per read. The promise holds a *port* (a JS array of the callback) that the reader
//! empties on drop, so a late read calls nothing (ARCHITECTURE.md, Size techniques).

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsValue;

/// One callback for a socket's Blob reads: removed from the port, then dropped, with the reader.
pub(crate) struct BlobReader {
    port: js_sys::Array,
    _callback: Closure<dyn FnMut(JsValue, bool)>,
}

impl BlobReader {
    /// A reader whose reads settle in `on_read`: the `ArrayBuffer`, or what the read threw.
    pub(crate) fn new(mut on_read: impl FnMut(Result<JsValue, JsValue>) + 'static) -> BlobReader {
        let callback = Closure::<dyn FnMut(JsValue, bool)>::new(move |value, ok| {
            on_read(if ok { Ok(value) } else { Err(value) });
        });
        BlobReader {
            port: js_sys::Array::of1(callback.as_ref()),
            _callback: callback,
        }
    }

    /// Another handle to the port, for [`read_blobs`](crate::util::glue::read_blobs).
    pub(crate) fn port(&self) -> js_sys::Array {
        self.port.clone()
    }
}

impl Drop for BlobReader {
    fn drop(&mut self) {
        self.port.set_length(0);
    }
}
