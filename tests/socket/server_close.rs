//! Proves: a close started by the server reaches the client with its code, reason and
//! `was_clean`, identically through `closed()`, `on_close`, `close_event()` and the stream
//! (which ends with `None` on a clean close).

use std::cell::RefCell;
use std::rc::Rc;

use crate::common::{connect, within};
use browser_ws::{CloseCode, CloseEvent, State};
use futures::StreamExt;
use wasm_bindgen_test::*;

#[wasm_bindgen_test]
async fn server_close_code_reason_and_was_clean_reach_the_client() {
    for (code, reason) in [
        (4000u16, "bye"),
        (1000, ""),
        (3999, "grüße 🦀"),
        (1011, "internal"),
    ] {
        let path = format!(
            "/close?code={code}&reason={}",
            js_sys::encode_uri_component(reason)
        );
        let mut socket = connect(&path).await;
        let from_handler = Rc::new(RefCell::new(None));
        let _guard = socket.on_close({
            let from_handler = from_handler.clone();
            move |event| *from_handler.borrow_mut() = Some(event)
        });
        // A clean close ends the stream without an error.
        assert!(within(10_000, "end of stream", socket.next())
            .await
            .is_none());
        let expected = CloseEvent {
            code: CloseCode(code),
            reason: reason.to_owned(),
            was_clean: true,
        };
        assert_eq!(socket.closed().await, expected);
        assert_eq!(socket.close_event(), Some(expected.clone()));
        assert_eq!(from_handler.borrow().clone(), Some(expected));
        assert_eq!(socket.state(), State::Closed);
        assert!(socket.next().await.is_none(), "the stream stays ended");
    }
}
