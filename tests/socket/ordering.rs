//! Proves: 10,000 interleaved text and binary messages arrive complete and in order in both
//! binary types, through the stream and through handlers, and the close is reported only after
//! the last message (Blob reads are asynchronous, so a naive wrapper reorders them).

use std::cell::RefCell;
use std::rc::Rc;

use crate::common::{numbered, server, within};
use browser_ws::{BinaryType, CloseCode, Message, WebSocket};
use futures::StreamExt;
use wasm_bindgen_test::*;

const COUNT: u32 = 10_000;

async fn stream_in_order(binary_type: BinaryType) {
    let socket = WebSocket::open(&server(&format!("/numbered?n={COUNT}"))).unwrap();
    socket.set_binary_type(binary_type);
    let received: Vec<Message> =
        within(60_000, "all messages", socket.map(|m| m.unwrap()).collect()).await;
    assert_eq!(received.len(), COUNT as usize, "{binary_type:?}");
    for (index, message) in received.into_iter().enumerate() {
        assert_eq!(
            message,
            numbered(index as u32),
            "{binary_type:?} message {index}"
        );
    }
}

#[wasm_bindgen_test]
async fn stream_keeps_order_in_blob_mode() {
    stream_in_order(BinaryType::Blob).await;
}

#[wasm_bindgen_test]
async fn stream_keeps_order_in_arraybuffer_mode() {
    stream_in_order(BinaryType::ArrayBuffer).await;
}

#[wasm_bindgen_test]
async fn handlers_keep_order_and_close_comes_last_in_blob_mode() {
    let socket = WebSocket::open(&server(&format!("/numbered?n={COUNT}"))).unwrap();
    socket.set_binary_type(BinaryType::Blob);
    let received = Rc::new(RefCell::new(Vec::new()));
    let seen_at_close = Rc::new(RefCell::new(None));
    let _messages = socket.on_message({
        let received = received.clone();
        move |message| received.borrow_mut().push(message)
    });
    let _close = socket.on_close({
        let received = received.clone();
        let seen_at_close = seen_at_close.clone();
        move |event| *seen_at_close.borrow_mut() = Some((received.borrow().len(), event))
    });
    let closed = within(60_000, "close", socket.closed()).await;
    assert_eq!(closed.code, CloseCode::NORMAL);
    assert_eq!(closed.reason, "done");
    let (count_at_close, event) = seen_at_close.borrow_mut().take().expect("on_close ran");
    assert_eq!(
        count_at_close, COUNT as usize,
        "close must follow every message"
    );
    assert_eq!(event, closed);
    for (index, message) in received.borrow().iter().enumerate() {
        assert_eq!(message, &numbered(index as u32), "message {index}");
    }
    assert_eq!(
        socket.queued_messages(),
        0,
        "handlers-only sockets queue nothing"
    );
}

#[wasm_bindgen_test]
async fn blob_batches_split_back_into_messages_of_every_size() {
    // Pipelined, so Blobs arrive while a read runs and are read together in batches.
    let mut socket = crate::common::connect("/echo").await;
    socket.set_binary_type(BinaryType::Blob);
    let sent: Vec<Message> = (0..300usize)
        .map(|i| {
            if i % 7 == 3 {
                Message::Text(format!("text {i}"))
            } else {
                Message::Binary(vec![(i % 251) as u8; (i * 37) % 1500])
            }
        })
        .collect();
    for message in &sent {
        socket.send(message.clone()).unwrap();
    }
    let mut received = Vec::with_capacity(sent.len());
    while received.len() < sent.len() {
        received.push(crate::common::next_message(&mut socket).await);
    }
    assert!(
        sent.iter()
            .any(|m| m.as_binary().is_some_and(<[u8]>::is_empty)),
        "covers empty messages"
    );
    assert_eq!(received, sent);
}
