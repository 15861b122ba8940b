//! Received messages as the browser's own JS values, for consumers that pass data on to JS.

use crate::Message;

/// A received message as the browser's own values, without the copy into wasm memory that
/// [`Message`] needs: receive it with
/// [`on_js_message`](crate::WebSocketHandle::on_js_message) when the data goes straight on to
/// other JS (a worker, a canvas, IndexedDB), and pay for no copy at all.
///
/// `Binary` is a `Uint8Array` view of exactly the message's bytes; in Blob mode several
/// messages can share one underlying `ArrayBuffer`, so use the view (or `slice()` it), not
/// `view.buffer()`.
///
/// ```no_run
/// # fn demo(socket: &browser_ws::WebSocket) {
/// use browser_ws::JsMessage;
///
/// let _guard = socket.on_js_message(|message| match message {
///     JsMessage::Text(text) => println!("{} UTF-16 units", text.length()),
///     JsMessage::Binary(bytes) => println!("{} bytes", bytes.byte_length()),
/// });
/// # }
/// ```
#[derive(Clone, Debug)]
pub enum JsMessage {
    /// A text message, as a JS string.
    Text(js_sys::JsString),
    /// A binary message, as a view of its bytes.
    Binary(js_sys::Uint8Array),
}

impl JsMessage {
    /// Copies the message into wasm memory (the one copy a [`Message`] costs).
    #[must_use]
    pub fn to_message(&self) -> Message {
        match self {
            JsMessage::Text(text) => Message::Text(text.as_string().unwrap_or_default()),
            JsMessage::Binary(bytes) => Message::Binary(crate::util::glue::bytes_of(bytes)),
        }
    }

    /// Payload length in bytes for binary, in UTF-16 code units for text (no copy).
    #[must_use]
    pub fn js_length(&self) -> u32 {
        match self {
            JsMessage::Text(text) => text.length(),
            JsMessage::Binary(bytes) => bytes.length(),
        }
    }
}

impl From<&Message> for JsMessage {
    /// Copies a message out of wasm memory into JS values.
    fn from(message: &Message) -> Self {
        match message {
            Message::Text(text) => JsMessage::Text(js_sys::JsString::from(text.as_str())),
            Message::Binary(bytes) => JsMessage::Binary(js_sys::Uint8Array::from(bytes.as_slice())),
        }
    }
}

/// Whether `bytes` can be allocated now, tried fallibly before wasm-bindgen's trapping copy
/// (which then reuses the freed block); false over 2 GiB or what wasm memory can grow by.
pub(crate) fn fits_in_wasm_memory(bytes: f64) -> bool {
    bytes <= isize::MAX as f64 && Vec::<u8>::new().try_reserve_exact(bytes as usize).is_ok()
}

/// Bytes wasm-bindgen's string copy can need at once per UTF-16 unit (or UTF-8 byte): one, then
/// a realloc to three for non-ASCII, which may move it.
pub(crate) const STRING_COPY_BYTES_PER_UNIT: f64 = 4.0;
