//! Turning browser-ws deliveries into DOM events for JS listeners.

use std::cell::RefCell;

use js_sys::Function;
use wasm_bindgen::{JsCast, JsValue};

use crate::listener::{EventTypes, Listener};
use crate::{BinaryType, CloseEvent, JsMessage, Message};

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    /// The DOM's `CustomEvent` (imported here rather than through a web-sys feature).
    #[wasm_bindgen(extends = web_sys::Event)]
    type CustomEvent;

    /// `new CustomEvent(type, init)`.
    #[wasm_bindgen(constructor, catch)]
    fn new(event_type: &str, init: &JsValue) -> Result<CustomEvent, JsValue>;
}

/// The five `on*` properties (`onstate` included).
#[derive(Clone, Copy)]
pub(crate) enum Property {
    Open,
    Message,
    Error,
    Close,
    /// `onstate` (reconnecting sockets).
    State,
}

impl Property {
    const ALL: [Property; 5] = [
        Property::Open,
        Property::Message,
        Property::Error,
        Property::Close,
        Property::State,
    ];

    /// The event type, as [`Listener`] takes it (a list of one).
    fn event_type(self) -> EventTypes {
        const OPEN: &[&str] = &["open"];
        const MESSAGE: &[&str] = &["message"];
        const ERROR: &[&str] = &["error"];
        const CLOSE: &[&str] = &["close"];
        const STATE: &[&str] = &["state"];
        match self {
            Property::Open => &OPEN,
            Property::Message => &MESSAGE,
            Property::Error => &ERROR,
            Property::Close => &CLOSE,
            Property::State => &STATE,
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// An `EventTarget` of our own that JS listeners attach to, and the `on*` properties, each
/// called by a listener registered first (so an `on*` handler runs before later
/// `addEventListener` listeners, whenever it was set).
pub(crate) struct Events {
    pub(crate) target: web_sys::EventTarget,
    properties: [RefCell<Option<Function>>; 5],
    _property_listeners: RefCell<Vec<Listener>>,
}

impl Events {
    pub(crate) fn new() -> Result<std::rc::Rc<Events>, JsValue> {
        let events = std::rc::Rc::new(Events {
            target: web_sys::EventTarget::new()?,
            properties: Default::default(),
            _property_listeners: RefCell::new(Vec::new()),
        });
        let listeners = Property::ALL
            .iter()
            .map(|property| {
                let weak = std::rc::Rc::downgrade(&events);
                let property = *property;
                Listener::new(&events.target, property.event_type(), move |event| {
                    let handler = weak
                        .upgrade()
                        .and_then(|events| events.properties[property.index()].borrow().clone());
                    if let Some(handler) = handler {
                        if let Err(thrown) = handler.call1(&JsValue::UNDEFINED, event) {
                            report_error(&thrown);
                        }
                    }
                })
            })
            .collect();
        *events._property_listeners.borrow_mut() = listeners;
        Ok(events)
    }

    pub(crate) fn property(&self, property: Property) -> JsValue {
        self.properties[property.index()]
            .borrow()
            .clone()
            .map_or(JsValue::NULL, JsValue::from)
    }

    /// Sets an `on*` property: a function, or `null`/`undefined` to clear it. Anything else is
    /// ignored, as the DOM does.
    pub(crate) fn set_property(&self, property: Property, value: &JsValue) {
        let handler = value.dyn_ref::<Function>().cloned();
        let previous = self.properties[property.index()].replace(handler);
        drop(previous);
    }

    fn fire(&self, event: &web_sys::Event) {
        // Listener exceptions are reported by dispatchEvent itself and never reach us.
        let _ = self.target.dispatch_event(event);
    }

    pub(crate) fn fire_open(&self) {
        if let Ok(event) = web_sys::Event::new("open") {
            self.fire(&event);
        }
    }

    pub(crate) fn fire_error(&self) {
        if let Ok(event) = web_sys::Event::new("error") {
            self.fire(&event);
        }
    }

    pub(crate) fn fire_message(&self, message: JsMessage, binary_type: BinaryType) {
        let init = web_sys::MessageEventInit::new();
        init.set_data(&js_message_data(message, binary_type));
        if let Ok(event) = web_sys::MessageEvent::new_with_event_init_dict("message", &init) {
            self.fire(&event);
        }
    }

    /// A `state` event: a `CustomEvent` whose `detail` is `detail`.
    pub(crate) fn fire_state(&self, detail: &JsValue) {
        let init = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&init, &JsValue::from_str("detail"), detail);
        if let Ok(event) = CustomEvent::new("state", &init) {
            self.fire(&event);
        }
    }

    pub(crate) fn fire_close(&self, close: &CloseEvent) {
        let init = web_sys::CloseEventInit::new();
        init.set_code(close.code.0);
        init.set_reason(&close.reason);
        init.set_was_clean(close.was_clean);
        if let Ok(event) = web_sys::CloseEvent::new_with_event_init_dict("close", &init) {
            self.fire(&event);
        }
    }
}

/// A message as JS sees it: a string, or the bytes as an `ArrayBuffer` or a `Blob`.
pub(crate) fn message_data(message: &Message, binary_type: BinaryType) -> JsValue {
    js_message_data(JsMessage::from(message), binary_type)
}

/// The same from the browser's own values, without passing through wasm memory: the
/// `ArrayBuffer` itself when the view covers all of it (ArrayBuffer mode), otherwise a copy
/// made by the browser (a message cut from a Blob batch).
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

/// Reports an exception from an `on*` handler (or an option's callback) the way the browser
/// reports listener errors, without unwinding through Rust.
pub(crate) fn report_error(thrown: &JsValue) {
    let global = js_sys::global();
    let report = js_sys::Reflect::get(&global, &JsValue::from_str("reportError"))
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok());
    if let Some(report) = report {
        let _ = report.call1(&JsValue::UNDEFINED, thrown);
    }
}
