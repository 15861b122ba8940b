//! Proves: the code and reason of a client close reach the server, `closed()` resolves with
//! the real final event after a local close, and a bare `close()` sends 1000 (the raw API
//! sends no code, which the server sees as 1005).

use crate::common::{connect, recorded_close, unique_id, within};
use browser_ws::{CloseCode, State};
use futures::StreamExt;
use wasm_bindgen_test::*;

#[wasm_bindgen_test]
async fn close_with_code_and_reason_reaches_the_server_and_closed() {
    let id = unique_id("client-close");
    let mut socket = connect(&format!("/record?id={id}")).await;
    let reason = "fin 🦀 €";
    socket.close_with(4001u16, reason).unwrap();
    assert_eq!(socket.state(), State::Closing);
    let closed = within(10_000, "closed", socket.closed()).await;
    assert_eq!(closed.code, CloseCode(4001));
    assert_eq!(closed.reason, reason);
    assert!(closed.was_clean);
    assert!(
        socket.next().await.is_none(),
        "a clean local close ends the stream"
    );
    assert_eq!(recorded_close(&id).await, format!("4001 {reason}"));
    // Closing again does nothing and does not fail.
    socket.close_with(4002u16, "again").unwrap();
    assert_eq!(socket.closed().await, closed);
}

#[wasm_bindgen_test]
async fn bare_close_sends_1000() {
    let id = unique_id("bare-close");
    let socket = connect(&format!("/record?id={id}")).await;
    socket.close().unwrap();
    let closed = within(10_000, "closed", socket.closed()).await;
    assert_eq!(closed.code, CloseCode::NORMAL);
    assert!(closed.was_clean);
    assert_eq!(recorded_close(&id).await, "1000 ");
}
