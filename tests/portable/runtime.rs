//! Proves: this binary runs where `scripts/test` says (`BROWSER_WS_RUNTIME`, baked in at compile
//! time), and a relative URL resolves against the worker's location, or, where there is no base
//! URL (Node.js, Deno without `--location`), is `Error::InvalidUrl` saying so.

use browser_ws::{Error, WebSocket};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

use crate::common::global_path;

/// Whether the global object is an instance of the global constructor `name`.
fn global_is(name: &str) -> bool {
    let prototype =
        js_sys::Reflect::get(&global_path(&[name]), &"prototype".into()).unwrap_or_default();
    prototype
        .dyn_ref::<js_sys::Object>()
        .is_some_and(|prototype| prototype.is_prototype_of(&js_sys::global()))
}

/// What the global object says this runtime is.
fn runtime() -> &'static str {
    if crate::common::is_deno() {
        "deno"
    } else if crate::common::node_major().is_some() {
        "node"
    } else if global_is("DedicatedWorkerGlobalScope") {
        "dedicated-worker"
    } else if global_is("SharedWorkerGlobalScope") {
        "shared-worker"
    } else if global_path(&["document"]).is_object() {
        "window"
    } else {
        "unknown"
    }
}

#[wasm_bindgen_test]
fn runs_where_scripts_test_says() {
    if let Some(expected) = option_env!("BROWSER_WS_RUNTIME") {
        assert_eq!(runtime(), expected);
    }
}

#[wasm_bindgen_test]
fn a_relative_url_resolves_against_the_location_or_is_refused_without_one() {
    let location = global_path(&["location"]);
    let has_location = location.is_object();
    match WebSocket::open("/echo?relative") {
        Ok(socket) => {
            assert!(has_location, "resolved without a location");
            let host = js_sys::Reflect::get(&location, &"host".into()).unwrap();
            assert_eq!(
                socket.url(),
                format!("ws://{}/echo?relative", host.as_string().unwrap())
            );
        }
        Err(Error::InvalidUrl { url, reason }) => {
            assert!(!has_location, "refused with a location: {reason}");
            assert_eq!(url, "/echo?relative");
            assert!(reason.contains("no base URL here"), "{reason}");
        }
        Err(other) => panic!("expected a socket or InvalidUrl, got {other:?}"),
    }
}
