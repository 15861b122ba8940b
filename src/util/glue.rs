//! The browser reads and writes that take one JS call each here instead of a chain of
//! web-sys calls: fewer wasm-to-JS crossings on the message path, and fewer imports (each a
//! wasm import entry plus a JS shim) in every application.

use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;

/// [`event_kind`] of an `open` event.
pub(crate) const OPEN_EVENT: i32 = 0;
/// [`event_kind`] of an `error` event.
pub(crate) const ERROR_EVENT: i32 = 1;
/// [`event_kind`] of a `close` event.
pub(crate) const CLOSE_EVENT: i32 = 2;

#[wasm_bindgen(inline_js = r#"
export function blobFromBytes(bytes) { return new Blob([bytes]); }
export function bytesOf(view) { return view; }
export function readBlobs(port, blobs) {
  (async () => (blobs instanceof Blob ? blobs : new Blob(blobs)).arrayBuffer())()
    .then((buffer) => port[0]?.(buffer, true), (error) => port[0]?.(error, false));
}
function utf8Length(text) {
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit > 0x7ff) { bytes += 2; if (unit >> 10 === 0x36) i++; } else if (unit > 0x7f) bytes++;
  }
  return bytes;
}
export function messageData(event, limit) {
  if (event.type !== "message" || !(event instanceof MessageEvent)) return undefined;
  const data = event.data, text = typeof data === "string", blob = data instanceof Blob;
  if (!text && !blob && !(data instanceof ArrayBuffer)) return null;
  if (limit >= 0) {
    const size = text ? (data.length * 3 < Math.min(limit + 1, 1048576) ? 0 : utf8Length(data))
      : blob ? data.size : data.byteLength;
    if (size > limit || size >= 1048576) return text ? -size : size;
  }
  return text || blob ? data : new Uint8Array(data);
}
const EVENT_KINDS = ["open", "error", "close"];
export function eventKind(event) { return EVENT_KINDS.indexOf(event.type); }
export function closeCodeAndClean(event) {
  return event instanceof CloseEvent ? event.code * 2 + (event.wasClean ? 1 : 0) : -1;
}
export function closeReason(event) { return event instanceof CloseEvent ? event.reason : ""; }
export function resolveUrl(url) {
  const g = globalThis;
  const base = "document" in g ? g.document?.baseURI
    : typeof WorkerGlobalScope === "function" && g instanceof WorkerGlobalScope ? g.location.href
    : undefined;
  const href = (base == null ? new URL(url) : new URL(url, base)).href;
  if (href.length > 2097152) throw Error("the URL is longer than browsers accept (2 MiB)");
  const [, secure, rest] = /^(?:ws|http)(s?):(.*)$/s.exec(href) ?? [];
  if (rest == null) throw Error("the scheme must be ws:, wss:, http: or https:");
  if (rest.includes('#')) throw Error("WebSocket URLs cannot have a fragment");
  if (!/^\/\/./s.test(rest)) throw Error("the URL has no host");
  return `ws${secure}:${rest}`;
}
export function errorName(value) {
  try { return value instanceof Error ? String(value.name) : "Error"; } catch { return "Error"; }
}
export function errorMessage(value) {
  try { return value instanceof Error ? String(value.message) : String(value); } catch { return ""; }
}
"#)]
extern "C" {
    /// A Blob holding a copy of `bytes`, made straight from wasm memory (wasm-bindgen passes
    /// the slice as a view; the Blob constructor makes the one copy).
    #[wasm_bindgen(js_name = blobFromBytes, catch)]
    pub(crate) fn blob_from_bytes(bytes: &[u8]) -> Result<web_sys::Blob, JsValue>;

    /// The bytes of a view, copied into wasm memory in one call (wasm-bindgen allocates the
    /// `Vec` and copies the view into it).
    #[wasm_bindgen(js_name = bytesOf)]
    pub(crate) fn bytes_of(view: &js_sys::Uint8Array) -> Vec<u8>;

    /// Reads `blobs` (one `Blob`, or an array of Blobs read as their concatenation, which does
    /// not copy them), then calls `port[0]`, if the port still holds a function, with the
    /// `ArrayBuffer` and `true`, or with the error and `false`. Never throws: a failure to
    /// concatenate rejects the read. (See [`crate::socket::conn::blob::reader`].)
    #[wasm_bindgen(js_name = readBlobs)]
    pub(crate) fn read_blobs(port: &js_sys::Array, blobs: &JsValue);

    /// A `message` event's data: a string, a `Uint8Array` over the received `ArrayBuffer`, or
    /// a `Blob` (`null` for other data, which only a synthetic event can carry); `undefined`
    /// for any other event, or one that is not a `MessageEvent`. Unless `limit` is negative,
    /// instead of the data its size in bytes when that is over `limit`, or 1 MiB or more
    /// (negated for text, whose size is in UTF-8 bytes): such messages are checked in Rust
    /// before any copy, then read again with a negative `limit`.
    #[wasm_bindgen(js_name = messageData)]
    pub(crate) fn message_data(event: &web_sys::Event, limit: f64) -> JsValue;

    /// [`OPEN_EVENT`], [`ERROR_EVENT`] or [`CLOSE_EVENT`] for those events, -1 for others.
    #[wasm_bindgen(js_name = eventKind)]
    pub(crate) fn event_kind(event: &web_sys::Event) -> i32;

    /// A `close` event's `code * 2 + wasClean`, or -1 for an event that is not a `CloseEvent`.
    #[wasm_bindgen(js_name = closeCodeAndClean)]
    pub(crate) fn close_code_and_clean(event: &web_sys::Event) -> i32;

    /// A `close` event's `reason` (`""` for an event that is not a `CloseEvent`).
    #[wasm_bindgen(js_name = closeReason)]
    pub(crate) fn close_reason(event: &web_sys::Event) -> String;

    /// `url` parsed against the document's base URL (the worker's location in a worker, none
    /// elsewhere) and serialized, with `http:`/`https:` mapped to `ws:`/`wss:`. Throws the
    /// `URL` constructor's `TypeError` when unparsable, and an `Error` naming the rule for
    /// another scheme, a fragment (even an empty one: the standard refuses it), or more than
    /// 2 MiB. 2 MiB is the longest URL Chromium passes between its processes
    /// (`url::kMaxURLChars`); a longer WebSocket URL makes it kill the page's renderer. A
    /// serialized URL is ASCII, so its length is its size in bytes. The no-host rule is
    /// defensive: the parser already refuses `ws:`, `wss:`, `http:` and `https:` URLs without
    /// a host. The rules are tested in `tests/js/url.test.mjs`.
    #[wasm_bindgen(js_name = resolveUrl, catch)]
    pub(crate) fn resolve_url(url: &str) -> Result<String, JsValue>;

    /// [`resolve_url`] of a JS string, which is not copied into wasm memory (the JS API's URL
    /// argument, of any size); the resolved URL comes back as a JS string, at most 2 MiB.
    #[cfg(feature = "js")]
    #[wasm_bindgen(js_name = resolveUrl, catch)]
    pub(crate) fn resolve_url_value(url: &JsValue) -> Result<js_sys::JsString, JsValue>;

    /// A thrown value's `name`: its own for an `Error` (`DOMException`s included), else
    /// `"Error"`; never throws.
    #[wasm_bindgen(js_name = errorName)]
    pub(crate) fn error_name(value: &JsValue) -> String;

    /// A thrown value's `message` for an `Error`, else `String(value)`; `""` if that throws.
    #[wasm_bindgen(js_name = errorMessage)]
    pub(crate) fn error_message(value: &JsValue) -> String;
}
