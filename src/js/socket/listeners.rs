//! The `Socket`'s `on*` properties and `addEventListener`/`removeEventListener`, all on its
//! [`Events`](crate::js::events::Events) target.

use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};

use super::JsSocket;
use crate::js::errors::type_error;
use crate::js::events::Property;

#[wasm_bindgen(js_class = Socket)]
impl JsSocket {
    /// `socket.onopen`.
    #[wasm_bindgen(getter)]
    pub fn onopen(&self) -> JsValue {
        self.events.property(Property::Open)
    }

    /// `socket.onopen = handler`.
    #[wasm_bindgen(setter)]
    pub fn set_onopen(&self, handler: JsValue) {
        self.events.set_property(Property::Open, &handler);
    }

    /// `socket.onstate`: `state` events, which reconnecting sockets fire on every transition.
    #[wasm_bindgen(getter)]
    pub fn onstate(&self) -> JsValue {
        self.events.property(Property::State)
    }

    /// `socket.onstate = handler`.
    #[wasm_bindgen(setter)]
    pub fn set_onstate(&self, handler: JsValue) {
        self.events.set_property(Property::State, &handler);
    }

    /// `socket.onmessage`.
    #[wasm_bindgen(getter)]
    pub fn onmessage(&self) -> JsValue {
        self.events.property(Property::Message)
    }

    /// `socket.onmessage = handler`.
    #[wasm_bindgen(setter)]
    pub fn set_onmessage(&self, handler: JsValue) {
        self.events.set_property(Property::Message, &handler);
    }

    /// `socket.onerror`.
    #[wasm_bindgen(getter)]
    pub fn onerror(&self) -> JsValue {
        self.events.property(Property::Error)
    }

    /// `socket.onerror = handler`.
    #[wasm_bindgen(setter)]
    pub fn set_onerror(&self, handler: JsValue) {
        self.events.set_property(Property::Error, &handler);
    }

    /// `socket.onclose`.
    #[wasm_bindgen(getter)]
    pub fn onclose(&self) -> JsValue {
        self.events.property(Property::Close)
    }

    /// `socket.onclose = handler`.
    #[wasm_bindgen(setter)]
    pub fn set_onclose(&self, handler: JsValue) {
        self.events.set_property(Property::Close, &handler);
    }

    /// `socket.addEventListener(type, listener, options?)`, exactly as on any `EventTarget`.
    ///
    /// # Errors
    /// The `TypeError` the browser raises for a bad listener.
    #[wasm_bindgen(js_name = addEventListener)]
    pub fn add_event_listener(
        &self,
        event_type: JsValue,
        listener: JsValue,
        options: JsValue,
    ) -> Result<(), JsValue> {
        self.call_target("addEventListener", &event_type, &listener, &options)
    }

    /// `socket.removeEventListener(type, listener, options?)`.
    ///
    /// # Errors
    /// The `TypeError` the browser raises for bad arguments.
    #[wasm_bindgen(js_name = removeEventListener)]
    pub fn remove_event_listener(
        &self,
        event_type: JsValue,
        listener: JsValue,
        options: JsValue,
    ) -> Result<(), JsValue> {
        self.call_target("removeEventListener", &event_type, &listener, &options)
    }

    fn call_target(
        &self,
        method: &str,
        event_type: &JsValue,
        listener: &JsValue,
        options: &JsValue,
    ) -> Result<(), JsValue> {
        let function = js_sys::Reflect::get(&self.events.target, &JsValue::from_str(method))?
            .dyn_into::<js_sys::Function>()
            .map_err(|_| type_error("EventTarget method missing"))?;
        function.call3(&self.events.target, event_type, listener, options)?;
        Ok(())
    }
}
