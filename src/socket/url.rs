//! WebSocket URL resolution the modern WHATWG way (relative URLs, `http(s):` as `ws(s):`),
//! which browsers before Chromium 125, Firefox 124 and Safari 17.3 throw on: browser-ws hands
//! them an absolute `ws:`/`wss:` URL. The rules are `resolveUrl` in [`crate::util::glue`];
//! tested in `tests/js/url.test.mjs` and, in the browsers, `tests/socket/urls.rs`.

use crate::error::js::js_name_and_message;
use crate::Error;

/// The absolute `ws:`/`wss:` URL to connect to, or [`Error::InvalidUrl`] with the broken rule.
pub(crate) fn resolve(url: &str) -> Result<String, Error> {
    let invalid = |reason: String| Error::InvalidUrl {
        url: url.to_owned(),
        reason,
    };
    crate::util::glue::resolve_url(url)
        .map(crate::util::glue::text)
        .map_err(|thrown| invalid(js_name_and_message(&thrown).1))
}

#[cfg(all(test, target_arch = "wasm32"))]
mod browser_tests {
    use wasm_bindgen::JsValue;
    use wasm_bindgen_test::wasm_bindgen_test;

    use super::resolve;

    wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

    fn page_host() -> Option<String> {
        let location =
            js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("location")).ok()?;
        js_sys::Reflect::get(&location, &JsValue::from_str("host"))
            .ok()?
            .as_string()
    }

    /// Calls `resolve` itself, so this holds even in a browser whose constructor would throw
    /// on relative and http(s) URLs.
    #[wasm_bindgen_test]
    fn resolve_maps_relative_and_http_urls_itself() {
        let host = page_host().unwrap_or_default();
        assert_eq!(resolve("/a?b=1").ok(), Some(format!("ws://{host}/a?b=1")));
        assert_eq!(
            resolve("http://a.test/x").ok(),
            Some("ws://a.test/x".to_owned())
        );
        assert_eq!(
            resolve("https://a.test/").ok(),
            Some("wss://a.test/".to_owned())
        );
        for bad in ["ftp://a.test/", "ws://a.test/#", "http://", "ws://[::1"] {
            assert!(resolve(bad).is_err(), "{bad}");
        }
    }
}
