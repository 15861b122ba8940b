//! Leptos hooks (feature `leptos`, Leptos 0.8): [`use_websocket`] drives a
//! [`ReconnectingWebSocket`](crate::ReconnectingWebSocket) from a component and reports it
//! through signals; with the `serde` feature too, [`use_websocket_json`] speaks JSON text
//! frames in Rust types. The same API as [`crate::yew`] (options, method names, errors), as
//! signals.
//!
//! - The connection belongs to the reactive owner (the component) that called the hook: when
//!   the owner is cleaned up (the component unmounts) the socket is closed with 1000 and no
//!   reconnect can follow.
//! - It is opened from an effect, so it never exists on the server: an SSR build compiles and
//!   renders the initial state (no connection: `state` is `None`) without any browser call.
//!   On targets other than `wasm32` the hook never connects at all.
//! - [`UseWebSocket`] is a `Copy` handle of signals and arena storage (the Leptos way), so it
//!   can go into `view!` closures and contexts; the socket itself is `!Send` and stays in the
//!   browser thread's storage.
//! - **A new URL moves the connection.** `url` may be a signal: when it changes, the
//!   connection is closed for good (1000) and, if it was live (connecting, open or
//!   reconnecting), or with [`connect_on_mount`](UseWebSocketOptions::connect_on_mount) (the
//!   default), one to the new URL starts. Otherwise nothing connects until
//!   [`open`](UseWebSocket::open), and `state` is `None` again.
//! - **Every message, not only the latest:** [`UseWebSocketOptions::on_message`] is called
//!   with each message (decoded, with [`use_websocket_json`]) in arrival order, however many
//!   arrive before the signals are read.
//! - **One connection for several components:** hooks given the same
//!   [`UseWebSocketOptions::shared`] key use one connection, opened by the first to mount and
//!   closed (1000) when the last owner is cleaned up; each has its own signals and gets every
//!   message.

#[cfg(target_arch = "wasm32")]
mod browser;

use std::collections::VecDeque;
use std::marker::PhantomData;

use ::leptos::prelude::{GetUntracked, RwSignal, Signal, With};

pub use crate::hooks::UseWebSocketOptions;
use crate::hooks::{raw, Decode, Inbox};
use crate::{CloseCode, CloseEvent, ConnectionState, Delivery, Error, Message};
use crate::{ReconnectingHandle, State};

/// What [`use_websocket`] and [`use_websocket_json`] return: the connection's signals, and
/// methods to send, close and open again. `In` is what received messages decode to
/// ([`Message`] for [`use_websocket`]), `Out` what [`send_json`](Self::send_json) encodes.
///
/// It is `Copy`, `Send` and `Sync` like any Leptos signal: it holds arena ids, not the socket.
/// Capture it in `view!` closures and event handlers, or share it with
/// [`provide_context`](::leptos::prelude::provide_context). The socket (`!Send`) lives in
/// the browser thread's local arena storage and is dropped with the owner that called the
/// hook.
pub struct UseWebSocket<In = Message, Out = Message>
where
    In: Send + Sync + 'static,
{
    /// The connection's state, updated on every transition (`Connecting`, `Open`,
    /// `Reconnecting` with the delay and cause, `Closing`, `Closed`); `None` when there is no
    /// connection: before the first one starts (on the server, with
    /// `connect_on_mount(false)` before [`open`](Self::open)), when it could not start (see
    /// [`error`](Self::error)), and after a URL change that found no live connection to move.
    pub state: Signal<Option<ConnectionState>>,
    /// The latest received message (decoded, for [`use_websocket_json`]) on this connection.
    pub message: Signal<Option<In>>,
    /// The last received messages, oldest first, bounded by
    /// [`UseWebSocketOptions::history`] (empty by default).
    pub history: Signal<VecDeque<In>>,
    /// How many messages this connection has received, undecodable ones included.
    pub received: Signal<u64>,
    /// The latest close event `{ code, reason, was_clean }` of this connection: each ending
    /// the browser reports sets it, whether a reconnect follows or not. A new connection
    /// clears it.
    pub close_event: Signal<Option<CloseEvent>>,
    /// The latest error not returned by a call: a connection that could not start (an invalid
    /// URL or subprotocol, or an invalid
    /// [`close_on_decode_error`](UseWebSocketOptions::close_on_decode_error)), or a message
    /// that did not decode ([`Error::Decode`]). A new connection clears it.
    pub error: Signal<Option<Error>>,
    #[cfg(target_arch = "wasm32")]
    browser: browser::Hook<In>,
    _types: PhantomData<fn(Out) -> In>,
}

impl<In: Send + Sync + 'static, Out> Clone for UseWebSocket<In, Out> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<In: Send + Sync + 'static, Out> Copy for UseWebSocket<In, Out> {}

impl<In: Send + Sync + 'static, Out> std::fmt::Debug for UseWebSocket<In, Out> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UseWebSocket")
            .field("state", &self.state.try_get_untracked())
            .finish_non_exhaustive()
    }
}

/// Connects to `url` when the calling component mounts and reports the connection through
/// signals; received messages are [`Message`]s. The connection is closed (1000) when the
/// component's owner is cleaned up, and never reconnects after that. Never panics: what stops
/// a connection from starting is in [`UseWebSocket::error`].
///
/// `url` may be a signal (see the [module docs](self) for what a new URL does). A relative
/// URL (`/room?name=lobby`) is resolved against the page.
///
/// ```no_run
/// use browser_ws::leptos::{use_websocket, UseWebSocketOptions};
/// use leptos::prelude::*;
///
/// #[component]
/// fn Echo() -> impl IntoView {
///     let ws = use_websocket("/echo", UseWebSocketOptions::new().history(10));
///     view! {
///         <p>{move || if ws.is_open() { "open" } else { "not open" }}</p>
///         <button on:click=move |_| { let _ = ws.send("hello"); }>"send"</button>
///         <ul>{move || ws.history.get().into_iter()
///             .map(|m| view! { <li>{m.as_text().unwrap_or("(binary)").to_owned()}</li> })
///             .collect_view()}</ul>
///     }
/// }
/// ```
pub fn use_websocket(
    url: impl Into<Signal<String>>,
    options: UseWebSocketOptions<Message>,
) -> UseWebSocket<Message, Message> {
    hook(url.into(), options, raw::<Message>)
}

/// [`use_websocket`] speaking JSON (features `leptos` and `serde`): received text (or UTF-8
/// binary) frames are decoded into `In` ([`UseWebSocket::message`] and
/// [`UseWebSocket::history`] hold decoded values); [`UseWebSocket::send_json`] sends `Out` as
/// a JSON text frame. A message that does not decode sets [`UseWebSocket::error`] to
/// [`Error::Decode`], is counted in [`UseWebSocket::received`] and otherwise skipped; the
/// connection goes on unless [`UseWebSocketOptions::close_on_decode_error`] says otherwise.
///
/// ```no_run
/// use browser_ws::leptos::{use_websocket_json, UseWebSocketOptions};
/// use leptos::prelude::*;
/// use serde::{Deserialize, Serialize};
///
/// #[derive(Serialize)]
/// struct Subscribe { topic: String }
/// #[derive(Deserialize, Clone)]
/// struct Tick { price: f64 }
///
/// #[component]
/// fn Price() -> impl IntoView {
///     let options = UseWebSocketOptions::new().close_on_decode_error(1000u16, "bad tick");
///     let ws = use_websocket_json::<Tick, Subscribe>("/prices", options);
///     // Queued while not open, sent first when the connection opens.
///     let _ = ws.send_json(&Subscribe { topic: "EURUSD".into() });
///     move || ws.message.get().map(|tick| tick.price.to_string())
/// }
/// ```
#[cfg(feature = "serde")]
pub fn use_websocket_json<In, Out>(
    url: impl Into<Signal<String>>,
    options: UseWebSocketOptions<In>,
) -> UseWebSocket<In, Out>
where
    In: serde::de::DeserializeOwned + Clone + Send + Sync + 'static,
    Out: serde::Serialize,
{
    hook(url.into(), options, crate::hooks::json::<In, In>)
}

/// The hook behind both entry points: signals everywhere, the connection only in a browser.
fn hook<In, Out>(
    url: Signal<String>,
    options: UseWebSocketOptions<In>,
    decode: Decode<In>,
) -> UseWebSocket<In, Out>
where
    In: Clone + Send + Sync + 'static,
{
    let state = RwSignal::new(None);
    let inbox = RwSignal::new(Inbox::<In>::default());
    let close_event = RwSignal::new(None);
    let error = RwSignal::new(None);
    #[cfg(not(target_arch = "wasm32"))]
    let _ = (url, options, decode);
    UseWebSocket {
        state: state.into(),
        message: Signal::derive(move || inbox.with(|inbox| inbox.latest().cloned())),
        history: Signal::derive(move || inbox.with(|inbox| inbox.history().clone())),
        received: Signal::derive(move || inbox.with(Inbox::received)),
        close_event: close_event.into(),
        error: error.into(),
        #[cfg(target_arch = "wasm32")]
        browser: browser::Hook::new(
            url,
            options,
            browser::Writers {
                state,
                inbox,
                close_event,
                error,
                decode,
            },
        ),
        _types: PhantomData,
    }
}

impl<In: Clone + Send + Sync + 'static, Out> UseWebSocket<In, Out> {
    /// Whether the connection is open; tracked, like reading [`state`](Self::state), so a
    /// `view!` closure that calls it updates.
    #[must_use]
    pub fn is_open(&self) -> bool {
        self.state
            .try_with(|state| state.as_ref().is_some_and(ConnectionState::is_open))
            .unwrap_or(false)
    }

    /// Sends `message` now if open, else queues it (bounded by the
    /// [`QueueLimits`](crate::QueueLimits)) for the next connection, and says which it did
    /// ([MDN: `send()`](https://developer.mozilla.org/docs/Web/API/WebSocket/send)). Queued
    /// messages are discarded when the owner is cleaned up or the URL moves the connection,
    /// and a `Sent` message on a connection that died silently is lost: only a
    /// [`Heartbeat`](crate::Heartbeat) notices such a connection. A `send` from the
    /// component's body, before the mount effect ran, starts the connection on mount at once.
    ///
    /// # Errors
    /// [`Error::QueueFull`] with the message handed back; [`Error::NotOpen`] when there is no
    /// connection (after [`close`](Self::close), before the first [`open`](Self::open), after
    /// the retries ran out, after the owner was cleaned up, on the server).
    pub fn send(&self, message: impl Into<Message>) -> Result<Delivery, Error> {
        let message = message.into();
        #[cfg(target_arch = "wasm32")]
        let handle = self.browser.handle_connecting();
        #[cfg(not(target_arch = "wasm32"))]
        let handle = self.handle();
        match handle {
            Some(handle) => handle.send(message),
            None => Err(Error::NotOpen(State::Closed)),
        }
    }

    /// Closes the connection for good with 1000, cancelling any pending reconnect (and the
    /// connection on mount, if it has not started yet); [`open`](Self::open) starts a new
    /// one (which reconnects as configured). Does nothing without a connection.
    ///
    /// # Errors
    /// Only if the browser throws unexpectedly ([`Error::Js`]).
    pub fn close(&self) -> Result<(), Error> {
        self.close_with(CloseCode::NORMAL, "")
    }

    /// Like [`close`](Self::close), with a code (1000 or 3000-4999) and a reason ([MDN:
    /// `close()`](https://developer.mozilla.org/docs/Web/API/WebSocket/close)).
    ///
    /// # Errors
    /// [`Error::InvalidCloseCode`] or [`Error::ReasonTooLong`], checked before anything
    /// changes, with or without a connection.
    pub fn close_with(&self, code: impl Into<CloseCode>, reason: &str) -> Result<(), Error> {
        let code = code.into();
        crate::validate_close(code, reason)?;
        #[cfg(target_arch = "wasm32")]
        self.browser.cancel_pending();
        self.handle()
            .map_or(Ok(()), |handle| handle.close_with(code, reason))
    }

    /// Starts a new connection to the current URL if there is none or the last one is closing
    /// or closed for good (after [`close`](Self::close), at once, without waiting for the
    /// closing handshake; with `connect_on_mount(false)`; or when the retries ran out); does
    /// nothing while one is connecting, open or reconnecting. The history, the latest
    /// message, the count, the close event and the error start afresh.
    ///
    /// # Errors
    /// What stopped the connection from starting, also shown in [`error`](Self::error): an
    /// invalid URL or subprotocol ([`Error::InvalidUrl`] and friends) or an invalid
    /// [`close_on_decode_error`](UseWebSocketOptions::close_on_decode_error) pair;
    /// [`Error::NotOpen`] after the owner was cleaned up, and outside a browser (not
    /// `wasm32`), where the hook never connects.
    pub fn open(&self) -> Result<(), Error> {
        #[cfg(target_arch = "wasm32")]
        return self.browser.open();
        #[cfg(not(target_arch = "wasm32"))]
        Err(Error::NotOpen(State::Closed))
    }

    /// The live connection's handle, for what the signals do not show (the send queue,
    /// [`take_queued`](ReconnectingHandle::take_queued), the current socket); `None` without
    /// a connection. Keep it no longer than the component: a handle keeps the connection
    /// alive.
    #[must_use]
    pub fn handle(&self) -> Option<ReconnectingHandle> {
        #[cfg(target_arch = "wasm32")]
        return self.browser.handle();
        #[cfg(not(target_arch = "wasm32"))]
        None
    }
}

#[cfg(feature = "serde")]
impl<In: Clone + Send + Sync + 'static, Out: serde::Serialize> UseWebSocket<In, Out> {
    /// Sends `value` as a JSON text frame, like [`send`](Self::send).
    ///
    /// # Errors
    /// [`Error::Encode`] if `value` has no JSON form, else as [`send`](Self::send).
    pub fn send_json(&self, value: &Out) -> Result<Delivery, Error> {
        self.send(Message::json(value)?)
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use ::leptos::prelude::Owner;

    /// What an SSR build does: the hook gives signals in their initial state, makes no
    /// browser call (it would panic natively), and sending or opening reports that there is
    /// no connection.
    #[test]
    fn on_the_server_the_hook_only_makes_signals() {
        let owner = Owner::new();
        owner.with(|| {
            let ws = use_websocket("ws://127.0.0.1:9/none", UseWebSocketOptions::new());
            assert_eq!(ws.state.get_untracked(), None);
            assert!(!ws.is_open());
            assert_eq!(ws.message.get_untracked(), None);
            assert!(ws.history.get_untracked().is_empty());
            assert_eq!(ws.received.get_untracked(), 0);
            assert_eq!(ws.error.get_untracked(), None);
            assert_eq!(ws.send("x"), Err(Error::NotOpen(State::Closed)));
            assert_eq!(ws.close(), Ok(()));
            assert_eq!(
                ws.close_with(1001u16, ""),
                Err(Error::InvalidCloseCode(CloseCode(1001)))
            );
            assert_eq!(ws.open(), Err(Error::NotOpen(State::Closed)));
            assert!(ws.handle().is_none());
            let later = use_websocket(
                "not a url",
                UseWebSocketOptions::new().connect_on_mount(false),
            );
            assert_eq!(later.state.get_untracked(), None);
        });
        owner.cleanup();
    }

    #[cfg(feature = "serde")]
    #[test]
    fn typed_hook_encodes_before_it_finds_no_connection() {
        let owner = Owner::new();
        owner.with(|| {
            let ws = use_websocket_json::<String, std::collections::HashMap<Vec<u8>, u8>>(
                "/x",
                UseWebSocketOptions::new(),
            );
            let mut bad = std::collections::HashMap::new();
            bad.insert(vec![1u8], 2u8);
            assert!(matches!(ws.send_json(&bad), Err(Error::Encode { .. })));
            assert_eq!(
                ws.send_json(&std::collections::HashMap::new()),
                Err(Error::NotOpen(State::Closed))
            );
        });
        owner.cleanup();
    }
}
