//! Proves: `split()` gives a `Sink` and a `Stream` that work independently; either half (and a
//! cloned handle) can still read the state, close the socket and await `closed()`; the Sink's
//! `close` closes the socket with 1000.

use crate::common::{connect, recorded_close, unique_id, within};
use browser_ws::{CloseCode, Message, State};
use futures::{SinkExt, StreamExt};
use wasm_bindgen_test::*;

#[wasm_bindgen_test]
async fn halves_send_receive_and_close_after_split() {
    let (mut sender, mut receiver) = connect("/echo").await.split();
    let handle = receiver.handle();
    for index in 0..20u8 {
        sender.feed(Message::from(vec![index])).await.unwrap();
    }
    sender.flush().await.unwrap();
    for index in 0..20u8 {
        let message = within(5_000, "echo", receiver.next())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(message, Message::from(vec![index]));
    }
    assert_eq!(handle.state(), State::Open);
    assert!(handle.buffered_amount() < 1 << 20);
    // Close through the receiving half, after split.
    receiver.close_with(4500u16, "from the receiver").unwrap();
    let closed = within(5_000, "closed", handle.closed()).await;
    assert_eq!(
        (closed.code, closed.reason.as_str()),
        (CloseCode(4500), "from the receiver")
    );
    assert!(receiver.next().await.is_none());
    assert_eq!(sender.closed().await, closed);
}

#[wasm_bindgen_test]
async fn sink_close_closes_the_socket_with_1000() {
    let id = unique_id("sink-close");
    let (mut sender, receiver) = connect(&format!("/record?id={id}")).await.split();
    within(5_000, "sink close", SinkExt::close(&mut sender))
        .await
        .unwrap();
    assert_eq!(receiver.state(), State::Closed);
    assert_eq!(receiver.close_event().unwrap().code, CloseCode::NORMAL);
    assert_eq!(recorded_close(&id).await, "1000 ");
}
