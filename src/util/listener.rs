//! [`Listener`]: one browser event listener for one or more event types, removed when
//! dropped.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// The event types a [`Listener`] listens for: a reference to a static list, so that a
/// listener keeps one pointer for them (a list's own reference is two: where and how long).
pub(crate) type EventTypes = &'static &'static [&'static str];

/// Listens for the events named in `types` on a target until dropped, as
/// [`gloo_events::EventListener`](https://docs.rs/gloo-events/0.3/gloo_events/struct.EventListener.html)
/// does for one type, with the browser's default options.
///
/// All the types share one callback (the same function is added for each): a socket's four
/// events cost one wasm-bindgen closure instead of four. Each such closure is a Rust
/// allocation, two JS functions, a state object and a `FinalizationRegistry` entry. Nor is
/// there an options object: gloo builds one per listener (three property sets on a new
/// object, and the imports and JS shims for them). The callback is owned here and removed on
/// drop, never forgotten.
pub(crate) struct Listener {
    target: web_sys::EventTarget,
    types: EventTypes,
    callback: Closure<dyn FnMut(&web_sys::Event)>,
}

impl Listener {
    pub(crate) fn new(
        target: &web_sys::EventTarget,
        types: EventTypes,
        on_event: impl FnMut(&web_sys::Event) + 'static,
    ) -> Listener {
        // A borrowed event: the browser's object is lent to wasm for the call, with no
        // reference-table entry to allocate and free per event.
        let callback = Closure::<dyn FnMut(&web_sys::Event)>::new(on_event);
        for event_type in *types {
            // addEventListener only throws for a callback that is not an object; this one is.
            let _ = target
                .add_event_listener_with_callback(event_type, callback.as_ref().unchecked_ref());
        }
        Listener {
            target: target.clone(),
            types,
            callback,
        }
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        for event_type in *self.types {
            let _ = self.target.remove_event_listener_with_callback(
                event_type,
                self.callback.as_ref().unchecked_ref(),
            );
        }
    }
}
