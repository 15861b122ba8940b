//! Leak diagnostics.

use std::cell::Cell;

thread_local! {
    static LIVE_SOCKETS: Cell<usize> = const { Cell::new(0) };
}

/// How many browser-ws sockets are alive in this thread: each counts from construction until
/// its last handle, half and future are gone (and its four browser
/// listeners with it). Use it to check that an application does not leak sockets.
///
/// ```
/// assert_eq!(browser_ws::live_sockets(), 0);
/// ```
#[must_use]
pub fn live_sockets() -> usize {
    LIVE_SOCKETS.with(Cell::get)
}

/// Counts one live socket for as long as it exists.
pub(crate) struct LiveToken(());

impl LiveToken {
    pub(crate) fn new() -> LiveToken {
        LIVE_SOCKETS.with(|count| count.set(count.get() + 1));
        LiveToken(())
    }
}

impl Drop for LiveToken {
    fn drop(&mut self) {
        LIVE_SOCKETS.with(|count| count.set(count.get().saturating_sub(1)));
    }
}
