//! Plumbing with no WebSocket knowledge of its own: queues, waker slots, ids, lazily allocated
//! state, the browser glue, the live-socket count and the event listener guard.

pub(crate) mod diagnostics;
pub(crate) mod fifo;
pub(crate) mod glue;
pub(crate) mod ids;
pub(crate) mod lazy_box;
pub(crate) mod listener;
pub(crate) mod wakers;
