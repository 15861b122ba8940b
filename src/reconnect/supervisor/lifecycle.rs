//! The network and the page's lifecycle: no attempt while offline, a retry at once when the
//! browser comes online, and on a resume (visible again, back from the back/forward cache, or
//! unfrozen) a waiting retry now and a heartbeat check now.

use std::rc::Rc;

use wasm_bindgen::{JsCast, JsValue};

use super::link::Link;
use super::timers::with;
use super::Supervisor;
use gloo_events::EventListener;

use crate::util::listener::listen;

const NETWORK: [&str; 2] = ["online", "offline"];
const PAGE_SHOW: [&str; 1] = ["pageshow"];
const DOCUMENT: [&str; 2] = ["visibilitychange", "resume"];

fn get(target: &JsValue, name: &str) -> JsValue {
    js_sys::Reflect::get(target, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
}

/// `navigator.onLine` of this global (a window or a worker); `true` where there is none.
pub(super) fn online() -> bool {
    let navigator = get(&js_sys::global(), "navigator");
    get(&navigator, "onLine").as_bool() != Some(false)
}

/// The listeners of one connection, removed when it drops.
pub(super) struct Watch {
    _listeners: Vec<EventListener>,
}

/// Listens as the options ask: `online`/`offline` on the global (windows and workers), and in
/// a window `pageshow`, `visibilitychange` and `resume`.
pub(super) fn watch(supervisor: &Rc<Supervisor>) -> Watch {
    let options = &supervisor.options;
    let weak = Rc::downgrade(supervisor);
    let global: JsValue = js_sys::global().into();
    let mut listeners = Vec::new();
    let target = |value: &JsValue| value.dyn_ref::<web_sys::EventTarget>().cloned();
    let Some(global_target) = target(&global) else {
        return Watch {
            _listeners: listeners,
        };
    };
    if options.pause_while_offline || options.check_on_resume {
        let network = with(&weak, |s| s.network_changed());
        listeners.extend(listen(
            &global_target,
            NETWORK,
            move |_: &web_sys::Event| network(),
        ));
    }
    if options.check_on_resume {
        let document = get(&global, "document");
        if let Some(document_target) = target(&document) {
            let resumed = with(&weak, |s| s.resumed());
            listeners.extend(listen(
                &global_target,
                PAGE_SHOW,
                move |_: &web_sys::Event| resumed(),
            ));
            let resumed = with(&weak, |s| s.resumed());
            listeners.extend(listen(
                &document_target,
                DOCUMENT,
                move |_: &web_sys::Event| {
                    if get(&document, "visibilityState").as_string().as_deref() != Some("hidden") {
                        resumed();
                    }
                },
            ));
        }
    }
    Watch {
        _listeners: listeners,
    }
}

impl Supervisor {
    /// `online` or `offline`: a waiting (or paused) retry runs now if online, pauses if
    /// offline; an open connection is checked now, since its path may have changed.
    fn network_changed(self: &Rc<Self>) {
        if !self.options.pause_while_offline {
            return self.resumed();
        }
        let waiting = matches!(
            self.inner.borrow().link,
            Link::Waiting { .. } | Link::Offline { .. }
        );
        if waiting {
            self.retry();
        } else if self.options.check_on_resume {
            self.check_now();
        }
    }

    /// Visible again, shown from the back/forward cache, or resumed after a freeze.
    fn resumed(self: &Rc<Self>) {
        if !self.options.check_on_resume {
            return;
        }
        if matches!(
            self.inner.borrow().link,
            Link::Waiting { .. } | Link::Offline { .. }
        ) {
            self.retry();
        } else {
            self.check_now();
        }
    }
}
