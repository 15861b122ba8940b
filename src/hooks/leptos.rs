//! Leptos hooks (feature `leptos`, Leptos 0.8): [`use_websocket`] drives a
//! [`ReconnectingWebSocket`](crate::ReconnectingWebSocket) from a component and reports it
//! through signals; with the `serde` feature too, [`use_websocket_json`] speaks JSON text
//! frames in Rust types.
//!
//! - The connection belongs to the reactive owner (the component) that called the hook: when
//!   the owner is cleaned up (the component unmounts) the socket is closed with 1000 and no
//!   reconnect can follow.
//! - It is opened from an effect, so it never exists on the server: an SSR build compiles and
//!   renders the initial state without any browser call. On targets other than `wasm32` the
//!   hook never connects at all.
//! - [`UseWebSocket`] is a `Copy` handle of signals and arena storage (the Leptos way), so it
//!   can go into `view!` closures and contexts; the socket itself is `!Send` and stays in the
//!   browser thread's storage.

use std::collections::VecDeque;
use std::marker::PhantomData;

use ::leptos::prelude::{GetUntracked, RwSignal, Signal};

use crate::{CloseCode, CloseEvent, ConnectionState, Delivery, Error, Message, ReconnectOptions};
use crate::{ReconnectingHandle, State};

/// How [`use_websocket`] connects: the core's [`ReconnectOptions`] (backoff, connect timeout,
/// send queue, heartbeat, subprotocols), whether to connect at mount, how many received
/// messages to keep, and whether an undecodable message closes the connection.
///
/// ```
/// use std::time::Duration;
/// use browser_ws::leptos::UseWebSocketOptions;
/// use browser_ws::{Backoff, Heartbeat, QueueLimits, ReconnectOptions};
///
/// let options = UseWebSocketOptions::new()
///     .reconnect(
///         ReconnectOptions::new()
///             .backoff(Backoff::new().initial_delay(Duration::from_millis(200)))
///             .queue_limits(QueueLimits::new(100, 64 * 1024))
///             .heartbeat(Some(Heartbeat::new("ping", Duration::from_secs(20)))),
///     )
///     .history(50);
/// # let _ = options;
/// // No reconnects at all:
/// let once = UseWebSocketOptions::new().reconnect(
///     ReconnectOptions::new().backoff(Backoff::new().max_retries(Some(0))),
/// );
/// # let _ = once;
/// ```
#[derive(Clone, Debug)]
pub struct UseWebSocketOptions {
    reconnect: ReconnectOptions,
    immediate: bool,
    history: usize,
    close_on_decode_error: Option<(CloseCode, String)>,
}

impl Default for UseWebSocketOptions {
    fn default() -> Self {
        UseWebSocketOptions {
            reconnect: ReconnectOptions::default(),
            immediate: true,
            history: 0,
            close_on_decode_error: None,
        }
    }
}

impl UseWebSocketOptions {
    /// The defaults: [`ReconnectOptions::default`] (reconnect with backoff, a bounded send
    /// queue, no heartbeat), connect at mount, no history, decode errors do not close.
    #[must_use]
    pub fn new() -> Self {
        UseWebSocketOptions::default()
    }

    /// Reconnect, queue, heartbeat and socket options, as for
    /// [`ReconnectingWebSocket::open`](crate::ReconnectingWebSocket::open). To never
    /// reconnect, give a backoff with `max_retries(Some(0))`.
    #[must_use]
    pub fn reconnect(mut self, options: ReconnectOptions) -> Self {
        self.reconnect = options;
        self
    }

    /// Whether to connect when the component mounts (default `true`); with `false`, nothing
    /// happens until [`UseWebSocket::open`].
    #[must_use]
    pub fn immediate(mut self, immediate: bool) -> Self {
        self.immediate = immediate;
        self
    }

    /// Keep the last `messages` received messages in [`UseWebSocket::history`], oldest first
    /// (default 0: only [`UseWebSocket::message`], the latest, is kept).
    #[must_use]
    pub fn history(mut self, messages: usize) -> Self {
        self.history = messages;
        self
    }

    /// For typed hooks: close the connection for good with `code` and `reason` when a message
    /// does not decode (by default the error is reported in [`UseWebSocket::error`] and the
    /// connection goes on). `code` must be one a browser may send: 1000 or 3000-4999.
    #[must_use]
    pub fn close_on_decode_error(mut self, code: impl Into<CloseCode>, reason: &str) -> Self {
        self.close_on_decode_error = Some((code.into(), reason.to_owned()));
        self
    }
}

/// What [`use_websocket`] returns: the connection's signals, and methods to send, close and
/// open again. `In` is what received messages decode to ([`Message`] for [`use_websocket`]),
/// `Out` what [`send_json`](Self::send_json) encodes.
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
    /// `Reconnecting` with the delay and cause, `Closing`, `Closed`). Before the first
    /// connection (`immediate(false)`), and on the server, it is
    /// `Closed` with code 1005 if the hook does not connect at mount, else `Connecting`.
    pub ready_state: Signal<ConnectionState>,
    /// The latest received message (decoded, for a typed hook); `None` until one arrives.
    pub message: Signal<Option<In>>,
    /// The last received messages, oldest first, bounded by
    /// [`UseWebSocketOptions::history`] (empty by default).
    pub history: Signal<VecDeque<In>>,
    /// The latest close event the browser reported: each connection that ends sets it,
    /// whether a reconnect follows or not.
    pub close_event: Signal<Option<CloseEvent>>,
    /// The latest error: an invalid URL or subprotocol (the hook never panics on one),
    /// or a message that did not decode ([`Error::Decode`]). Cleared by [`open`](Self::open).
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
            .field("ready_state", &self.ready_state.try_get_untracked())
            .finish_non_exhaustive()
    }
}

/// Connects to `url` when the calling component mounts and reports the connection through
/// signals; received messages are [`Message`]s. The connection is closed (1000) when the
/// component's owner is cleaned up, and never reconnects after that.
///
/// `url` may be a signal: when it changes, a live connection (connecting, open or
/// reconnecting) is closed with 1000 and replaced by one to the new URL; without one (before
/// the first [`open`](UseWebSocket::open) with `immediate(false)`, after
/// [`close`](UseWebSocket::close), once closed for good) nothing connects until `open`,
/// which uses the new URL. A relative URL (`/room?name=lobby`) is resolved against the page.
///
/// ```no_run
/// use browser_ws::leptos::{use_websocket, UseWebSocketOptions};
/// use leptos::prelude::*;
///
/// #[component]
/// fn Echo() -> impl IntoView {
///     let ws = use_websocket("/echo", UseWebSocketOptions::new().history(10));
///     view! {
///         <p>{move || format!("{:?}", ws.ready_state.get())}</p>
///         <button on:click=move |_| { let _ = ws.send("hello"); }>"send"</button>
///         <ul>{move || ws.history.get().into_iter()
///             .map(|m| view! { <li>{m.as_text().unwrap_or("(binary)").to_owned()}</li> })
///             .collect_view()}</ul>
///     }
/// }
/// ```
pub fn use_websocket(
    url: impl Into<Signal<String>>,
    options: UseWebSocketOptions,
) -> UseWebSocket<Message, Message> {
    hook(url.into(), options, Ok)
}

/// [`use_websocket`] speaking JSON (features `leptos` and `serde`): received text (or UTF-8
/// binary) frames are decoded into `In` ([`UseWebSocket::message`] and
/// [`UseWebSocket::history`] hold decoded values); [`UseWebSocket::send_json`] sends `Out` as
/// a JSON text frame. A message that does not decode sets [`UseWebSocket::error`] to
/// [`Error::Decode`] and is skipped; the connection goes on unless
/// [`UseWebSocketOptions::close_on_decode_error`] says otherwise.
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
///     let ws = use_websocket_json::<Tick, Subscribe>("/prices", UseWebSocketOptions::new());
///     // Queued while not open, sent first when the connection opens.
///     let _ = ws.send_json(&Subscribe { topic: "EURUSD".into() });
///     move || ws.message.get().map(|tick| tick.price.to_string())
/// }
/// ```
#[cfg(feature = "serde")]
pub fn use_websocket_json<In, Out>(
    url: impl Into<Signal<String>>,
    options: UseWebSocketOptions,
) -> UseWebSocket<In, Out>
where
    In: serde::de::DeserializeOwned + Clone + Send + Sync + 'static,
    Out: serde::Serialize,
{
    hook(url.into(), options, |message: Message| message.parse_json())
}

/// The hook behind both entry points: signals everywhere, the connection only in a browser.
fn hook<In, Out>(
    url: Signal<String>,
    options: UseWebSocketOptions,
    decode: fn(Message) -> Result<In, Error>,
) -> UseWebSocket<In, Out>
where
    In: Clone + Send + Sync + 'static,
{
    let initial = if options.immediate {
        ConnectionState::Connecting { attempt: 0 }
    } else {
        ConnectionState::Closed(CloseEvent {
            code: CloseCode::NO_STATUS_RECEIVED,
            reason: String::new(),
            was_clean: true,
        })
    };
    let ready_state = RwSignal::new(initial);
    let message = RwSignal::new(None);
    let history = RwSignal::new(VecDeque::new());
    let close_event = RwSignal::new(None);
    let error = RwSignal::new(None);
    #[cfg(not(target_arch = "wasm32"))]
    let _ = (url, options, decode);
    UseWebSocket {
        ready_state: ready_state.into(),
        message: message.into(),
        history: history.into(),
        close_event: close_event.into(),
        error: error.into(),
        #[cfg(target_arch = "wasm32")]
        browser: browser::Hook::new(
            url,
            options,
            browser::Writers {
                ready_state,
                message,
                history,
                close_event,
                error,
                decode,
            },
        ),
        _types: PhantomData,
    }
}

impl<In: Clone + Send + Sync + 'static, Out> UseWebSocket<In, Out> {
    /// Sends `message` now if open, else queues it (bounded by the
    /// [`QueueLimits`](crate::QueueLimits)) for the next connection, and says which it did.
    /// Queued messages are discarded when the owner is cleaned up or the URL moves the
    /// connection, and a `Sent` message on a connection that died silently is lost: only a
    /// [`Heartbeat`](crate::Heartbeat) notices such a connection.
    ///
    /// # Errors
    /// [`Error::QueueFull`] with the message handed back; [`Error::NotOpen`] when there is no
    /// connection (after [`close`](Self::close), before the first [`open`](Self::open), after
    /// the retries ran out, on the server).
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
    /// connection at mount, if it has not started yet); [`open`](Self::open) starts a new
    /// one (which reconnects as configured). Does nothing without a connection.
    ///
    /// # Errors
    /// As [`ReconnectingHandle::close`].
    pub fn close(&self) -> Result<(), Error> {
        self.close_with(CloseCode::NORMAL, "")
    }

    /// Like [`close`](Self::close), with a code (1000 or 3000-4999) and a reason.
    ///
    /// # Errors
    /// As [`ReconnectingHandle::close_with`].
    pub fn close_with(&self, code: impl Into<CloseCode>, reason: &str) -> Result<(), Error> {
        #[cfg(target_arch = "wasm32")]
        self.browser.cancel_pending();
        self.handle()
            .map_or(Ok(()), |handle| handle.close_with(code, reason))
    }

    /// Opens a new connection to the current URL with the hook's options, replacing the
    /// current one (closed with 1000 if still live). Use it after [`close`](Self::close), after
    /// the retries ran out, or with `immediate(false)`. Clears [`error`](Self::error). An
    /// invalid URL is reported in [`error`](Self::error), never as a panic. Outside a browser
    /// (not `wasm32`) it does nothing.
    pub fn open(&self) {
        #[cfg(target_arch = "wasm32")]
        self.browser.open();
    }

    /// The live connection's handle, for what the signals do not show (queue contents,
    /// [`take_queued`](ReconnectingHandle::take_queued), the current socket). `None` without
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

#[cfg(target_arch = "wasm32")]
mod browser {
    //! The browser side: the connection in thread-local arena storage, opened from an effect.

    use std::collections::VecDeque;

    use ::leptos::prelude::{
        on_cleanup, Effect, GetUntracked, LocalStorage, RwSignal, Signal, StoredValue, Track,
        Update, UpdateValue, WithValue,
    };
    use ::leptos::reactive::traits::Set;

    use super::UseWebSocketOptions;
    use crate::{ConnectionState, Disconnect, Error, Message, ReconnectingHandle};
    use crate::{ReconnectingWebSocket, SubscriptionGuard};

    /// The signals the connection's handlers write, and how messages decode.
    pub(super) struct Writers<In: Send + Sync + 'static> {
        pub(super) ready_state: RwSignal<ConnectionState>,
        pub(super) message: RwSignal<Option<In>>,
        pub(super) history: RwSignal<VecDeque<In>>,
        pub(super) close_event: RwSignal<Option<crate::CloseEvent>>,
        pub(super) error: RwSignal<Option<Error>>,
        pub(super) decode: fn(Message) -> Result<In, Error>,
    }

    impl<In: Send + Sync + 'static> Clone for Writers<In> {
        fn clone(&self) -> Self {
            *self
        }
    }

    impl<In: Send + Sync + 'static> Copy for Writers<In> {}

    /// A live connection: the handlers' guards (dropped first) and the handle.
    struct Connection {
        _subscriptions: [SubscriptionGuard; 2],
        handle: ReconnectingHandle,
    }

    impl Connection {
        /// Unregisters the handlers (the signals may be gone), then closes with 1000.
        fn shut_down(self) {
            let Connection {
                _subscriptions,
                handle,
            } = self;
            drop(_subscriptions);
            let _ = handle.close();
        }
    }

    struct Slot {
        url: Signal<String>,
        options: UseWebSocketOptions,
        /// Connect at mount, not done yet: the mount effect, or a `send` before it, does it.
        pending: bool,
        connection: Option<Connection>,
    }

    pub(super) struct Hook<In: Send + Sync + 'static> {
        slot: StoredValue<Slot, LocalStorage>,
        writers: Writers<In>,
    }

    impl<In: Send + Sync + 'static> Clone for Hook<In> {
        fn clone(&self) -> Self {
            *self
        }
    }

    impl<In: Send + Sync + 'static> Copy for Hook<In> {}

    impl<In: Clone + Send + Sync + 'static> Hook<In> {
        pub(super) fn new(
            url: Signal<String>,
            options: UseWebSocketOptions,
            writers: Writers<In>,
        ) -> Self {
            let immediate = options.immediate;
            let slot = StoredValue::new_local(Slot {
                url,
                options,
                pending: immediate,
                connection: None,
            });
            let hook = Hook { slot, writers };
            // Effects run only in the browser (features csr/hydrate), after mount: the server
            // never gets here.
            Effect::new(move |first_run: Option<()>| {
                url.track();
                let wanted = match first_run {
                    None => hook.slot.try_with_value(|slot| slot.pending) == Some(true),
                    // The URL changed: move a live connection to it.
                    Some(()) => hook.is_live(),
                };
                if wanted {
                    hook.open();
                }
            });
            on_cleanup(move || {
                if let Some(Some(connection)) = slot.try_update_value(|slot| slot.connection.take())
                {
                    connection.shut_down();
                }
            });
            hook
        }
    }

    impl<In: Send + Sync + 'static> Hook<In> {
        pub(super) fn handle(&self) -> Option<ReconnectingHandle> {
            self.slot
                .try_with_value(|slot| {
                    slot.connection
                        .as_ref()
                        .map(|connection| connection.handle.clone())
                })
                .flatten()
        }

        pub(super) fn cancel_pending(&self) {
            self.slot.try_update_value(|slot| slot.pending = false);
        }

        fn is_live(&self) -> bool {
            self.handle().is_some_and(|handle| {
                !matches!(
                    handle.state(),
                    ConnectionState::Closing | ConnectionState::Closed(_)
                )
            })
        }
    }

    impl<In: Clone + Send + Sync + 'static> Hook<In> {
        /// The connection's handle; connects first if the connection at mount is still to
        /// come (a `send` from the component body, before the mount effect ran).
        pub(super) fn handle_connecting(&self) -> Option<ReconnectingHandle> {
            if self.handle().is_none()
                && self.slot.try_with_value(|slot| slot.pending) == Some(true)
            {
                self.open();
            }
            self.handle()
        }

        pub(super) fn open(&self) {
            self.cancel_pending();
            let Some((url, options)) = self
                .slot
                .try_with_value(|slot| (slot.url.try_get_untracked(), slot.options.clone()))
            else {
                return;
            };
            let Some(url) = url else { return };
            if let Some(Some(old)) = self.slot.try_update_value(|slot| slot.connection.take()) {
                old.shut_down();
            }
            let connection = connect(&url, &options, self.writers);
            if let Some(connection) = connection {
                if let Some(connection) = self
                    .slot
                    .try_update_value(|slot| slot.connection.replace(connection))
                    .flatten()
                {
                    connection.shut_down();
                }
            }
        }
    }

    /// Opens the connection and wires its state and messages to the signals.
    fn connect<In: Clone + Send + Sync + 'static>(
        url: &str,
        options: &UseWebSocketOptions,
        writers: Writers<In>,
    ) -> Option<Connection> {
        writers.error.try_set(None);
        let socket = match ReconnectingWebSocket::open(url, options.reconnect.clone()) {
            Ok(socket) => socket,
            Err(error) => {
                let event = crate::CloseEvent {
                    code: crate::CloseCode::ABNORMAL,
                    reason: String::new(),
                    was_clean: false,
                };
                writers
                    .ready_state
                    .try_set(ConnectionState::Closed(event.clone()));
                writers.error.try_set(Some(error));
                return None;
            }
        };
        // Only the handle is kept: nobody reads the stream, so it buffers nothing.
        let handle = socket.handle();
        drop(socket);
        let on_state = handle.on_state(move |state| {
            match state {
                ConnectionState::Reconnecting {
                    cause: Disconnect::Closed(event),
                    ..
                }
                | ConnectionState::Closed(event) => {
                    writers.close_event.try_set(Some(event.clone()));
                }
                _ => {}
            }
            writers.ready_state.try_set(state.clone());
        });
        writers.ready_state.try_set(handle.state());
        let limit = options.history;
        let close_on_decode_error = options.close_on_decode_error.clone();
        let weak = handle.downgrade();
        let on_message = handle.on_message(move |message| match (writers.decode)(message) {
            Ok(value) => {
                if limit > 0 {
                    writers.history.try_update(|history| {
                        history.push_back(value.clone());
                        while history.len() > limit {
                            history.pop_front();
                        }
                    });
                }
                writers.message.try_set(Some(value));
            }
            Err(error) => {
                writers.error.try_set(Some(error));
                if let (Some((code, reason)), Some(handle)) =
                    (&close_on_decode_error, weak.upgrade())
                {
                    if let Err(error) = handle.close_with(*code, reason) {
                        writers.error.try_set(Some(error));
                    }
                }
            }
        });
        Some(Connection {
            _subscriptions: [on_state, on_message],
            handle,
        })
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use ::leptos::prelude::{GetUntracked, Owner};

    /// What an SSR build does: the hook gives signals in their initial state, makes no
    /// browser call (it would panic natively), and sending reports that there is no
    /// connection.
    #[test]
    fn on_the_server_the_hook_only_makes_signals() {
        let owner = Owner::new();
        owner.with(|| {
            let ws = use_websocket("ws://127.0.0.1:9/none", UseWebSocketOptions::new());
            assert_eq!(
                ws.ready_state.get_untracked(),
                ConnectionState::Connecting { attempt: 0 }
            );
            assert_eq!(ws.message.get_untracked(), None);
            assert!(ws.history.get_untracked().is_empty());
            assert_eq!(ws.error.get_untracked(), None);
            assert_eq!(ws.send("x"), Err(Error::NotOpen(State::Closed)));
            assert_eq!(ws.close(), Ok(()));
            ws.open();
            assert!(ws.handle().is_none());
            let later = use_websocket("not a url", UseWebSocketOptions::new().immediate(false));
            assert!(later.ready_state.get_untracked().is_closed());
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
