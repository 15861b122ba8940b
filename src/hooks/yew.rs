//! Yew hooks (feature `yew`): [`use_websocket`], and with the `serde` feature
//! [`use_websocket_json`], built on [`ReconnectingWebSocket`].
//!
//! A component calls the hook once per render with the URL and [`UseWebSocketOptions`]; the
//! hook connects after the first render, reconnects as the options say, re-renders the
//! component on every state change and message, and returns a [`UseWebSocketHandle`]: the
//! state, the latest message, an opt-in bounded history, the final close event and the last
//! error of that render, plus [`send`](UseWebSocketHandle::send),
//! [`close`](UseWebSocketHandle::close) and [`open`](UseWebSocketHandle::open), which act on
//! the live connection.
//!
//! - **No stale state.** Every render gets a fresh snapshot; the handlers that update it are
//!   registered with guards owned by the hook and dropped when the component unmounts or the
//!   URL changes, so no closure is leaked per connect and none outlives the component.
//! - **`send` says what happened:** [`Delivery::Sent`], [`Delivery::Queued`] (sent first on
//!   the next open), or an [`Error`] (queue full, closed). Queued messages are discarded when
//!   the component unmounts or the URL changes, and a `Sent` message on a connection that
//!   died silently is lost: only a [`Heartbeat`](crate::Heartbeat) notices such a connection.
//! - **Backoff, not a fixed interval**, from [`ReconnectOptions`]; turn reconnecting off with
//!   `Backoff::new().max_retries(Some(0))`.
//! - **`close()` is final:** it cancels a pending reconnect. `open()` starts a new connection
//!   after a close, at once, even while the old one is still closing.
//! - **Closes on unmount.** The connection is closed for good when the component unmounts;
//!   a handle kept past that can neither send nor reconnect.
//! - **A new URL moves the connection.** When the URL changes, the connection is closed for
//!   good and, if it was live (connecting, open or reconnecting), or with
//!   [`connect_on_mount`](UseWebSocketOptions::connect_on_mount) (the default), one to the
//!   new URL starts. Otherwise (with `connect_on_mount(false)`, when there was no
//!   connection or it was closing or closed) nothing connects until
//!   [`open`](UseWebSocketHandle::open), and the state is `None` again.
//! - **No panics.** A URL the browser refuses leaves the state at `None` and the error in
//!   [`error`](UseWebSocketHandle::error).
//!
//! The handle holds `Rc`s: it is neither `Send` nor `Sync`, like everything in a Yew
//! component. To share one connection among components, call the hook in a parent and pass
//! the handle down in a `ContextProvider<UseWebSocketHandle>` (the handle is `Clone` and
//! `PartialEq`: a new snapshot compares unequal, so consumers re-render) or as a prop.
//!
//! ```compile_fail
//! fn is_send<T: Send>() {}
//! is_send::<browser_ws::yew::UseWebSocketHandle>();
//! ```

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::fmt;
use std::rc::{Rc, Weak};

use ::yew::functional::{hook, use_effect_with, use_force_update, use_ref, UseForceUpdateHandle};

use crate::{
    CloseCode, CloseEvent, ConnectionState, Delivery, Error, Message, ReconnectOptions,
    ReconnectingHandle, ReconnectingWebSocket, State, SubscriptionGuard,
};

/// How [`use_websocket`] connects: the [`ReconnectOptions`] of the core (backoff, connect
/// timeout, reconnect predicate, send queue bounds, heartbeat, subprotocols, binary type),
/// how many messages to keep in the history, whether to connect on mount, and what a
/// decode failure does (with [`use_websocket_json`]).
///
/// The options are read on every render but used when a connection starts (on mount, on a
/// URL change and on [`open`](UseWebSocketHandle::open)); the history bound applies from the
/// next message.
///
/// ```
/// use std::time::Duration;
/// use browser_ws::{Backoff, QueueLimits, ReconnectOptions};
/// use browser_ws::yew::UseWebSocketOptions;
///
/// let options = UseWebSocketOptions::new()
///     .history(50)
///     .reconnect(
///         ReconnectOptions::new()
///             .backoff(Backoff::new().initial_delay(Duration::from_millis(250)))
///             .queue_limits(QueueLimits::new(100, 64 * 1024)),
///     );
/// assert_eq!(options.get_history(), 50);
/// // No reconnecting at all:
/// let once = UseWebSocketOptions::new()
///     .reconnect(ReconnectOptions::new().backoff(Backoff::new().max_retries(Some(0))));
/// # let _ = once;
/// ```
#[derive(Clone, Debug)]
pub struct UseWebSocketOptions {
    reconnect: ReconnectOptions,
    history: usize,
    connect_on_mount: bool,
    close_on_decode_error: bool,
}

impl Default for UseWebSocketOptions {
    fn default() -> Self {
        UseWebSocketOptions {
            reconnect: ReconnectOptions::default(),
            history: 0,
            connect_on_mount: true,
            close_on_decode_error: false,
        }
    }
}

impl UseWebSocketOptions {
    /// The defaults: [`ReconnectOptions::default`], no history, connect on mount, decode
    /// failures reported but not closing the connection.
    #[must_use]
    pub fn new() -> Self {
        UseWebSocketOptions::default()
    }

    /// Reconnect, queue, heartbeat and socket options of the core.
    #[must_use]
    pub fn reconnect(mut self, options: ReconnectOptions) -> Self {
        self.reconnect = options;
        self
    }

    /// Keeps the last `messages` received messages in
    /// [`history`](UseWebSocketHandle::history) (0, the default: none). Each render's
    /// snapshot owns its history, so a message arriving after a render copies it once
    /// (pointers, not payloads): keep the bound modest.
    #[must_use]
    pub fn history(mut self, messages: usize) -> Self {
        self.history = messages;
        self
    }

    /// Whether to connect when the component mounts (default `true`), and when the URL
    /// changes. With `false` the connection starts on the first
    /// [`open`](UseWebSocketHandle::open), and a URL change moves a live connection
    /// (connecting, open or reconnecting) to the new URL but connects nothing otherwise.
    #[must_use]
    pub fn connect_on_mount(mut self, connect: bool) -> Self {
        self.connect_on_mount = connect;
        self
    }

    /// With [`use_websocket_json`]: whether a message that does not decode closes the
    /// connection for good (with 1000 and the reason "undecodable message"). Default `false`:
    /// the failure is reported in [`error`](UseWebSocketHandle::error) and the connection
    /// goes on.
    #[must_use]
    pub fn close_on_decode_error(mut self, close: bool) -> Self {
        self.close_on_decode_error = close;
        self
    }

    /// The history bound.
    #[must_use]
    pub fn get_history(&self) -> usize {
        self.history
    }
}

/// What the component sees: one immutable snapshot per change.
struct Snapshot<T> {
    state: Option<ConnectionState>,
    latest: Option<Rc<T>>,
    history: VecDeque<Rc<T>>,
    received: u64,
    closed: Option<CloseEvent>,
    error: Option<Error>,
}

impl<T> Clone for Snapshot<T> {
    fn clone(&self) -> Self {
        Snapshot {
            state: self.state.clone(),
            latest: self.latest.clone(),
            history: self.history.clone(),
            received: self.received,
            closed: self.closed.clone(),
            error: self.error.clone(),
        }
    }
}

impl<T> Default for Snapshot<T> {
    fn default() -> Self {
        Snapshot {
            state: None,
            latest: None,
            history: VecDeque::new(),
            received: 0,
            closed: None,
            error: None,
        }
    }
}

type Decode<T> = fn(&Message) -> Result<T, Error>;

/// The live connection and the guards of the handlers that update the snapshot.
struct Live {
    socket: ReconnectingWebSocket,
    _guards: [SubscriptionGuard; 2],
}

/// Owned by the hook (one per component instance): the connection and the current snapshot.
struct Driver<T> {
    url: RefCell<String>,
    options: RefCell<UseWebSocketOptions>,
    decode: Decode<T>,
    live: RefCell<Option<Live>>,
    snapshot: RefCell<Rc<Snapshot<T>>>,
    rerender: UseForceUpdateHandle,
    /// Between the effect's set-up and its teardown.
    mounted: Cell<bool>,
    /// Whether the teardown's dropped connection was live; `None` until a teardown.
    moved: Cell<Option<bool>>,
}

impl<T: 'static> Driver<T> {
    fn update(&self, change: impl FnOnce(&mut Snapshot<T>)) {
        {
            let mut snapshot = self.snapshot.borrow_mut();
            change(Rc::make_mut(&mut snapshot));
        }
        self.rerender.force_update();
    }

    fn handle(&self) -> Option<ReconnectingHandle> {
        self.live.borrow().as_ref().map(|live| live.socket.handle())
    }

    /// Starts a new connection to the current URL, replacing (and closing) any previous one.
    fn connect(self: &Rc<Self>) -> Result<(), Error> {
        self.disconnect();
        let url = self.url.borrow().clone();
        let options = self.options.borrow().reconnect.clone();
        match ReconnectingWebSocket::open(&url, options) {
            Ok(socket) => {
                let weak = Rc::downgrade(self);
                let on_state = socket.on_state(move |state| {
                    if let Some(driver) = weak.upgrade() {
                        driver.update(|snapshot| {
                            if let ConnectionState::Closed(event) = state {
                                snapshot.closed = Some(event.clone());
                            }
                            snapshot.state = Some(state.clone());
                        });
                    }
                });
                let weak = Rc::downgrade(self);
                let on_message = socket.on_message(move |message| {
                    if let Some(driver) = weak.upgrade() {
                        driver.receive(&message);
                    }
                });
                let state = socket.state();
                self.update(|snapshot| {
                    *snapshot = Snapshot {
                        state: Some(state),
                        ..Snapshot::default()
                    };
                });
                *self.live.borrow_mut() = Some(Live {
                    socket,
                    _guards: [on_state, on_message],
                });
                Ok(())
            }
            Err(error) => {
                self.update(|snapshot| {
                    *snapshot = Snapshot {
                        error: Some(error.clone()),
                        ..Snapshot::default()
                    };
                });
                Err(error)
            }
        }
    }

    fn receive(&self, message: &Message) {
        match (self.decode)(message) {
            Ok(value) => {
                let bound = self.options.borrow().history;
                let value = Rc::new(value);
                self.update(|snapshot| {
                    snapshot.received += 1;
                    if bound > 0 {
                        snapshot.history.push_back(Rc::clone(&value));
                    }
                    while snapshot.history.len() > bound {
                        snapshot.history.pop_front();
                    }
                    snapshot.latest = Some(value);
                });
            }
            Err(error) => {
                self.update(|snapshot| {
                    snapshot.received += 1;
                    snapshot.error = Some(error);
                });
                if self.options.borrow().close_on_decode_error {
                    if let Some(handle) = self.handle() {
                        // Closing with 1000 and a short reason cannot be refused.
                        let _ = handle.close_with(CloseCode::NORMAL, "undecodable message");
                    }
                }
            }
        }
    }

    /// Closes the connection for good without reporting it (the component is going away or
    /// moving to another URL): the handlers are removed first.
    fn disconnect(&self) {
        let live = self.live.borrow_mut().take();
        if let Some(Live {
            socket,
            _guards: guards,
        }) = live
        {
            drop(guards);
            // Final: cancels any pending retry. Dropping the socket would close it too.
            let _ = socket.close();
            drop(socket);
        }
    }

    /// Whether the connection is connecting, open or reconnecting (not closing or closed).
    fn is_live(&self) -> bool {
        self.live.borrow().as_ref().is_some_and(|live| {
            matches!(
                live.socket.state(),
                ConnectionState::Connecting { .. }
                    | ConnectionState::Open
                    | ConnectionState::Reconnecting { .. }
            )
        })
    }

    fn open(self: &Rc<Self>) -> Result<(), Error> {
        if !self.mounted.get() {
            return Err(Error::NotOpen(State::Closed));
        }
        if self.is_live() {
            return Ok(());
        }
        self.connect()
    }

    /// Effect set-up: connects on mount or to carry a live connection over, else shows none.
    fn start(self: &Rc<Self>, url: &str) {
        *self.url.borrow_mut() = url.to_owned();
        self.mounted.set(true);
        let moved = self.moved.take();
        if self.options.borrow().connect_on_mount || moved == Some(true) {
            // A refused URL is in the snapshot's error.
            let _ = self.connect();
        } else if moved.is_some() {
            // The teardown dropped a connection that was closing, closed or absent without
            // reporting it: what the snapshot said of it is no longer true.
            self.update(|snapshot| *snapshot = Snapshot::default());
        }
    }

    /// Effect teardown (unmount, URL change): drops the connection, noting if it was live.
    fn stop(&self) {
        self.mounted.set(false);
        self.moved.set(Some(self.is_live()));
        self.disconnect();
    }
}

/// What [`use_websocket`] returns: the snapshot of the connection for this render, and the
/// actions on the live connection.
///
/// `T` is the type of received messages: [`Message`], or the decoded type with
/// [`use_websocket_json`]. Cloning is cheap; two handles are equal when they show the same
/// snapshot of the same hook. Not `Send`: keep it in the component, a context or props.
pub struct UseWebSocketHandle<T = Message> {
    snapshot: Rc<Snapshot<T>>,
    driver: Rc<Driver<T>>,
}

impl<T> Clone for UseWebSocketHandle<T> {
    fn clone(&self) -> Self {
        UseWebSocketHandle {
            snapshot: Rc::clone(&self.snapshot),
            driver: Rc::clone(&self.driver),
        }
    }
}

impl<T> PartialEq for UseWebSocketHandle<T> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.snapshot, &other.snapshot) && Rc::ptr_eq(&self.driver, &other.driver)
    }
}

impl<T: fmt::Debug> fmt::Debug for UseWebSocketHandle<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UseWebSocketHandle")
            .field("state", &self.snapshot.state)
            .field("message", &self.snapshot.latest)
            .field("history", &self.snapshot.history.len())
            .field("received", &self.snapshot.received)
            .field("closed", &self.snapshot.closed)
            .field("error", &self.snapshot.error)
            .finish()
    }
}

impl<T: 'static> UseWebSocketHandle<T> {
    /// The connection's state at this render: `None` when there is no connection: before
    /// the first one starts (the render before mount effects run, `connect_on_mount(false)`
    /// before [`open`](Self::open)), when the URL was refused (see [`error`](Self::error)),
    /// and with `connect_on_mount(false)` after a URL change that found no live connection
    /// to move.
    #[must_use]
    pub fn state(&self) -> Option<&ConnectionState> {
        self.snapshot.state.as_ref()
    }

    /// Whether the connection is open at this render.
    #[must_use]
    pub fn is_open(&self) -> bool {
        self.snapshot
            .state
            .as_ref()
            .is_some_and(ConnectionState::is_open)
    }

    /// The latest message received (decoded, with [`use_websocket_json`]) on this
    /// connection.
    #[must_use]
    pub fn message(&self) -> Option<&T> {
        self.snapshot.latest.as_deref()
    }

    /// The last received messages, oldest first, at most as many as
    /// [`UseWebSocketOptions::history`] says (none by default).
    pub fn history(&self) -> impl DoubleEndedIterator<Item = &T> + ExactSizeIterator {
        self.snapshot.history.iter().map(|message| &**message)
    }

    /// How many messages this connection has received, undecodable ones included.
    #[must_use]
    pub fn received(&self) -> u64 {
        self.snapshot.received
    }

    /// The final close event `{ code, reason, was_clean }`, once the connection is closed
    /// for good.
    #[must_use]
    pub fn closed(&self) -> Option<&CloseEvent> {
        self.snapshot.closed.as_ref()
    }

    /// The latest error not returned by a call: the URL refused when connecting
    /// ([`Error::InvalidUrl`] and friends), or a message that did not decode
    /// ([`Error::Decode`]). A new connection clears it.
    #[must_use]
    pub fn error(&self) -> Option<&Error> {
        self.snapshot.error.as_ref()
    }

    /// Sends `message` on the live connection now, or queues it until the next open.
    ///
    /// # Errors
    /// [`Error::QueueFull`] at a queue bound; [`Error::NotOpen`] after
    /// [`close`](Self::close), once closed for good, before the first connection starts,
    /// after a URL change that left no connection (see [`state`](Self::state)), and after
    /// the component unmounted.
    pub fn send(&self, message: impl Into<Message>) -> Result<Delivery, Error> {
        match self.driver.handle() {
            Some(handle) => handle.send(message),
            None => Err(Error::NotOpen(State::Closed)),
        }
    }

    /// Closes the live connection for good with 1000, cancelling any pending reconnect. The
    /// state goes to `Closing`, then `Closed`. Does nothing if there is no connection.
    ///
    /// # Errors
    /// Only if the browser throws unexpectedly ([`Error::Js`]).
    pub fn close(&self) -> Result<(), Error> {
        match self.driver.handle() {
            Some(handle) => handle.close(),
            None => Ok(()),
        }
    }

    /// Like [`close`](Self::close), with a code (1000 or 3000-4999) and a reason.
    ///
    /// # Errors
    /// [`Error::InvalidCloseCode`] or [`Error::ReasonTooLong`], checked before anything
    /// changes.
    pub fn close_with(&self, code: impl Into<CloseCode>, reason: &str) -> Result<(), Error> {
        let code = code.into();
        crate::validate_close(code, reason)?;
        match self.driver.handle() {
            Some(handle) => handle.close_with(code, reason),
            None => Ok(()),
        }
    }

    /// Starts a new connection to the hook's URL if there is none or the last one is closing
    /// or closed for good (after [`close`](Self::close), at once, without waiting for the
    /// closing handshake; or when the retries ran out); does nothing while one is
    /// connecting, open or reconnecting. The history, the latest message, the close event
    /// and the error start afresh.
    ///
    /// # Errors
    /// The URL's refusal ([`Error::InvalidUrl`] and friends, also shown in
    /// [`error`](Self::error)); [`Error::NotOpen`] after the component unmounted: a
    /// component that is gone never connects again.
    pub fn open(&self) -> Result<(), Error> {
        self.driver.open()
    }
}

fn identity(message: &Message) -> Result<Message, Error> {
    Ok(message.clone())
}

/// The shared hook: a driver per component instance, connected by an effect keyed on the URL.
#[hook]
fn use_websocket_with<T: 'static>(
    url: &str,
    options: UseWebSocketOptions,
    decode: Decode<T>,
) -> UseWebSocketHandle<T> {
    let rerender = use_force_update();
    let driver = use_ref(move || Driver {
        url: RefCell::new(String::new()),
        options: RefCell::new(UseWebSocketOptions::default()),
        decode,
        live: RefCell::new(None),
        snapshot: RefCell::new(Rc::new(Snapshot::default())),
        rerender,
        mounted: Cell::new(false),
        moved: Cell::new(None),
    });
    *driver.options.borrow_mut() = options;
    {
        let driver = Rc::clone(&driver);
        use_effect_with(url.to_owned(), move |url| {
            driver.start(url);
            let weak: Weak<Driver<T>> = Rc::downgrade(&driver);
            move || {
                if let Some(driver) = weak.upgrade() {
                    driver.stop();
                }
            }
        });
    }
    let snapshot = Rc::clone(&driver.snapshot.borrow());
    UseWebSocketHandle { snapshot, driver }
}

/// A WebSocket for a Yew function component: connects to `url` (resolved like
/// [`WebSocket::open`](crate::WebSocket::open): relative URLs and `http(s):` work) after the
/// first render, reconnects as `options` say, re-renders on every state change and message,
/// and closes for good when the component unmounts or `url` changes (then connects to the
/// new URL, unless `connect_on_mount(false)` and the connection was not live: see the
/// [module docs](self)).
///
/// ```no_run
/// use browser_ws::yew::{use_websocket, UseWebSocketOptions};
/// use yew::prelude::*;
///
/// #[component]
/// fn Echo() -> Html {
///     let ws = use_websocket("/echo", UseWebSocketOptions::new().history(10));
///     let problem = use_state(String::new);
///     let onclick = {
///         let (ws, problem) = (ws.clone(), problem.clone());
///         Callback::from(move |_: MouseEvent| {
///             // Sent, queued until the next open, or an error.
///             if let Err(error) = ws.send("ping") {
///                 problem.set(error.to_string());
///             }
///         })
///     };
///     html! {
///         <div>
///             <p>{ if ws.is_open() { "open" } else { "not open" } }</p>
///             <button {onclick}>{ "ping" }</button>
///             <p>{ (*problem).clone() }</p>
///             <ul>{ for ws.history().map(|m| html! { <li>{ format!("{m:?}") }</li> }) }</ul>
///         </div>
///     }
/// }
/// ```
#[hook]
pub fn use_websocket(url: &str, options: UseWebSocketOptions) -> UseWebSocketHandle {
    use_websocket_with(url, options, identity)
}

#[cfg(feature = "serde")]
pub use self::json::{use_websocket_json, UseWebSocketJsonHandle};

#[cfg(feature = "serde")]
mod json {
    use std::marker::PhantomData;
    use std::ops::Deref;

    use ::yew::functional::hook;
    use serde::de::DeserializeOwned;
    use serde::Serialize;

    use super::{use_websocket_with, UseWebSocketHandle, UseWebSocketOptions};
    use crate::{Delivery, Error, Message};

    /// What [`use_websocket_json`] returns: a [`UseWebSocketHandle<In>`] (through `Deref`:
    /// state, decoded latest message and history, errors, close, open) whose
    /// [`send`](Self::send) takes an `Out` and sends it as a JSON text frame.
    pub struct UseWebSocketJsonHandle<In, Out> {
        inner: UseWebSocketHandle<In>,
        _out: PhantomData<fn(&Out)>,
    }

    impl<In, Out> Clone for UseWebSocketJsonHandle<In, Out> {
        fn clone(&self) -> Self {
            UseWebSocketJsonHandle {
                inner: self.inner.clone(),
                _out: PhantomData,
            }
        }
    }

    impl<In, Out> PartialEq for UseWebSocketJsonHandle<In, Out> {
        fn eq(&self, other: &Self) -> bool {
            self.inner == other.inner
        }
    }

    impl<In: std::fmt::Debug, Out> std::fmt::Debug for UseWebSocketJsonHandle<In, Out> {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.debug_tuple("UseWebSocketJsonHandle")
                .field(&self.inner)
                .finish()
        }
    }

    impl<In, Out> Deref for UseWebSocketJsonHandle<In, Out> {
        type Target = UseWebSocketHandle<In>;

        fn deref(&self) -> &UseWebSocketHandle<In> {
            &self.inner
        }
    }

    impl<In: 'static, Out: Serialize> UseWebSocketJsonHandle<In, Out> {
        /// Sends `value` as JSON in a text frame (or queues it until the next open).
        ///
        /// # Errors
        /// [`Error::Encode`] if `value` has no JSON form; otherwise as
        /// [`UseWebSocketHandle::send`].
        pub fn send(&self, value: &Out) -> Result<Delivery, Error> {
            self.inner.send(Message::json(value)?)
        }
    }

    fn decode<In: DeserializeOwned>(message: &Message) -> Result<In, Error> {
        message.parse_json()
    }

    /// [`use_websocket`](super::use_websocket) with typed messages: every received message
    /// is decoded from JSON into `In` (a message that does not decode is reported as
    /// [`Error::Decode`] in [`error`](UseWebSocketHandle::error), counted in
    /// [`received`](UseWebSocketHandle::received) and otherwise skipped; the connection goes
    /// on unless [`UseWebSocketOptions::close_on_decode_error`] says otherwise), and
    /// [`send`](UseWebSocketJsonHandle::send) encodes an `Out`.
    #[hook]
    pub fn use_websocket_json<In, Out>(
        url: &str,
        options: UseWebSocketOptions,
    ) -> UseWebSocketJsonHandle<In, Out>
    where
        In: DeserializeOwned + 'static,
        Out: Serialize + 'static,
    {
        UseWebSocketJsonHandle {
            inner: use_websocket_with(url, options, decode::<In>),
            _out: PhantomData,
        }
    }
}
