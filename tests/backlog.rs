//! Proves: messages that arrive before anyone reads are not lost (neither for a stream polled
//! late nor for a handler registered late), and a socket read only through handlers does not
//! pile up messages for a stream nobody polls.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::cell::RefCell;
use std::rc::Rc;

use browser_ws::Message;
use common::{connect, next_message, numbered, sleep, within};
use futures::StreamExt;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

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
    let socket = connect("/numbered?n=40").await;
    sleep(300).await;
    let received = Rc::new(RefCell::new(Vec::new()));
    let _guard = socket.on_message({
        let received = received.clone();
        move |message| received.borrow_mut().push(message)
    });
    sleep(0).await;
    let expected: Vec<Message> = (0..40).map(numbered).collect();
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
