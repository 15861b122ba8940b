//! Plumbing with no WebSocket knowledge of its own: queues, waker slots, ids, lazily allocated
//! state, the browser glue, the native `WebSocket` constructor, the live-socket count, the event listener guard, a cancellable spawned task, and the inbox and
//! handler list that a socket and a reconnecting connection share.

pub(crate) mod diagnostics;
pub(crate) mod fifo;
pub(crate) mod glue;
pub(crate) mod handlers;
pub(crate) mod ids;
pub(crate) mod inbox;
pub(crate) mod lazy_box;
pub(crate) mod listener;
pub(crate) mod native;
pub(crate) mod task;
pub(crate) mod wakers;
