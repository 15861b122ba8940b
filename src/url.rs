//! WebSocket URL resolution, the modern WHATWG way in every browser.
//!
//! Since 2023 the standard parses the URL against the document's base URL, so relative URLs
//! work, and maps `http:` to `ws:` and `https:` to `wss:`. Browsers older than Chromium 125,
//! Firefox 124 and Safari 17.3 throw on both. browser-ws resolves the URL itself and hands the
//! browser an absolute `ws:`/`wss:` URL, so every browser behaves like the modern ones.

use wasm_bindgen::JsCast;

use crate::error::js_name_and_message;
use crate::Error;

/// Resolves `url` against the current document's base URL (or the worker's location) and
/// returns the absolute `ws:`/`wss:` URL the browser should connect to.
pub(crate) fn resolve(url: &str) -> Result<String, Error> {
    let parsed = match base_url() {
        Some(base) => web_sys::Url::new_with_base(url, &base),
        None => web_sys::Url::new(url),
    }
    .map_err(|thrown| Error::InvalidUrl {
        url: url.to_owned(),
        reason: js_name_and_message(&thrown).1,
    })?;
    websocket_href(&parsed.href()).map_err(|reason| Error::InvalidUrl {
        url: url.to_owned(),
        reason: reason.to_owned(),
    })
}

/// The base URL relative URLs resolve against: `document.baseURI` in a window, the worker's
/// `location.href` in a worker, none elsewhere.
fn base_url() -> Option<String> {
    let global = js_sys::global();
    if let Some(window) = global.dyn_ref::<web_sys::Window>() {
        return window.document()?.base_uri().ok().flatten();
    }
    global
        .dyn_ref::<web_sys::WorkerGlobalScope>()
        .map(|worker| worker.location().href())
}

/// Turns a serialized absolute URL (as `URL.href` gives it: lower-case scheme, any fragment
/// kept as `#...`) into a WebSocket URL, or says why it cannot be one.
pub(crate) fn websocket_href(href: &str) -> Result<String, &'static str> {
    let Some((scheme, rest)) = href.split_once(':') else {
        return Err("the URL has no scheme");
    };
    let ws_scheme = match scheme {
        "ws" | "http" => "ws",
        "wss" | "https" => "wss",
        _ => return Err("the scheme must be ws:, wss:, http: or https:"),
    };
    // A serialized URL only contains '#' as the fragment delimiter; the standard refuses a
    // fragment even when it is empty.
    if rest.contains('#') {
        return Err("WebSocket URLs cannot have a fragment");
    }
    if !rest.starts_with("//") || rest.len() == 2 {
        return Err("the URL has no host");
    }
    Ok(format!("{ws_scheme}:{rest}"))
}

#[cfg(test)]
mod tests {
    use super::websocket_href;

    #[test]
    fn http_schemes_map_to_websocket_schemes() {
        assert_eq!(
            websocket_href("http://a.test/x?y=1").as_deref(),
            Ok("ws://a.test/x?y=1")
        );
        assert_eq!(
            websocket_href("https://a.test:8443/").as_deref(),
            Ok("wss://a.test:8443/")
        );
        assert_eq!(
            websocket_href("ws://127.0.0.1:9/").as_deref(),
            Ok("ws://127.0.0.1:9/")
        );
        assert_eq!(
            websocket_href("wss://[::1]/p").as_deref(),
            Ok("wss://[::1]/p")
        );
    }

    #[test]
    fn other_schemes_fragments_and_hostless_urls_are_refused() {
        for bad in [
            "ftp://a.test/",
            "javascript:alert(1)",
            "data:text/plain,hi",
            "file:///etc/passwd",
            "blob:http://a.test/uuid",
            "mailto:a@b.test",
            "about:blank",
            "ws://a.test/#",
            "ws://a.test/#frag",
            "wss://a.test/?q#f",
            "ws:",
            "no-scheme",
        ] {
            assert!(websocket_href(bad).is_err(), "{bad} should be refused");
        }
    }
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
