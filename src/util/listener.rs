//! [`Listener`]: one browser event listener for one or more event types, removed when
//! dropped.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// A `&'static` to a static list: one pointer per listener instead of a slice's two.
pub(crate) type EventTypes = &'static &'static [&'static str];

/// Listens for `types` on a target with one shared callback, removed (never forgotten) on drop
/// (ARCHITECTURE.md, Listeners).
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
        // Borrowed events: no reference-table entry per event (ARCHITECTURE.md, Listeners).
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
