//! The browser reads and writes that take one JS call each here instead of a chain of
//! web-sys calls: fewer wasm-to-JS crossings on the message path, and fewer imports (each a
//! wasm import entry plus a JS shim) in every application.

use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;

// What `eventKind` returns, as numbers in the JS below; the socket tests exercise each one.
/// [`event_kind`]: a message's text (a JS string).
pub(crate) const TEXT: i32 = 0;
/// [`event_kind`]: a message's bytes (a `Uint8Array`).
pub(crate) const BYTES: i32 = 1;
/// [`event_kind`]: a message's `Blob`.
pub(crate) const BLOB: i32 = 2;
/// [`event_kind`]: a message's size, over the limit asked or of 1 MiB and more (a number).
pub(crate) const SIZE: i32 = 3;
/// [`event_kind`]: an `open` event.
pub(crate) const OPEN: i32 = 4;
/// [`event_kind`]: an `error` event.
pub(crate) const ERROR: i32 = 5;
/// [`event_kind`]: a `close` event.
pub(crate) const CLOSE: i32 = 6;
/// [`event_kind`]: message data of no type a socket delivers (the `TypeError` that says so).
pub(crate) const UNKNOWN: i32 = 7;

/// A JS string returned by the glue, as a `String` (`""` for anything else); not inlined, so
/// its code is in the binary once.
#[inline(never)]
pub(crate) fn text(value: JsValue) -> String {
    value.as_string().unwrap_or_default()
}

#[wasm_bindgen(inline_js = r#"
export function bytesOf(view) { return view; }
export function openSocket(url, protocols) {
  const socket = protocols === undefined ? new WebSocket(url) : new WebSocket(url, protocols);
  socket.binaryType = "arraybuffer";
  return socket;
}
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
  if (event.type !== "message" || !(event instanceof MessageEvent) || event.target.readyState !== 1) return;
  const data = event.data, text = typeof data === "string", blob = data instanceof Blob;
  if (!text && !blob && !(data instanceof ArrayBuffer)) {
    return TypeError("the browser delivered message data of an unknown type");
  }
  if (limit >= 0) {
    const size = text ? (data.length * 3 < Math.min(limit + 1, 1048576) ? 0 : utf8Length(data))
      : blob ? data.size : data.byteLength;
    if (size > limit || size >= 1048576) return text ? -size : size;
  }
  return text || blob ? data : new Uint8Array(data);
}
const EVENT_KINDS = ["open", "error", "close"];
export function eventKind(event, data) {
  if (data !== undefined) {
    return typeof data === "string" ? 0 : data instanceof Uint8Array ? 1 : data instanceof Blob ? 2
      : typeof data === "number" ? 3 : 7;
  }
  const kind = EVENT_KINDS.indexOf(event.type), socket = event.target;
  if (kind === 1 && socket.readyState === 0) {
    Object.defineProperty(socket, "readyState", { value: 3 });
    queueMicrotask(() => socket.dispatchEvent(new Event("close")));
  }
  return kind < 0 ? -1 : kind + 4;
}
export function closeCodeAndClean(event) {
  const code = event.code;
  return code >= 1000 ? code * 2 + (event.wasClean ? 1 : 0) : -1;
}
export function closeReason(event) { return String(event.reason ?? ""); }
export function resolveUrl(url) {
  let base;
  try { base = globalThis.document?.baseURI ?? location.href; } catch {}
  if (base == null && !URL.canParse(url)) throw Error("no base URL here");
  const href = (base == null ? new URL(url) : new URL(url, base)).href;
  if (href.length > 2097152) throw Error("the URL is longer than browsers accept (2 MiB)");
  const [, secure, rest] = /^(?:ws|http)(s?):(.*)$/s.exec(href) ?? [];
  if (rest == null) throw Error("the scheme must be ws:, wss:, http: or https:");
  if (rest.includes('#')) throw Error("WebSocket URLs cannot have a fragment");
  if (!/^\/\/./s.test(rest)) throw Error("the URL has no host");
  return `ws${secure}:${rest}`;
}
export function namedError(name, message) {
  const error = Error(message);
  error.name = name;
  return error;
}
export function errorName(value) {
  try { return value instanceof Error ? String(value.name) : "Error"; } catch { return "Error"; }
}
export function errorMessage(value) {
  try { return value instanceof Error ? String(value.message) : String(value); } catch { return ""; }
}
"#)]
extern "C" {
    /// `new WebSocket(url)` (or with `protocols`), the global at call time, in ArrayBuffer mode.
    #[cfg(not(feature = "js"))]
    #[wasm_bindgen(js_name = openSocket, catch)]
    pub(crate) fn open_socket(
        url: &str,
        protocols: Option<&js_sys::Array>,
    ) -> Result<web_sys::WebSocket, JsValue>;

    /// The bytes of a view, copied into a new `Vec` in wasm memory in one call.
    #[wasm_bindgen(js_name = bytesOf)]
    pub(crate) fn bytes_of(view: &js_sys::Uint8Array) -> Vec<u8>;

    /// Reads a `Blob` or an array of them (concatenated), then calls `port[0]`, if still set,
    /// with `(buffer, true)` or `(error, false)`; never throws ([`crate::socket::conn::blob`]).
    #[wasm_bindgen(js_name = readBlobs)]
    pub(crate) fn read_blobs(port: &js_sys::Array, blobs: &JsValue);

    /// A `MessageEvent`'s string, `Uint8Array` or `Blob` (a `TypeError` for other data, which
    /// only a synthetic event carries; `undefined`: not one, or one after `close()`, which
    /// browsers never dispatch and Deno does); if `limit >= 0`, a size over it or ≥ 1 MiB
    /// instead (UTF-8 bytes, negated for text).
    #[wasm_bindgen(js_name = messageData)]
    pub(crate) fn message_data(event: &web_sys::Event, limit: f64) -> JsValue;

    /// What [`message_data`] returned for `event`: [`TEXT`], [`BYTES`], [`BLOB`], [`SIZE`] or
    /// [`UNKNOWN`]; or for `undefined`, the event's kind: [`OPEN`], [`ERROR`], [`CLOSE`], or -1
    /// for one to ignore. Browsers set CLOSED before a failure's `error` and fire `close`
    /// next; Node 22 fires `error` alone with `readyState` CONNECTING for ever (inside `close()`
    /// too, and again at every `close()`): such a socket's `readyState` is made CLOSED and a
    /// `close` without a code (read as 1006) is dispatched on it from a microtask.
    #[wasm_bindgen(js_name = eventKind)]
    pub(crate) fn event_kind(event: &web_sys::Event, data: &JsValue) -> i32;

    /// A `close` event's `code * 2 + wasClean`, or -1 for a code under 1000 or none (Deno's 0
    /// for a failed connection); read by property (Node 22 has no global `CloseEvent`).
    #[wasm_bindgen(js_name = closeCodeAndClean)]
    pub(crate) fn close_code_and_clean(event: &web_sys::Event) -> i32;

    /// A `close` event's `reason` (`""` for one without a string `reason`).
    #[wasm_bindgen(js_name = closeReason)]
    pub(crate) fn close_reason(event: &web_sys::Event) -> JsValue;

    /// `url` resolved against the document's base URL, else `globalThis.location` (a worker's,
    /// Deno's `--location`), `http(s):` made `ws(s):`; throws for a relative URL without a base,
    /// another scheme, a fragment, no host, or over 2 MiB (Chromium's `url::kMaxURLChars`).
    #[wasm_bindgen(js_name = resolveUrl, catch)]
    pub(crate) fn resolve_url(url: &str) -> Result<JsValue, JsValue>;

    /// [`resolve_url`] of a JS string, never copied into wasm memory (the JS API's URL argument).
    #[cfg(feature = "js")]
    #[wasm_bindgen(js_name = resolveUrl, catch)]
    pub(crate) fn resolve_url_value(url: &JsValue) -> Result<js_sys::JsString, JsValue>;

    /// A new JS `Error` with this `name` and `message`.
    #[wasm_bindgen(js_name = namedError)]
    pub(crate) fn named_error(name: &str, message: &str) -> JsValue;

    /// A thrown value's `name`: its own for an `Error` (`DOMException`s included), else
    /// `"Error"`; never throws.
    #[wasm_bindgen(js_name = errorName)]
    pub(crate) fn error_name(value: &JsValue) -> JsValue;

    /// A thrown value's `message` for an `Error`, else `String(value)`; `""` if that throws.
    #[wasm_bindgen(js_name = errorMessage)]
    pub(crate) fn error_message(value: &JsValue) -> JsValue;
}
