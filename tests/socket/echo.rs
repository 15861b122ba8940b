//! Proves: text and binary messages round-trip unchanged through a real server, through the
//! `Sink` and through `send`, including empty, non-ASCII and JS-owned (Blob, ArrayBuffer,
//! Uint8Array) payloads, in both binary types, and views of a SharedArrayBuffer, which the
//! browser refuses and which are copied at the call; a message event with data of no
//! WebSocket type (only a synthetic one can carry it) is a typed error on the stream, which
//! goes on; the socket reports url/state/protocol/extensions.

use crate::common::{connect, next_message, server};
use browser_ws::{BinaryType, Message, State};
use futures::SinkExt;
use wasm_bindgen::JsCast;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

#[wasm_bindgen::prelude::wasm_bindgen(inline_js = r#"
export function dispatchNumberMessage(target) {
  target.dispatchEvent(new MessageEvent("message", { data: 42 }));
}
"#)]
extern "C" {
    /// Dispatches a synthetic `message` event whose data is the number 42 on `target`.
    #[wasm_bindgen(js_name = dispatchNumberMessage)]
    fn dispatch_number_message(target: &web_sys::WebSocket);
}

#[wasm_bindgen_test]
async fn message_data_of_no_websocket_type_is_a_type_error_and_the_stream_goes_on() {
    use futures::StreamExt;
    let mut socket = connect("/echo").await;
    dispatch_number_message(socket.as_raw());
    let item = socket.next().await;
    assert_eq!(
        item,
        Some(Err(browser_ws::Error::Js {
            name: "TypeError".into(),
            message: "the browser delivered message data of an unknown type".into(),
        }))
    );
    socket.send("after").unwrap();
    assert_eq!(next_message(&mut socket).await, Message::from("after"));
}

#[wasm_bindgen_test]
async fn text_and_binary_echo_in_both_binary_types() {
    for binary_type in [BinaryType::Blob, BinaryType::ArrayBuffer] {
        let mut socket = connect("/echo").await;
        socket.set_binary_type(binary_type);
        assert_eq!(socket.binary_type(), binary_type);
        assert_eq!(socket.state(), State::Open);
        assert_eq!(socket.url(), server("/echo"));
        assert_eq!(socket.protocol(), "");
        let _ = socket.extensions();

        let samples = [
            Message::from("hello"),
            Message::from(""),
            Message::from("grüße, 世界, 🦀"),
            Message::from(vec![0u8, 1, 2, 255]),
            Message::from(Vec::<u8>::new()),
            Message::from((0..=255u8).collect::<Vec<_>>()),
        ];
        for sample in &samples {
            socket.send(sample.clone()).unwrap();
            assert_eq!(&next_message(&mut socket).await, sample, "{binary_type:?}");
        }
        // Through the Sink, too.
        SinkExt::send(&mut socket, Message::from("via sink"))
            .await
            .unwrap();
        assert_eq!(next_message(&mut socket).await, Message::from("via sink"));
        socket.send_text("borrowed text").unwrap();
        assert_eq!(
            next_message(&mut socket).await,
            Message::from("borrowed text")
        );
        socket.send_bytes(&[7, 8, 9]).unwrap();
        assert_eq!(
            next_message(&mut socket).await,
            Message::from(vec![7u8, 8, 9])
        );
    }
}

#[wasm_bindgen_test]
async fn js_owned_payloads_are_sent_without_a_rust_copy() {
    let mut socket = connect("/echo").await;
    let bytes = [10u8, 20, 30, 40, 50];

    let array = js_sys::Uint8Array::from(&bytes[..]);
    socket.send_array_buffer(&array.buffer()).unwrap();
    assert_eq!(
        next_message(&mut socket).await,
        Message::from(bytes.to_vec())
    );

    // Only the viewed part of the buffer is sent.
    let view = array.subarray(1, 4);
    socket.send_uint8_array(&view).unwrap();
    assert_eq!(
        next_message(&mut socket).await,
        Message::from(vec![20u8, 30, 40])
    );

    let parts = js_sys::Array::of1(&array);
    let blob = web_sys::Blob::new_with_u8_array_sequence(&parts).unwrap();
    socket.send_blob(&blob).unwrap();
    assert_eq!(
        next_message(&mut socket).await,
        Message::from(bytes.to_vec())
    );
}

/// A SharedArrayBuffer of one 64 KiB page, byte `i` set to `i * 7 + 1`: the buffer of a shared
/// `WebAssembly.Memory`, which is one even on a page that is not cross-origin-isolated (the
/// test pages are not, so the `SharedArrayBuffer` global may be hidden).
fn shared_buffer() -> js_sys::ArrayBuffer {
    let descriptor = js_sys::Object::new();
    for (key, value) in [
        ("initial", JsValue::from(1)),
        ("maximum", JsValue::from(1)),
        ("shared", JsValue::TRUE),
    ] {
        js_sys::Reflect::set(&descriptor, &JsValue::from_str(key), &value).unwrap();
    }
    let memory = js_sys::WebAssembly::Memory::new(&descriptor).unwrap();
    let buffer: js_sys::ArrayBuffer = memory.buffer().unchecked_into();
    assert_eq!(
        js_sys::Object::to_string(&buffer),
        "[object SharedArrayBuffer]"
    );
    let bytes: Vec<u8> = (0..65536u32).map(|i| (i * 7 + 1) as u8).collect();
    js_sys::Uint8Array::new(&buffer).copy_from(&bytes);
    buffer
}

#[wasm_bindgen_test]
async fn views_of_a_shared_array_buffer_are_copied_and_sent() {
    let mut socket = connect("/echo").await;
    let buffer = shared_buffer();
    let whole = js_sys::Uint8Array::new(&buffer);
    let expected = whole.to_vec();

    // The browser's own send refuses them (a TypeError), so this needs the copy (Node's takes
    // them as they are).
    let view = js_sys::Uint8Array::new_with_byte_offset_and_length(&buffer, 3, 1000);
    if crate::common::node_major().is_none() {
        assert!(socket.as_raw().send_with_array_buffer_view(&view).is_err());
        assert!(socket.as_raw().send_with_array_buffer(&buffer).is_err());
    }

    socket.send_uint8_array(&view).unwrap();
    // The copy is made at the call: a write right after it is not sent.
    whole.fill(0, 0, 65536);
    assert_eq!(
        next_message(&mut socket).await,
        Message::from(expected[3..1003].to_vec())
    );
    whole.copy_from(&expected);

    let empty = js_sys::Uint8Array::new_with_byte_offset_and_length(&buffer, 9, 0);
    socket.send_uint8_array(&empty).unwrap();
    assert_eq!(next_message(&mut socket).await, Message::from(Vec::new()));

    socket
        .send_uint8_array(&whole.subarray(65000, 65536))
        .unwrap();
    assert_eq!(
        next_message(&mut socket).await,
        Message::from(expected[65000..].to_vec())
    );

    // The SharedArrayBuffer itself, through the ArrayBuffer send.
    socket.send_array_buffer(&buffer).unwrap();
    assert_eq!(next_message(&mut socket).await, Message::from(expected));
}

#[wasm_bindgen_test]
async fn sockets_start_in_arraybuffer_mode_and_a_blob_mode_set_around_browser_ws_is_reported_in_place(
) {
    let mut socket = connect("/echo").await;
    assert_eq!(socket.binary_type(), BinaryType::ArrayBuffer);
    assert_eq!(BinaryType::default(), BinaryType::ArrayBuffer);
    assert_eq!(
        socket.as_raw().binary_type(),
        web_sys::BinaryType::Arraybuffer,
        "the browser socket itself is switched"
    );
    // Blob mode set on the raw socket, not through `set_binary_type`: the Blob reader is not
    // installed, so the binary message becomes an error in its place; the stream goes on.
    socket.as_raw().set_binary_type(web_sys::BinaryType::Blob);
    socket.send("before").unwrap();
    socket.send(vec![1u8, 2, 3]).unwrap();
    socket.send("after").unwrap();
    assert_eq!(next_message(&mut socket).await, Message::from("before"));
    match futures::StreamExt::next(&mut socket).await {
        Some(Err(browser_ws::Error::BlobRead { message })) => {
            assert!(message.contains("set_binary_type"), "{message}")
        }
        other => panic!("expected a BlobRead error, got {other:?}"),
    }
    assert_eq!(next_message(&mut socket).await, Message::from("after"));
    // Through `set_binary_type` Blob mode works, in order.
    socket.set_binary_type(BinaryType::Blob);
    socket.send(vec![4u8, 5]).unwrap();
    socket.send("last").unwrap();
    assert_eq!(next_message(&mut socket).await, Message::from(vec![4u8, 5]));
    assert_eq!(next_message(&mut socket).await, Message::from("last"));
}
