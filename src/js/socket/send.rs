//! `SocketCore.send`: data of every kind handed to the browser, a string without a copy into
//! wasm memory.

use js_sys::JsString;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};

use super::{Backend, JsSocket};
use crate::js::errors::{to_js, type_error};
use crate::{Error, State, WebSocketHandle};

#[wasm_bindgen(js_class = SocketCore)]
impl JsSocket {
    /// `socket.send(data)`: a string, `ArrayBuffer`, `SharedArrayBuffer`, typed array,
    /// `DataView` or `Blob`. Returns `"sent"`, or `"discarded"` once closing or closed (nothing
    /// is sent and `bufferedAmount` does not grow); with reconnect, also `"queued"`.
    ///
    /// Without reconnect nothing is copied into wasm memory: a string goes to the browser as
    /// it is, as do buffers and views, except that a `SharedArrayBuffer` or a view of one,
    /// which the browser refuses, is copied into an ordinary `ArrayBuffer` first (the bytes as
    /// they are at the call). With reconnect, binary data is copied into wasm memory.
    ///
    /// # Errors
    /// An `InvalidStateError` `DOMException` while connecting, as `WebSocket`; a `TypeError`
    /// for other data. With reconnect: `QueueFull` (its `data` is the refused data) when the
    /// queue is at a bound, `NotOpen` for a `Blob` that would have to be queued, a
    /// `RangeError` for data that wasm memory cannot take a copy of.
    pub fn send(&self, data: JsValue) -> Result<JsValue, JsValue> {
        let handle = match &self.backend {
            Backend::Plain { handle, .. } => handle,
            Backend::Reconnecting(connection) => {
                // A string is copied into wasm memory for the queue: checked first.
                if let Some(text) = data.dyn_ref::<JsString>() {
                    crate::js::errors::fits_in_wasm_memory(
                        crate::js_message::STRING_COPY_BYTES_PER_UNIT * f64::from(text.length()),
                    )?;
                }
                return connection.send(&data);
            }
        };
        let sent = if let Some(text) = data.dyn_ref::<JsString>() {
            send_string(handle, text)
        } else if let Some(buffer) = data.dyn_ref::<js_sys::ArrayBuffer>() {
            handle.send_array_buffer(buffer)
        } else if js_sys::ArrayBuffer::is_view(&data) {
            handle.send_uint8_array(&crate::js::values::byte_view(&data)?)
        } else if let Some(buffer) = crate::js::values::shared_buffer(&data) {
            handle.send_array_buffer(buffer)
        } else if let Some(blob) = data.dyn_ref::<web_sys::Blob>() {
            handle.send_blob(blob)
        } else {
            return Err(type_error(
                "data must be a string, ArrayBuffer, typed array, DataView or Blob",
            ));
        };
        match sent {
            Ok(()) => Ok(JsValue::from_str("sent")),
            Err(Error::NotOpen(State::Closing | State::Closed)) => {
                Ok(JsValue::from_str("discarded"))
            }
            Err(error) => Err(to_js(&error)),
        }
    }
}

#[wasm_bindgen]
extern "C" {
    /// The browser's `WebSocket` again, for a `send` that takes a JS string.
    #[wasm_bindgen(js_name = WebSocket)]
    type TextSender;

    /// `WebSocket.prototype.send` of a JS string as is (web-sys's would copy it into wasm first).
    #[wasm_bindgen(method, catch, js_class = "WebSocket", js_name = send)]
    fn send(this: &TextSender, data: &JsString) -> Result<(), JsValue>;
}

/// Sends text without copying it into wasm memory; [`Error::NotOpen`] unless open.
fn send_string(handle: &WebSocketHandle, text: &JsString) -> Result<(), Error> {
    match handle.state() {
        State::Open => handle
            .shared
            .raw
            .unchecked_ref::<TextSender>()
            .send(text)
            .map_err(|e| Error::from_js(&e)),
        other => Err(Error::NotOpen(other)),
    }
}
