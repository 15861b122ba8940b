//! Proves: sending before open and after close gives `Error::NotOpen` with the state, and never
//! silently grows `bufferedAmount` as the raw API does after close.

use crate::common::{server, within};
use browser_ws::{Error, Message, State, WebSocket};
use futures::SinkExt;
use wasm_bindgen_test::*;

#[wasm_bindgen_test]
async fn send_before_open_and_after_close_is_not_open() {
    let mut socket = WebSocket::open(&server("/echo")).unwrap();
    assert_eq!(socket.state(), State::Connecting);
    assert_eq!(socket.send("early"), Err(Error::NotOpen(State::Connecting)));
    assert_eq!(
        socket.send_bytes(&[1]),
        Err(Error::NotOpen(State::Connecting))
    );
    let blob = web_sys::Blob::new().unwrap();
    assert_eq!(
        socket.send_blob(&blob),
        Err(Error::NotOpen(State::Connecting))
    );

    // The Sink waits for open instead of failing.
    within(
        10_000,
        "sink send while connecting",
        SinkExt::send(&mut socket, Message::from("x")),
    )
    .await
    .unwrap();
    assert_eq!(socket.state(), State::Open);

    socket.close().unwrap();
    assert_eq!(socket.send("late"), Err(Error::NotOpen(State::Closing)));
    within(10_000, "closed", socket.closed()).await;
    let payload = vec![0u8; 4096];
    for _ in 0..10 {
        assert_eq!(
            socket.send_bytes(&payload),
            Err(Error::NotOpen(State::Closed))
        );
        assert_eq!(socket.send("late"), Err(Error::NotOpen(State::Closed)));
    }
    let array = js_sys::Uint8Array::new_with_length(8);
    assert_eq!(
        socket.send_array_buffer(&array.buffer()),
        Err(Error::NotOpen(State::Closed))
    );
    assert_eq!(
        socket.send_uint8_array(&array),
        Err(Error::NotOpen(State::Closed))
    );
    assert_eq!(socket.buffered_amount(), 0, "nothing was silently buffered");
    assert_eq!(
        SinkExt::send(&mut socket, Message::from("y")).await,
        Err(Error::NotOpen(State::Closed))
    );
}

#[wasm_bindgen_test]
async fn raw_api_would_have_buffered_silently() {
    // The behaviour browser-ws guards against, shown on the raw socket so the test above
    // cannot pass vacuously.
    let socket = crate::common::connect("/echo").await;
    socket.close().unwrap();
    within(10_000, "closed", socket.closed()).await;
    socket.as_raw().send_with_u8_array(&[0u8; 100]).unwrap();
    // Node's and Deno's WebSocket drop such a send instead.
    let buffered = if crate::common::node_major().is_some() || crate::common::is_deno() {
        0
    } else {
        100
    };
    assert_eq!(socket.as_raw().buffered_amount(), buffered);
}
