//! [`Listener`]: one browser event listener, removed when dropped.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// Listens for `event_type` on a target until dropped, as
/// [`gloo_events::EventListener`](https://docs.rs/gloo-events/0.3/gloo_events/struct.EventListener.html)
/// does, but with the browser's default options and no options object: gloo builds one per
/// listener (three property sets on a new object, and the imports and JS shims for them),
/// which cost every application about 340 B of gzipped wasm and 110 B of JS. The callback is
/// owned here and removed on drop, never forgotten.
pub(crate) struct Listener {
    target: web_sys::EventTarget,
    event_type: &'static str,
    callback: Closure<dyn FnMut(&web_sys::Event)>,
}

impl Listener {
    pub(crate) fn new(
        target: &web_sys::EventTarget,
        event_type: &'static str,
        on_event: impl FnMut(&web_sys::Event) + 'static,
    ) -> Listener {
        // A borrowed event: the browser's object is lent to wasm for the call, with no
        // reference-table entry to allocate and free per event.
        let callback = Closure::<dyn FnMut(&web_sys::Event)>::new(on_event);
        // addEventListener only throws for a callback that is not an object; this one is.
        let _ =
            target.add_event_listener_with_callback(event_type, callback.as_ref().unchecked_ref());
        Listener {
            target: target.clone(),
            event_type,
            callback,
        }
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        let _ = self.target.remove_event_listener_with_callback(
            self.event_type,
            self.callback.as_ref().unchecked_ref(),
        );
    }
}
