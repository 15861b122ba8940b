//! Helpers both halves of the reconnect tests use.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use crate::common::within;
use browser_ws::{Backoff, ConnectionState, ReconnectOptions, ReconnectingHandle};
use futures::StreamExt;

/// Fast retries (20 ms doubling to 100 ms), so a test sees several attempts quickly.
pub(crate) fn fast() -> ReconnectOptions {
    ReconnectOptions::new().backoff(
        Backoff::new()
            .initial_delay(Duration::from_millis(20))
            .max_delay(Duration::from_millis(100)),
    )
}

/// Records every state transition.
pub(crate) fn record(
    handle: &ReconnectingHandle,
) -> (Rc<RefCell<Vec<ConnectionState>>>, impl Drop) {
    let states = Rc::new(RefCell::new(vec![handle.state()]));
    let sink = states.clone();
    let guard = handle.on_state(move |state| sink.borrow_mut().push(state.clone()));
    (states, guard)
}

/// Waits until the connection reaches a state `matches` accepts.
pub(crate) async fn wait_for(
    handle: &ReconnectingHandle,
    ms: i32,
    what: &str,
    matches: impl Fn(&ConnectionState) -> bool,
) -> ConnectionState {
    let mut states = handle.states();
    within(ms, what, async {
        while let Some(state) = states.next().await {
            if matches(&state) {
                return state;
            }
        }
        panic!("the connection closed before {what}");
    })
    .await
}
