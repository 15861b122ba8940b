//! Proves the receive limit against the real server: a message over a socket's
//! `max_message_size` (text measured in UTF-8 bytes, whatever its length in UTF-16) is never
//! copied: in its place the stream yields `Error::MessageTooBig`, error handlers run, message
//! handlers get nothing, and the socket closes with 4009 "message too big" (the server sees
//! it), after every earlier message, in both binary types; a message exactly at the limit
//! passes; a reconnecting connection's stream reports it and its policy does not reconnect by
//! default. (`tests/memory_exhausted.rs` proves the same refusal when wasm memory cannot grow.)

use std::cell::Cell;
use std::rc::Rc;

use crate::common::{next_message, recorded_close, server, unique_id, within};
use browser_ws::{
    BinaryType, CloseCode, ConnectionState, Disconnect, Error, Message, ReconnectOptions,
    ReconnectingWebSocket, WebSocket, DEFAULT_MAX_MESSAGE_SIZE,
};
use futures::StreamExt;
use wasm_bindgen_test::*;

const LIMIT: usize = 1000;

/// Echoes `fits` (which must pass) then `too_big` (which must be refused) on a socket with
/// the limit, in `binary_type`, and checks the stream, the handlers and the close.
async fn refuses(binary_type: BinaryType, fits: Message, too_big: Message) {
    let id = unique_id("limit");
    let mut socket = within(
        10_000,
        "connect",
        WebSocket::connect(&server(&format!("/record?id={id}"))),
    )
    .await
    .unwrap();
    assert_eq!(socket.max_message_size(), Some(DEFAULT_MAX_MESSAGE_SIZE));
    socket.set_max_message_size(Some(LIMIT));
    assert_eq!(socket.max_message_size(), Some(LIMIT));
    socket.set_binary_type(binary_type);
    let errors = Rc::new(Cell::new(0));
    let count = errors.clone();
    let _errors = socket.on_error(move || count.set(count.get() + 1));
    let size = too_big.len();
    socket.send(fits.clone()).unwrap();
    socket.send(too_big).unwrap();
    socket.send("after").unwrap();
    assert_eq!(next_message(&mut socket).await, fits, "at the limit: taken");
    match within(10_000, "the refusal", socket.next()).await {
        Some(Err(Error::MessageTooBig {
            size: got,
            limit: Some(limit),
        })) => assert_eq!((got, limit), (size, LIMIT)),
        other => panic!("expected MessageTooBig, got {other:?}"),
    }
    assert!(
        within(10_000, "the end", socket.next()).await.is_none(),
        "closed: nothing after the refused message"
    );
    assert_eq!(errors.get(), 1, "error handlers ran once");
    let ended = within(10_000, "closed", socket.closed()).await;
    assert_eq!(
        (ended.code, ended.reason.as_str()),
        (CloseCode::RECEIVE_LIMIT, "message too big")
    );
    assert_eq!(recorded_close(&id).await, "4009 message too big");
}

#[wasm_bindgen_test]
async fn binary_over_the_limit_is_refused_in_arraybuffer_mode() {
    refuses(
        BinaryType::ArrayBuffer,
        Message::from(vec![1u8; LIMIT]),
        Message::from(vec![2u8; LIMIT + 1]),
    )
    .await;
}

#[wasm_bindgen_test]
async fn binary_over_the_limit_is_refused_in_blob_mode() {
    refuses(
        BinaryType::Blob,
        Message::from(vec![1u8; LIMIT]),
        Message::from(vec![2u8; LIMIT + 1]),
    )
    .await;
}

#[wasm_bindgen_test]
async fn text_is_measured_in_utf8_bytes() {
    // 500 'é' are 1000 UTF-8 bytes (500 UTF-16 units); 334 '€' are 1002 (334 units); one
    // '😀' is 4 bytes in 2 units.
    refuses(
        BinaryType::ArrayBuffer,
        Message::from("é".repeat(500)),
        Message::from("€".repeat(334)),
    )
    .await;
    refuses(
        BinaryType::Blob,
        Message::from(format!("{}😀", "a".repeat(LIMIT - 4))),
        Message::from(format!("{}😀", "a".repeat(LIMIT - 3))),
    )
    .await;
}

#[wasm_bindgen_test]
async fn handlers_get_the_messages_before_and_never_the_refused_one() {
    let socket = within(10_000, "connect", WebSocket::connect(&server("/echo")))
        .await
        .unwrap();
    socket.set_max_message_size(Some(LIMIT));
    let (taken, refused) = (Rc::new(Cell::new(0)), Rc::new(Cell::new(0)));
    let count = taken.clone();
    let _messages = socket.on_message(move |message| {
        assert!(message.len() <= LIMIT);
        count.set(count.get() + 1);
    });
    let count = refused.clone();
    let _errors = socket.on_error(move || count.set(count.get() + 1));
    for size in [10, LIMIT, LIMIT + 1, 10] {
        socket.send(vec![0u8; size]).unwrap();
    }
    let ended = within(10_000, "closed", socket.closed()).await;
    assert_eq!(ended.code, CloseCode::RECEIVE_LIMIT);
    assert_eq!((taken.get(), refused.get()), (2, 1));
}

#[wasm_bindgen_test]
async fn no_limit_takes_a_message_over_the_default() {
    let mut socket = within(10_000, "connect", WebSocket::connect(&server("/echo")))
        .await
        .unwrap();
    socket.set_max_message_size(None);
    assert_eq!(socket.max_message_size(), None);
    socket.set_max_message_size(Some(10));
    socket.set_max_message_size(None);
    let big = vec![3u8; 2 << 20];
    socket.send(big.clone()).unwrap();
    assert_eq!(next_message(&mut socket).await, Message::from(big));
    socket.close().unwrap();
}

#[wasm_bindgen_test]
async fn a_reconnecting_connection_reports_it_and_does_not_reconnect_by_default() {
    let mut live = ReconnectingWebSocket::open(
        &server("/echo"),
        ReconnectOptions::new().max_message_size(Some(LIMIT)),
    )
    .unwrap();
    live.send(vec![0u8; LIMIT + 1]).unwrap();
    match within(10_000, "the refusal", live.next()).await {
        Some(Err(Error::MessageTooBig { size, .. })) => assert_eq!(size, LIMIT + 1),
        other => panic!("expected MessageTooBig, got {other:?}"),
    }
    assert!(within(10_000, "the end", live.next()).await.is_none());
    let ended = within(10_000, "closed", live.closed()).await;
    assert_eq!(ended.code, CloseCode::RECEIVE_LIMIT);
    assert_eq!(live.state(), ConnectionState::Closed(ended));
    // Asked, the policy sees why.
    let seen = Rc::new(Cell::new(false));
    let saw = seen.clone();
    let live = ReconnectingWebSocket::open(
        &server("/echo"),
        ReconnectOptions::new()
            .max_message_size(Some(LIMIT))
            .should_reconnect(move |context| {
                saw.set(matches!(context.cause, Disconnect::MessageTooBig(_)));
                false
            }),
    )
    .unwrap();
    live.send(vec![0u8; LIMIT + 1]).unwrap();
    within(10_000, "closed", live.closed()).await;
    assert!(seen.get());
}
