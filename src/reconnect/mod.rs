//! Connections that survive disconnections: reconnect with backoff, a bounded send queue, a
//! heartbeat, and `bufferedAmount` backpressure, built on the core [`WebSocket`](crate::WebSocket).

mod connection;
mod endpoint;
mod options;
mod policy;
mod queue;
mod sink;
mod status;
mod supervisor;

pub use connection::{
    ConnectionStates, ReconnectingHandle, ReconnectingWebSocket, SubscriptionGuard,
    WeakReconnectingHandle,
};
pub use endpoint::Endpoint;
#[cfg(feature = "js")]
pub(crate) use options::MAX_TIMER_MS;
pub use options::{Heartbeat, ReconnectOptions};
pub use policy::Decision;
pub use queue::QueueLimits;
pub use status::{ConnectionState, Delivery, Disconnect, ReconnectContext};
