//! Proves: when the server drops the TCP connection without a close frame, the messages sent
//! before it are delivered first, then the stream yields exactly one
//! `Err(ConnectionLost({1006, "", false}))` and ends; `closed()` reports the same event. In
//! Blob mode the close must also wait for the Blob reads of the earlier binary messages.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

mod common;

use browser_ws::{CloseCode, CloseEvent, Error, Message};
use common::{connect, within};
use futures::StreamExt;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn a_dropped_connection_is_1006_and_one_error() {
    let socket = connect("/drop?after=3").await;
    let handle = socket.handle();
    let items: Vec<_> = within(10_000, "the stream to end", socket.collect()).await;
    let lost = CloseEvent {
        code: CloseCode::ABNORMAL,
        reason: String::new(),
        was_clean: false,
    };
    assert_eq!(
        items,
        vec![
            Ok(Message::from("0")),
            Ok(Message::from("1")),
            Ok(Message::from("2")),
            Err(Error::ConnectionLost(lost.clone())),
        ]
    );
    assert_eq!(handle.closed().await, lost);
}

#[wasm_bindgen_test]
async fn in_blob_mode_the_loss_is_reported_after_every_binary_message() {
    let socket = connect("/drop?after=3&kind=binary").await;
    assert_eq!(socket.binary_type(), browser_ws::BinaryType::Blob);
    let items: Vec<_> = within(10_000, "the stream to end", socket.collect()).await;
    let lost = CloseEvent {
        code: CloseCode::ABNORMAL,
        reason: String::new(),
        was_clean: false,
    };
    assert_eq!(
        items,
        vec![
            Ok(Message::from(0u32.to_le_bytes().to_vec())),
            Ok(Message::from(1u32.to_le_bytes().to_vec())),
            Ok(Message::from(2u32.to_le_bytes().to_vec())),
            Err(Error::ConnectionLost(lost)),
        ]
    );
}
