//! Proves: messages that arrive before anyone reads are not lost (neither for a stream polled
//! late nor for a handler registered late, even while messages keep arriving), and stay in
//! order with the close; a handler registered after the close gets nothing and the stream
//! keeps the backlog; a socket read only through handlers, or whose stream was dropped, does
//! not pile up messages.

use std::cell::RefCell;
use std::rc::Rc;

use crate::common::{connect, next_message, numbered, sleep, within};
use browser_ws::{BinaryType, CloseCode, Message};
use futures::StreamExt;
use wasm_bindgen_test::*;

#[wasm_bindgen_test]
async fn nothing_is_lost_before_the_first_poll() {
    let mut socket = connect("/numbered?n=50").await;
    sleep(300).await; // every message and the close arrive before anyone polls
    assert_eq!(socket.queued_messages(), 50);
    for index in 0..50 {
        assert_eq!(next_message(&mut socket).await, numbered(index));
    }
    assert!(socket.next().await.is_none());
}

#[wasm_bindgen_test]
async fn a_late_handler_receives_the_backlog_in_order() {
    let socket = connect("/echo").await;
    let expected: Vec<Message> = (0..40).map(numbered).collect();
    for message in &expected {
        socket.send(message.clone()).unwrap();
    }
    within(10_000, "40 echoes in the backlog", async {
        while socket.queued_messages() < 40 {
            sleep(5).await;
        }
    })
    .await;
    let received = Rc::new(RefCell::new(Vec::new()));
    let _guard = socket.on_message({
        let received = received.clone();
        move |message| received.borrow_mut().push(message)
    });
    assert!(
        received.borrow().is_empty(),
        "handed over on the next microtask, not inside on_message"
    );
    sleep(0).await;
    assert_eq!(*received.borrow(), expected);
    assert_eq!(socket.queued_messages(), 0);
}

#[wasm_bindgen_test]
async fn handler_only_sockets_queue_nothing() {
    let socket = connect("/echo").await;
    let count = Rc::new(RefCell::new(0));
    let _guard = socket.on_message({
        let count = count.clone();
        move |_| *count.borrow_mut() += 1
    });
    for index in 0..500 {
        socket.send(format!("m{index}")).unwrap();
    }
    within(10_000, "500 echoes", async {
        while *count.borrow() < 500 {
            sleep(5).await
        }
    })
    .await;
    assert_eq!(socket.queued_messages(), 0);
}

#[wasm_bindgen_test]
async fn a_handler_registered_while_messages_arrive_gets_all_of_them_before_the_close() {
    // Binary in Blob mode, 10 ms apart: some wait in the backlog, some are still to come.
    let socket = connect("/numbered?n=30&kind=binary&delay_ms=10").await;
    socket.set_binary_type(BinaryType::Blob);
    let received = Rc::new(RefCell::new(Vec::new()));
    let count_at_close = Rc::new(RefCell::new(None));
    let _close = socket.on_close({
        let received = received.clone();
        let count_at_close = count_at_close.clone();
        move |event| *count_at_close.borrow_mut() = Some((received.borrow().len(), event.code))
    });
    sleep(100).await;
    assert!(
        socket.queued_messages() > 0,
        "some messages waited for a consumer"
    );
    let _messages = socket.on_message({
        let received = received.clone();
        move |message| received.borrow_mut().push(message)
    });
    within(10_000, "close", socket.closed()).await;
    let expected: Vec<Message> = (0..30u32)
        .map(|i| Message::from(i.to_le_bytes().to_vec()))
        .collect();
    assert_eq!(*received.borrow(), expected);
    assert_eq!(*count_at_close.borrow(), Some((30, CloseCode::NORMAL)));
}

#[wasm_bindgen_test]
async fn a_handler_registered_after_the_close_gets_nothing_and_the_stream_keeps_the_backlog() {
    let mut socket = connect("/numbered?n=5").await;
    within(10_000, "close", socket.closed()).await;
    let calls = Rc::new(RefCell::new(0));
    let _late = socket.on_message({
        let calls = calls.clone();
        move |_| *calls.borrow_mut() += 1
    });
    sleep(20).await;
    assert_eq!(
        *calls.borrow(),
        0,
        "no message after the close was reported"
    );
    for index in 0..5 {
        assert_eq!(next_message(&mut socket).await, numbered(index));
    }
    assert!(socket.next().await.is_none());
}

#[wasm_bindgen_test]
async fn a_dropped_stream_stops_queueing() {
    let mut socket = connect("/echo").await;
    socket.send("first").unwrap();
    assert_eq!(next_message(&mut socket).await, Message::from("first"));
    let (sender, receiver) = socket.split();
    drop(receiver);
    let count = Rc::new(RefCell::new(0));
    let _guard = sender.on_message({
        let count = count.clone();
        move |_| *count.borrow_mut() += 1
    });
    for index in 0..100 {
        sender.send(format!("m{index}")).unwrap();
    }
    within(10_000, "100 echoes", async {
        while *count.borrow() < 100 {
            sleep(5).await
        }
    })
    .await;
    assert_eq!(
        sender.queued_messages(),
        0,
        "nothing is queued for a stream that is gone"
    );
}
