//! Time for the supervisor: the wall clock, callbacks that hold it weakly (for timers and
//! handlers), and the connect timeout's timer.

use std::rc::{Rc, Weak};

use gloo_timers::callback::Timeout;

use super::Supervisor;
use crate::reconnect::options::timer_millis;
use crate::Disconnect;

/// Milliseconds on the wall clock, for uptimes and heartbeat waits.
pub(super) fn now() -> f64 {
    js_sys::Date::now()
}

/// A timer or handler callback that runs `f` on the supervisor if it still exists.
pub(super) fn with(
    weak: &Weak<Supervisor>,
    f: impl Fn(&Rc<Supervisor>) + Clone + 'static,
) -> impl Fn() + Clone + 'static {
    let weak = weak.clone();
    move || {
        if let Some(supervisor) = weak.upgrade() {
            f(&supervisor);
        }
    }
}

impl Supervisor {
    /// The connect timeout's timer for attempt `generation`, if there is a timeout.
    pub(super) fn connect_timer(self: &Rc<Self>, generation: u64) -> Option<Timeout> {
        let weak = Rc::downgrade(self);
        self.options.connect_timeout.map(|timeout| {
            Timeout::new(
                timer_millis(timeout),
                with(&weak, move |s| {
                    s.end(generation, Disconnect::ConnectTimeout)
                }),
            )
        })
    }
}
