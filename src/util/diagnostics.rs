//! Leak diagnostics.

use std::cell::Cell;

thread_local! {
    static LIVE_SOCKETS: Cell<usize> = const { Cell::new(0) };
}

/// How many browser-ws sockets exist in this thread, whatever their state: each counts from
/// construction until its last `WebSocket`, half, handle and connect future is gone (and its
/// browser listener with it). `closed()` futures, weak handles and handler guards do
/// not count. Use it to check that an application does not leak sockets.
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
