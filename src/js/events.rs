//! Handing browser-ws deliveries to the JS `Socket` (js/socket.js), which dispatches them as
//! DOM events.

use std::rc::Rc;

use js_sys::Function;
use wasm_bindgen::JsValue;

use crate::{BinaryType, CloseEvent, JsMessage, Message};

#[wasm_bindgen::prelude::wasm_bindgen(inline_js = r#"
export function report(error) {
  if (typeof reportError === "function") reportError(error); else console.error(error);
}
"#)]
extern "C" {
    /// Reports an option callback's exception as the browser does a listener's:
    /// `reportError(error)`, or `console.error(error)` where there is none (Node 22).
    #[wasm_bindgen(js_name = report)]
    pub(crate) fn report_error(error: &JsValue);
}

/// The event kinds handed to the `Socket`'s emit function (js/socket.js builds the events).
#[derive(Clone, Copy)]
enum Kind {
    Open = 0,
    Message = 1,
    Error = 2,
    /// With `{ code, reason, wasClean }`.
    Close = 3,
    /// With the state detail (reconnecting sockets).
    State = 4,
}

/// The JS `Socket`'s emit function, `(kind, payload) => void`: it holds the `Socket` weakly,
/// so that this (in wasm-bindgen's table of JS values) never keeps it from being collected.
pub(crate) struct Events {
    emit: Function,
}

impl Events {
    pub(crate) fn new(emit: Function) -> Rc<Events> {
        Rc::new(Events { emit })
    }

    fn emit(&self, kind: Kind, payload: &JsValue) {
        // Listener exceptions are reported by dispatchEvent itself; this is the emitter's own.
        if let Err(thrown) =
            self.emit
                .call2(&JsValue::UNDEFINED, &JsValue::from(kind as u8), payload)
        {
            report_error(&thrown);
        }
    }

    pub(crate) fn fire_open(&self) {
        self.emit(Kind::Open, &JsValue::UNDEFINED);
    }

    pub(crate) fn fire_error(&self) {
        self.emit(Kind::Error, &JsValue::UNDEFINED);
    }

    pub(crate) fn fire_message(&self, message: JsMessage, binary_type: BinaryType) {
        self.emit(Kind::Message, &js_message_data(message, binary_type));
    }

    pub(crate) fn fire_state(&self, detail: &JsValue) {
        self.emit(Kind::State, detail);
    }

    pub(crate) fn fire_close(&self, close: &CloseEvent) {
        self.emit(Kind::Close, &close_result(close));
    }
}

/// A message as JS sees it: a string, or the bytes as an `ArrayBuffer` or a `Blob`.
pub(crate) fn message_data(message: &Message, binary_type: BinaryType) -> JsValue {
    js_message_data(JsMessage::from(message), binary_type)
}

/// The same from the browser's values, outside wasm memory: the whole `ArrayBuffer` if the view
/// covers it, else a browser-made copy (a message cut from a Blob batch).
pub(crate) fn js_message_data(message: JsMessage, binary_type: BinaryType) -> JsValue {
    match message {
        JsMessage::Text(text) => text.into(),
        JsMessage::Binary(view) => match binary_type {
            BinaryType::ArrayBuffer => {
                let buffer = view.buffer();
                if view.byte_offset() == 0 && view.byte_length() == buffer.byte_length() {
                    buffer.into()
                } else {
                    view.slice(0, view.length()).buffer().into()
                }
            }
            BinaryType::Blob => {
                let parts = js_sys::Array::of1(&view);
                web_sys::Blob::new_with_u8_array_sequence(&parts).map_or_else(
                    |_| view.slice(0, view.length()).buffer().into(),
                    JsValue::from,
                )
            }
        },
    }
}

/// The `{ code, reason, wasClean }` object JS receives.
pub(crate) fn close_result(close: &CloseEvent) -> JsValue {
    let object = js_sys::Object::new();
    let set = |key: &str, value: JsValue| {
        let _ = js_sys::Reflect::set(&object, &JsValue::from_str(key), &value);
    };
    set("code", JsValue::from(close.code.0));
    set("reason", JsValue::from_str(&close.reason));
    set("wasClean", JsValue::from_bool(close.was_clean));
    object.into()
}
