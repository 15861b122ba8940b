//! The browser's `WebSocket` constructor, in one JS call that also sets ArrayBuffer mode. With
//! the `js` feature it is the one the global held when the module loaded, so that
//! `globalThis.WebSocket = Socket` (the npm package as a drop-in) does not make every `Socket`
//! construct a `Socket` inside itself; without it, the global at call time (`glue.rs`).

use wasm_bindgen::JsValue;

#[cfg(feature = "js")]
#[wasm_bindgen::prelude::wasm_bindgen(inline_js = r#"
const GLOBAL = globalThis.WebSocket;
// A browser-ws Socket installed as the global by an earlier copy of the package carries the
// native constructor under this key (js/socket.js).
const NATIVE = GLOBAL?.[Symbol.for("browser-ws native WebSocket")] ?? GLOBAL;
export function openNative(url, protocols) {
  const socket = protocols === undefined ? new NATIVE(url) : new NATIVE(url, protocols);
  socket.binaryType = "arraybuffer";
  return socket;
}
"#)]
extern "C" {
    #[wasm_bindgen(js_name = openNative, catch)]
    fn open_native(
        url: &str,
        protocols: Option<&js_sys::Array>,
    ) -> Result<web_sys::WebSocket, JsValue>;
}

/// `new WebSocket(url)`.
#[cfg(feature = "js")]
pub(crate) fn open(url: &str) -> Result<web_sys::WebSocket, JsValue> {
    open_native(url, None)
}

/// `new WebSocket(url, protocols)`.
#[cfg(feature = "js")]
pub(crate) fn open_with_protocols(
    url: &str,
    protocols: &js_sys::Array,
) -> Result<web_sys::WebSocket, JsValue> {
    open_native(url, Some(protocols))
}

/// `new WebSocket(url)`.
#[cfg(not(feature = "js"))]
pub(crate) fn open(url: &str) -> Result<web_sys::WebSocket, JsValue> {
    crate::util::glue::open_socket(url, None)
}

/// `new WebSocket(url, protocols)`.
#[cfg(not(feature = "js"))]
pub(crate) fn open_with_protocols(
    url: &str,
    protocols: &js_sys::Array,
) -> Result<web_sys::WebSocket, JsValue> {
    crate::util::glue::open_socket(url, Some(protocols))
}
