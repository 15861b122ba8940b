//! Proves: when the server drops the TCP connection without a close frame, the messages sent
//! before it are delivered first, then the stream yields exactly one
//! `Err(ConnectionLost({1006, "", false}))` and ends; `closed()` reports the same event. In
//! Blob mode the close must also wait for the Blob reads of the earlier binary messages.

use crate::common::{drop_attempts, is_firefox, server, within};
use browser_ws::{BinaryType, CloseCode, CloseEvent, Error, Message, WebSocket};
use futures::StreamExt;
use wasm_bindgen_test::*;

const LOST: CloseEvent = CloseEvent {
    code: CloseCode::ABNORMAL,
    reason: String::new(),
    was_clean: false,
};

/// Checks that `/drop?after=3&kind=KIND` yields `expected` messages, then exactly one
/// `ConnectionLost`, then the end, and that `closed()` agrees, with the socket in
/// `binary_type` mode.
async fn three_messages_then_lost(kind: &str, expected: [Message; 3], binary_type: BinaryType) {
    let mut wanted: Vec<_> = expected.into_iter().map(Ok).collect();
    wanted.push(Err(Error::ConnectionLost(LOST)));
    for _ in 0..drop_attempts() {
        let socket = WebSocket::open(&server(&format!("/drop?after=3&kind={kind}"))).unwrap();
        socket.set_binary_type(binary_type);
        assert_eq!(socket.binary_type(), binary_type);
        let handle = socket.handle();
        let items: Vec<_> = within(10_000, "the stream to end", socket.collect()).await;
        // Firefox only: the connection never opened (see `drop_attempts`), which must be
        // exactly one `ConnectFailed` with the same 1006 event; Chromium always opens it.
        if is_firefox() && items == [Err(Error::ConnectFailed(LOST))] {
            assert_eq!(handle.closed().await, LOST);
            continue;
        }
        assert_eq!(items, wanted, "{kind} {binary_type:?}");
        assert_eq!(handle.closed().await, LOST);
        return;
    }
    panic!("{kind}: /drop never opened in {} attempts", drop_attempts());
}

#[wasm_bindgen_test]
async fn a_dropped_connection_is_1006_and_one_error() {
    three_messages_then_lost(
        "text",
        ["0", "1", "2"].map(Message::from),
        BinaryType::default(),
    )
    .await;
}

#[wasm_bindgen_test]
async fn in_both_binary_types_the_loss_is_reported_after_every_binary_message() {
    for binary_type in [BinaryType::Blob, BinaryType::ArrayBuffer] {
        three_messages_then_lost(
            "binary",
            [0u32, 1, 2].map(|i| Message::from(i.to_le_bytes())),
            binary_type,
        )
        .await;
    }
}
