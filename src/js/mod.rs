//! The JavaScript API of the npm package (feature `js`): a `Socket` class shaped like the
//! browser's `WebSocket`, with promises, async iteration, validated arguments and typed errors.
//!
//! Every exported function takes its arguments as untyped JS values and checks them itself,
//! so no argument (wrong type, `undefined`, NaN, a huge string) can reach a panic and trap the
//! module: a bad one gets a JS `Error` with a stable `name`. Nor can one make an allocation
//! fail, which traps too: a JS string is passed back to the browser as it is where it can be,
//! refused by its length where a bound exists, and otherwise copied into wasm memory only once
//! a fallible allocation of its size succeeded (`args::checked_string`).

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
