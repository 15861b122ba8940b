//! Proves: `on_js_message` hands over each message as the browser's own values (a JS string, a
//! `Uint8Array` outside wasm memory: no copy), in order, in both binary types (in Blob mode,
//! views cut from batched reads, of every size), alongside typed handlers and the stream,
//! which still get the same messages.

use std::cell::RefCell;
use std::rc::Rc;

use crate::common::{connect, next_message, sleep, within};
use browser_ws::{BinaryType, JsMessage, Message};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

fn sample(i: usize) -> Message {
    if i % 5 == 2 {
        Message::Text(format!("text {i} ✓"))
    } else {
        Message::Binary(vec![(i % 251) as u8; (i * 53) % 2000])
    }
}

#[wasm_bindgen_test]
async fn js_values_arrive_in_order_without_a_copy_in_both_binary_types() {
    let wasm_memory: js_sys::ArrayBuffer = wasm_bindgen::memory()
        .unchecked_into::<js_sys::WebAssembly::Memory>()
        .buffer()
        .unchecked_into();
    for binary_type in [BinaryType::ArrayBuffer, BinaryType::Blob] {
        let mut socket = connect("/echo").await;
        socket.set_binary_type(binary_type);
        let js_values: Rc<RefCell<Vec<JsMessage>>> = Rc::default();
        let typed: Rc<RefCell<Vec<Message>>> = Rc::default();
        let _js = socket.on_js_message({
            let js_values = js_values.clone();
            move |message| js_values.borrow_mut().push(message)
        });
        let _typed = socket.on_message({
            let typed = typed.clone();
            move |message| typed.borrow_mut().push(message)
        });
        let sent: Vec<Message> = (0..120).map(sample).collect();
        // Claim the stream too: all three consumers get every message.
        socket.send(sent[0].clone()).unwrap();
        assert_eq!(next_message(&mut socket).await, sent[0]);
        for message in &sent[1..] {
            socket.send(message.clone()).unwrap();
        }
        let mut streamed = vec![sent[0].clone()];
        while streamed.len() < sent.len() {
            streamed.push(next_message(&mut socket).await);
        }
        within(5_000, "handlers", async {
            while typed.borrow().len() < sent.len() {
                sleep(5).await
            }
        })
        .await;

        assert_eq!(streamed, sent, "{binary_type:?}: stream");
        assert_eq!(*typed.borrow(), sent, "{binary_type:?}: typed handler");
        let js_values = js_values.borrow();
        assert_eq!(js_values.len(), sent.len());
        for (js, expected) in js_values.iter().zip(&sent) {
            assert_eq!(&js.to_message(), expected, "{binary_type:?}");
            match js {
                JsMessage::Binary(view) => {
                    assert!(
                        view.buffer() != wasm_memory,
                        "bytes stay outside wasm memory"
                    );
                    if binary_type == BinaryType::ArrayBuffer {
                        assert_eq!(
                            view.buffer().byte_length(),
                            view.byte_length(),
                            "the browser's own buffer"
                        );
                    }
                }
                JsMessage::Text(text) => assert!(text.is_string()),
            }
        }
    }
}
