//! Proves: URLs behave the modern WHATWG way: a table of bad URLs (other schemes, fragments,
//! empty or unparsable hosts, bad ports) gives `Error::InvalidUrl` and never panics; relative
//! URLs resolve against the document, `http:`/`https:` become `ws:`/`wss:`; bad subprotocols
//! give `Error::InvalidProtocol`; a port the Fetch standard blocks is a failed connection
//! (Chromium 125+ follows the modern spec here; older browsers threw `SecurityError`, which
//! maps to `Error::Security`, tested in `src/error.rs`).

use browser_ws::{live_sockets, Error, WebSocket};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

/// `location.host` of the test page.
fn page_host() -> String {
    let location = js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("location")).unwrap();
    js_sys::Reflect::get(&location, &JsValue::from_str("host"))
        .unwrap()
        .as_string()
        .unwrap()
}

#[wasm_bindgen_test]
fn bad_urls_give_invalid_url_and_never_panic() {
    let before = live_sockets();
    let bad = [
        "ftp://127.0.0.1/x",
        "javascript:alert(1)",
        "data:text/plain,hello",
        "file:///etc/passwd",
        "mailto:someone@example.com",
        "about:blank",
        "blob:http://127.0.0.1/0b6f5c1e",
        "ws://127.0.0.1/#fragment",
        "ws://127.0.0.1/#",
        "wss://127.0.0.1/path?query#",
        "ws://",
        "wss://:443/",
        "http://",
        "//",
        "ws://[::1",
        "ws://127.0.0.1:99999/",
        "wss://127.0.0.1:port/",
        "ws://user:pass@/",
    ];
    assert!(bad.len() >= 10);
    for url in bad {
        match WebSocket::open(url) {
            Err(Error::InvalidUrl { url: given, reason }) => {
                assert_eq!(given, url);
                assert!(!reason.is_empty(), "{url}: the error says why");
            }
            other => panic!("{url}: expected InvalidUrl, got {other:?}"),
        }
    }
    assert_eq!(
        live_sockets(),
        before,
        "no socket was created for a bad URL"
    );
}

#[wasm_bindgen_test]
fn relative_and_http_urls_resolve_to_websocket_urls() {
    let host = page_host();
    let cases = [
        ("/echo".to_owned(), format!("ws://{host}/echo")),
        ("echo?x=1".to_owned(), format!("ws://{host}/echo?x=1")),
        (format!("//{host}/p"), format!("ws://{host}/p")),
        (
            "http://127.0.0.1:1234/x".to_owned(),
            "ws://127.0.0.1:1234/x".to_owned(),
        ),
        (
            "https://localhost:65000/y".to_owned(),
            "wss://localhost:65000/y".to_owned(),
        ),
        (
            "HTTP://LOCALHOST:65001/Z".to_owned(),
            "ws://localhost:65001/Z".to_owned(),
        ),
        (
            "ws://127.0.0.1:65002".to_owned(),
            "ws://127.0.0.1:65002/".to_owned(),
        ),
        (
            "wss://bücher.example/".to_owned(),
            "wss://xn--bcher-kva.example/".to_owned(),
        ),
    ];
    for (given, expected) in cases {
        let socket = WebSocket::open(&given).unwrap_or_else(|e| panic!("{given}: {e}"));
        assert_eq!(socket.url(), expected, "{given}");
    }
}

#[wasm_bindgen_test]
fn bad_subprotocols_give_invalid_protocol() {
    let url = crate::common::server("/protocol");
    for protocols in [
        &[""][..],
        &["a b"],
        &["a,b"],
        &["chat", "chat"],
        &["é"],
        &["x(y)"],
        &["tab\t"],
    ] {
        match WebSocket::open_with_protocols(&url, protocols) {
            Err(Error::InvalidProtocol { .. }) => {}
            other => panic!("{protocols:?}: expected InvalidProtocol, got {other:?}"),
        }
    }
}

#[wasm_bindgen_test]
async fn a_blocked_port_is_a_failed_connection_not_a_panic() {
    // Port 25 (SMTP) is on the Fetch standard's list of bad ports.
    let result = crate::common::within(
        10_000,
        "blocked port",
        WebSocket::connect("ws://127.0.0.1:25/"),
    )
    .await;
    match result {
        Err(Error::ConnectFailed(event)) => assert!(!event.was_clean),
        Err(Error::Security { message }) => assert!(!message.is_empty()), // older browsers
        other => panic!("expected ConnectFailed or Security, got {other:?}"),
    }
}
