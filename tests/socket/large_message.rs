//! Proves: a 16 MiB binary message round-trips byte for byte in both binary types.

use crate::common::{connect, within};
use browser_ws::{BinaryType, Message};
use futures::StreamExt;
use wasm_bindgen_test::*;

#[wasm_bindgen_test]
async fn sixteen_mib_round_trip_in_both_binary_types() {
    let payload: Vec<u8> = (0..16u32 << 20)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
        .collect();
    for binary_type in [BinaryType::ArrayBuffer, BinaryType::Blob] {
        let mut socket = connect("/echo").await;
        socket.set_binary_type(binary_type);
        socket.send_bytes(&payload).unwrap();
        let echoed = within(60_000, "the 16 MiB echo", socket.next()).await;
        match echoed {
            Some(Ok(Message::Binary(bytes))) => {
                assert_eq!(bytes.len(), payload.len(), "{binary_type:?}");
                assert!(bytes == payload, "{binary_type:?}: payload differs");
            }
            other => panic!("{binary_type:?}: expected the binary echo, got {other:?}"),
        }
    }
}

#[wasm_bindgen_test]
async fn large_and_small_sends_keep_their_order() {
    // Messages of 64 KiB and more go out as Blobs, smaller ones as views of wasm memory: the
    // browser must still send them in call order.
    let mut socket = crate::common::connect("/echo").await;
    socket.set_binary_type(BinaryType::ArrayBuffer);
    let sent: Vec<Message> = (0..40usize)
        .map(|i| match i % 4 {
            0 => Message::Binary(vec![i as u8; 64 * 1024]),
            1 => Message::Text(format!("small {i}")),
            2 => Message::Binary(vec![i as u8; 200_000 + i]),
            _ => Message::Binary(vec![i as u8; 64 * 1024 - 1]),
        })
        .collect();
    for message in &sent {
        socket.send(message.clone()).unwrap();
    }
    for (index, expected) in sent.iter().enumerate() {
        let got = crate::common::next_message(&mut socket).await;
        assert!(
            &got == expected,
            "message {index} out of order or altered ({} bytes)",
            got.len()
        );
    }
}
