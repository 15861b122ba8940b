//! Proves: connecting to a port where nothing listens gives `Err(ConnectFailed)` with a 1006
//! unclean close event, through `connect()` and through the stream of an `open()`ed socket;
//! closing a socket yourself while it connects ends its stream quietly (no error).

use crate::common::{within, CLOSED_PORT};
use browser_ws::{live_sockets, CloseCode, Error, State, WebSocket};
use futures::StreamExt;
use wasm_bindgen_test::*;

#[wasm_bindgen_test]
async fn connecting_to_a_closed_port_fails_with_1006() {
    let before = live_sockets();
    let url = format!("ws://127.0.0.1:{CLOSED_PORT}/");
    match within(10_000, "connect failure", WebSocket::connect(&url)).await {
        Err(Error::ConnectFailed(event)) => {
            assert_eq!(event.code, CloseCode::ABNORMAL);
            assert!(!event.was_clean);
        }
        other => panic!("expected ConnectFailed, got {other:?}"),
    }
    assert_eq!(live_sockets(), before, "the failed socket was freed");
}

#[wasm_bindgen_test]
async fn the_stream_of_a_socket_that_never_opened_reports_connect_failed_once() {
    let url = format!("ws://127.0.0.1:{CLOSED_PORT}/");
    let mut socket = WebSocket::open(&url).unwrap();
    match within(10_000, "stream error", socket.next()).await {
        Some(Err(Error::ConnectFailed(event))) => assert_eq!(event.code, CloseCode::ABNORMAL),
        other => panic!("expected ConnectFailed, got {other:?}"),
    }
    assert!(socket.next().await.is_none());
    assert_eq!(socket.state(), State::Closed);
}

#[wasm_bindgen_test]
async fn closing_while_connecting_ends_the_stream_without_an_error() {
    let mut socket = WebSocket::open(&crate::common::server("/slow?ms=1000")).unwrap();
    socket.close().unwrap();
    assert!(within(10_000, "end of stream", socket.next())
        .await
        .is_none());
    let event = socket.closed().await;
    assert_eq!(event.code, CloseCode::ABNORMAL);
    assert!(!event.was_clean);
}
