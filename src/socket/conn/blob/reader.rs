//! [`BlobReader`]: a socket's reads of received Blobs, all settled through one callback.
//!
//! Reading a Blob is asynchronous: `blob.arrayBuffer()` returns a promise. Awaiting each such
//! promise as a future would cost, per read, a spawned task and the two wasm-bindgen closures
//! of a `JsFuture` (each a Rust allocation, two JS functions, a state object and a
//! `FinalizationRegistry` entry). Blob mode runs one read at a time, so one callback per
//! socket, created with its first read, settles them all.
//!
//! The promise does not hold that callback. It holds the *port*, a JS array of one element,
//! the callback, and calls the port's first element, if it is still there, when it settles
//! (`readBlobs` in [`crate::util::glue`]). Dropping the reader first empties the port, then drops
//! the callback. A read that settles after its socket is gone therefore calls nothing: it
//! never calls a dropped closure, and never keeps one alive.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsValue;

/// One callback for every Blob read of a socket, owned here: removed from the port, then
/// dropped, when the reader is.
pub(crate) struct BlobReader {
    port: js_sys::Array,
    _callback: Closure<dyn FnMut(JsValue, bool)>,
}

impl BlobReader {
    /// A reader whose reads settle in `on_read(result)`: the `ArrayBuffer`, or what the read
    /// threw.
    pub(crate) fn new(mut on_read: impl FnMut(Result<JsValue, JsValue>) + 'static) -> BlobReader {
        let callback = Closure::<dyn FnMut(JsValue, bool)>::new(move |value, ok| {
            on_read(if ok { Ok(value) } else { Err(value) });
        });
        BlobReader {
            port: js_sys::Array::of1(callback.as_ref()),
            _callback: callback,
        }
    }

    /// The port its reads settle through (the same JS array, another handle to it), for
    /// [`read_blobs`](crate::util::glue::read_blobs): the result goes to this reader's callback, if
    /// the reader still exists when the read settles.
    pub(crate) fn port(&self) -> js_sys::Array {
        self.port.clone()
    }
}

impl Drop for BlobReader {
    fn drop(&mut self) {
        self.port.set_length(0);
    }
}
