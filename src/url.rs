//! WebSocket URL resolution, the modern WHATWG way in every browser.
//!
//! Since 2023 the standard parses the URL against the document's base URL, so relative URLs
//! work, and maps `http:` to `ws:` and `https:` to `wss:`. Browsers older than Chromium 125,
//! Firefox 124 and Safari 17.3 throw on both. browser-ws resolves the URL itself and hands the
//! browser an absolute `ws:`/`wss:` URL, so every browser behaves like the modern ones.

use crate::error::js_name_and_message;
use crate::Error;

/// Resolves `url` against the current document's base URL (or the worker's location) and
/// returns the absolute `ws:`/`wss:` URL the browser should connect to.
pub(crate) fn resolve(url: &str) -> Result<String, Error> {
    let invalid = |reason: String| Error::InvalidUrl {
        url: url.to_owned(),
        reason,
    };
    let href =
        crate::glue::resolve_url(url).map_err(|thrown| invalid(js_name_and_message(&thrown).1))?;
    websocket_href(&href).map_err(|reason| invalid(reason.to_owned()))
}

/// The longest URL Chromium passes between its processes (`url::kMaxURLChars`, 2 MiB): a
/// WebSocket URL longer than this makes the browser kill the page's renderer ("bad IPC
/// message"), so it is refused here. A serialized URL is ASCII: bytes are characters.
pub(crate) const MAX_URL_BYTES: usize = 2 * 1024 * 1024;

/// Turns a serialized absolute URL (as `URL.href` gives it: lower-case scheme, any fragment
/// kept as `#...`) into a WebSocket URL, or says why it cannot be one.
pub(crate) fn websocket_href(href: &str) -> Result<String, &'static str> {
    if href.len() > MAX_URL_BYTES {
        return Err("the URL is longer than browsers accept (2 MiB)");
    }
    let (ws_scheme, rest) = if let Some(rest) = strip_either(href, "ws:", "http:") {
        ("ws:", rest)
    } else if let Some(rest) = strip_either(href, "wss:", "https:") {
        ("wss:", rest)
    } else {
        return Err("the scheme must be ws:, wss:, http: or https:");
    };
    // A serialized URL only contains '#' as the fragment delimiter; the standard refuses a
    // fragment even when it is empty.
    if rest.bytes().any(|byte| byte == b'#') {
        return Err("WebSocket URLs cannot have a fragment");
    }
    if !rest.starts_with("//") || rest.len() == 2 {
        return Err("the URL has no host");
    }
    let mut resolved = String::from(ws_scheme);
    resolved.push_str(rest);
    Ok(resolved)
}

/// `href` after whichever of two prefixes it starts with.
fn strip_either<'a>(href: &'a str, one: &str, other: &str) -> Option<&'a str> {
    href.strip_prefix(one).or_else(|| href.strip_prefix(other))
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

/// Property tests of `websocket_href` (crate-private, so here rather than in tests/).
#[cfg(all(test, not(target_arch = "wasm32")))]
mod proptests {
    use proptest::prelude::*;

    use super::{websocket_href, MAX_URL_BYTES};

    /// What follows the scheme in a serialized URL: `//`, a host, and a path or query without
    /// a fragment.
    fn authority_and_path() -> impl Strategy<Value = String> {
        (
            "[a-z0-9.-]{1,20}|\\[[0-9a-f:]{2,20}\\]",
            "(:[0-9]{1,5})?",
            "(/[a-zA-Z0-9%._~!$&'()*+,;=:@?-]{0,30}){0,3}",
        )
            .prop_map(|(host, port, path)| format!("//{host}{port}{path}"))
    }

    /// Schemes that must be refused, and near misses of the four accepted ones.
    fn other_scheme() -> impl Strategy<Value = String> {
        prop_oneof![
            prop::sample::select(vec![
                "ftp",
                "file",
                "javascript",
                "data",
                "blob",
                "about",
                "mailto",
                "wsx",
                "httpx",
                "ws+",
                "htt",
                "w",
                "s",
                "WS",
                "Http",
                "",
            ])
            .prop_map(str::to_owned),
            "[a-z][a-z0-9+.-]{0,8}",
        ]
    }

    /// Anything at all, and URL-shaped strings with any scheme and any tail.
    fn href() -> impl Strategy<Value = String> {
        prop_oneof![
            any::<String>(),
            (
                prop_oneof![
                    prop::sample::select(vec!["ws", "wss", "http", "https"])
                        .prop_map(str::to_owned),
                    other_scheme(),
                ],
                authority_and_path(),
                "[/#?a-z]{0,3}",
            )
                .prop_map(|(scheme, rest, tail)| format!("{scheme}:{rest}{tail}")),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1000))]

        /// Whatever the input, no panic, and an accepted URL is a `ws:`/`wss:` URL with a host
        /// and no fragment whose scheme is the input's (http mapped to ws) and the rest unchanged.
        #[test]
        fn any_input_is_refused_or_mapped_faithfully(href in href()) {
            if let Ok(mapped) = websocket_href(&href) {
                let Some((scheme, rest)) = href.split_once(':') else {
                    return Err(TestCaseError::fail("accepted a URL without a scheme"));
                };
                let expected = match scheme {
                    "http" | "ws" => "ws",
                    "https" | "wss" => "wss",
                    other => return Err(TestCaseError::fail(format!("accepted scheme {other:?}"))),
                };
                prop_assert_eq!(mapped, format!("{expected}:{rest}"));
                prop_assert!(rest.starts_with("//") && rest.len() > 2 && !rest.contains('#'));
                prop_assert!(href.len() <= MAX_URL_BYTES);
            }
        }

        /// Every well-formed http(s)/ws(s) URL is accepted with the mapped scheme.
        #[test]
        fn websocket_and_http_urls_are_accepted(
            scheme in prop::sample::select(vec!["ws", "wss", "http", "https"]),
            rest in authority_and_path(),
        ) {
            let expected = if scheme.ends_with('s') && scheme != "ws" { "wss" } else { "ws" };
            prop_assert_eq!(websocket_href(&format!("{scheme}:{rest}")), Ok(format!("{expected}:{rest}")));
        }

        /// A fragment, even an empty one, anywhere after the scheme is refused.
        #[test]
        fn fragments_are_refused(
            scheme in prop::sample::select(vec!["ws", "wss", "http", "https"]),
            rest in authority_and_path(),
            at in any::<prop::sample::Index>(),
            fragment in "[a-z]{0,5}",
        ) {
            let cut = at.index(rest.len() + 1);
            let cut = (cut..=rest.len()).find(|i| rest.is_char_boundary(*i)).unwrap_or(rest.len());
            let href = format!("{scheme}:{}#{fragment}{}", &rest[..cut], &rest[cut..]);
            prop_assert!(websocket_href(&href).is_err(), "{}", href);
        }

        /// Any other scheme is refused, as is a URL without `//host`.
        #[test]
        fn other_schemes_and_hostless_urls_are_refused(
            scheme in other_scheme(),
            rest in authority_and_path(),
            hostless in "[^/#]{0,10}",
        ) {
            let other = format!("{scheme}:{rest}");
            if !matches!(scheme.as_str(), "ws" | "wss" | "http" | "https") {
                prop_assert!(websocket_href(&other).is_err(), "{}", other);
            }
            let without_host = format!("ws:{hostless}");
            prop_assert!(websocket_href(&without_host).is_err(), "{}", without_host);
            prop_assert!(websocket_href("ws://").is_err());
        }

    }

    /// URLs longer than Chromium passes between processes are refused; up to it, accepted.
    #[test]
    fn urls_over_2_mib_are_refused() {
        let prefix = "ws://a.test/?";
        for length in MAX_URL_BYTES - 2..=MAX_URL_BYTES + 2 {
            let href = format!("{prefix}{}", "q".repeat(length - prefix.len()));
            assert_eq!(
                websocket_href(&href).is_ok(),
                length <= MAX_URL_BYTES,
                "{length}"
            );
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
