//! The JavaScript API of the npm package (feature `js`): a `Socket` class shaped like the
//! browser's `WebSocket`, with promises, async iteration, validated arguments and typed errors.
//!
//! Arguments arrive as untyped JS values and are checked here, so none can panic or fail an
//! allocation (both trap the module): a bad one gets a JS `Error` with a stable `name`, and a
//! string is copied into wasm memory only after a fallible allocation (`values::checked_string`).

mod args;
mod errors;
mod events;
mod iterator;
mod reconnect_options;
mod reconnecting;
mod socket;
mod typescript;
mod values;

pub use iterator::MessageIterator;
pub use socket::JsSocket;
