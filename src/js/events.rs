//! Turning browser-ws deliveries into DOM events for JS listeners.

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use js_sys::Function;
use wasm_bindgen::{JsCast, JsValue};

use crate::util::listener::Listener;
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

#[wasm_bindgen::prelude::wasm_bindgen(inline_js = r#"
const PROPERTY_EVENTS = ["open", "message", "error", "close", "state"];
export function propertyIndex(event) { return PROPERTY_EVENTS.indexOf(event.type); }
export function closeEvent(code, reason, wasClean) {
  if (typeof CloseEvent === "function") return new CloseEvent("close", { code, reason, wasClean });
  const field = (value) => ({ value, enumerable: true });
  return Object.defineProperties(new Event("close"),
    { code: field(code), reason: field(reason), wasClean: field(wasClean) });
}
export function report(error) {
  if (typeof reportError === "function") reportError(error); else console.error(error);
}
"#)]
extern "C" {
    /// A `close` event with these fields: a `CloseEvent`, or where there is no global
    /// `CloseEvent` (Node 22) an `Event` carrying the same three properties.
    #[wasm_bindgen(js_name = closeEvent)]
    fn close_event(code: u16, reason: &str, was_clean: bool) -> web_sys::Event;

    /// Reports an `on*` handler's or option callback's exception as the browser does a
    /// listener's: `reportError(error)`, or `console.error(error)` where there is none (Node 22).
    #[wasm_bindgen(js_name = report)]
    pub(crate) fn report_error(error: &JsValue);

    /// An event type's [`Property`] index in [`PROPERTY_EVENTS`], -1 for others (no string copy).
    #[wasm_bindgen(js_name = propertyIndex)]
    fn property_index(event: &web_sys::Event) -> i32;
}

/// The five `on*` event types in [`Property`]'s order, as the JS `propertyIndex` lists them.
const PROPERTY_EVENTS: &[&str] = &["open", "message", "error", "close", "state"];

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
    fn index(self) -> usize {
        self as usize
    }
}

/// Our own `EventTarget` and the `on*` properties, called by one listener registered first, so
/// `on*` runs before later `addEventListener` listeners (ARCHITECTURE.md, Listeners).
pub(crate) struct Events {
    pub(crate) target: web_sys::EventTarget,
    properties: [RefCell<Option<Function>>; 5],
    _property_listener: Listener,
}

impl Events {
    pub(crate) fn new() -> Result<Rc<Events>, JsValue> {
        let target = web_sys::EventTarget::new()?;
        Ok(Rc::new_cyclic(|weak: &Weak<Events>| {
            let weak = weak.clone();
            let listener = Listener::new(&target, &PROPERTY_EVENTS, move |event| {
                let handler = weak.upgrade().and_then(|events| events.handler_for(event));
                if let Some(handler) = handler {
                    if let Err(thrown) = handler.call1(&JsValue::UNDEFINED, event) {
                        report_error(&thrown);
                    }
                }
            });
            Events {
                target,
                properties: Default::default(),
                _property_listener: listener,
            }
        }))
    }

    /// The `on*` handler for an event's type, if one is set.
    fn handler_for(&self, event: &web_sys::Event) -> Option<Function> {
        let index = usize::try_from(property_index(event)).ok()?;
        self.properties.get(index)?.borrow().clone()
    }

    pub(crate) fn property(&self, property: Property) -> JsValue {
        self.properties[property.index()]
            .borrow()
            .clone()
            .map_or(JsValue::NULL, JsValue::from)
    }

    /// Sets an `on*` property to a function, `null`/`undefined` clearing it; others are ignored.
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
        self.fire(&close_event(close.code.0, &close.reason, close.was_clean));
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
