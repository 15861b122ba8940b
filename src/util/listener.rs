//! Browser event listeners: gloo-events' [`EventListener`], one per event type, each removed
//! (never forgotten) when dropped.

use gloo_events::{EventListener, EventListenerOptions};

/// Listens for each of `types` on `target` with its own [`EventListener`], every one calling a
/// clone of `on_event` (ARCHITECTURE.md, Listeners).
pub(crate) fn listen<const N: usize, F>(
    target: &web_sys::EventTarget,
    types: [&'static str; N],
    on_event: F,
) -> [EventListener; N]
where
    F: FnMut(&web_sys::Event) + Clone + 'static,
{
    types.map(|event_type| {
        EventListener::new_with_options(
            target,
            event_type,
            EventListenerOptions::default(),
            on_event.clone(),
        )
    })
}
