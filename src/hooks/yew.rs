//! Yew hooks (feature `yew`): [`use_websocket`], and with the `serde` feature
//! [`use_websocket_json`], built on [`ReconnectingWebSocket`](crate::ReconnectingWebSocket).
//! The same API as [`crate::leptos`] (options, method names, errors), as a Yew handle.
//!
//! A component calls the hook once per render with the URL and [`UseWebSocketOptions`]; the
//! hook connects after the first render, reconnects as the options say, re-renders the
//! component on every state change and message, and returns a [`UseWebSocket`]: the state,
//! the latest message, an opt-in bounded history, the received count, the latest close event
//! and the last error of that render, plus [`send`](UseWebSocket::send),
//! [`close`](UseWebSocket::close) and [`open`](UseWebSocket::open), which act on the live
//! connection.
//!
//! - **No stale state.** Every render gets a fresh snapshot; the handlers that update it are
//!   registered with guards owned by the hook and dropped when the component unmounts or the
//!   URL changes, so no closure is leaked per connect and none outlives the component.
//! - **`send` says what happened:** [`Delivery::Sent`], [`Delivery::Queued`] (sent first on
//!   the next open), or an [`Error`] (queue full, closed). Queued messages are discarded when
//!   the component unmounts or the URL changes, and a `Sent` message on a connection that
//!   died silently is lost: only a [`Heartbeat`](crate::Heartbeat) notices such a connection.
//! - **Backoff, not a fixed interval**, from [`ReconnectOptions`](crate::ReconnectOptions);
//!   turn reconnecting off with `Backoff::new().max_retries(Some(0))`.
//! - **`close()` is final:** it cancels a pending reconnect. `open()` starts a new connection
//!   after a close, at once, even while the old one is still closing.
//! - **Closes on unmount.** The connection is closed for good when the component unmounts;
//!   a handle kept past that can neither send nor reconnect.
//! - **A new URL moves the connection.** When the URL changes, the connection is closed for
//!   good and, if it was live (connecting, open or reconnecting), or with
//!   [`connect_on_mount`](UseWebSocketOptions::connect_on_mount) (the default), one to the
//!   new URL starts. Otherwise nothing connects until [`open`](UseWebSocket::open), and the
//!   state is `None` again.
//! - **No panics.** A URL the browser refuses leaves the state at `None` and the error in
//!   [`error`](UseWebSocket::error).
//!
//! - **Every message, not only the latest:** [`UseWebSocketOptions::on_message`] is called
//!   with each message (decoded, with [`use_websocket_json`]) in arrival order, however many
//!   arrive between two renders.
//! - **One connection for several components:** hooks given the same
//!   [`UseWebSocketOptions::shared`] key use one connection, opened by the first to mount and
//!   closed (1000) when the last unmounts; each has its own snapshot and gets every message.
//!
//! The handle holds `Rc`s: it is neither `Send` nor `Sync`, like everything in a Yew
//! component. Besides a shared key, one connection can be shared by calling the hook in a
//! parent and passing the handle down in a `ContextProvider<UseWebSocket>` (the handle is
//! `Clone` and `PartialEq`: a new snapshot compares unequal, so consumers re-render) or as a
//! prop.
//!
//! ```compile_fail
//! fn is_send<T: Send>() {}
//! is_send::<browser_ws::yew::UseWebSocket>();
//! ```

mod driver;

use std::fmt;
use std::marker::PhantomData;
use std::rc::{Rc, Weak};

use ::yew::functional::{hook, use_effect_with, use_force_update, use_ref};

use self::driver::{Driver, Snapshot};
pub use crate::hooks::UseWebSocketOptions;
use crate::hooks::{raw, Decode};
use crate::{
    CloseCode, CloseEvent, ConnectionState, Delivery, Error, Message, ReconnectingHandle, State,
};

/// What [`use_websocket`] and [`use_websocket_json`] return: the snapshot of the connection
/// for this render, and the actions on the live connection.
///
/// `In` is the type of received messages ([`Message`], or the decoded type with
/// [`use_websocket_json`]), `Out` what [`send_json`](Self::send_json) encodes. Cloning is
/// cheap; two handles are equal when they show the same snapshot of the same hook. Not
/// `Send`: keep it in the component, a context or props.
pub struct UseWebSocket<In = Message, Out = Message> {
    snapshot: Rc<Snapshot<In>>,
    driver: Rc<Driver<In>>,
    _out: PhantomData<fn(&Out)>,
}

impl<In, Out> Clone for UseWebSocket<In, Out> {
    fn clone(&self) -> Self {
        UseWebSocket {
            snapshot: Rc::clone(&self.snapshot),
            driver: Rc::clone(&self.driver),
            _out: PhantomData,
        }
    }
}

impl<In, Out> PartialEq for UseWebSocket<In, Out> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.snapshot, &other.snapshot) && Rc::ptr_eq(&self.driver, &other.driver)
    }
}

impl<In: fmt::Debug, Out> fmt::Debug for UseWebSocket<In, Out> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UseWebSocket")
            .field("state", &self.snapshot.state)
            .field("message", &self.snapshot.inbox.latest())
            .field("history", &self.snapshot.inbox.history().len())
            .field("received", &self.snapshot.inbox.received())
            .field("close_event", &self.snapshot.close_event)
            .field("error", &self.snapshot.error)
            .finish()
    }
}

impl<In: 'static, Out> UseWebSocket<In, Out> {
    /// The connection's state at this render: `None` when there is no connection: before
    /// the first one starts (the render before mount effects run, `connect_on_mount(false)`
    /// before [`open`](Self::open)), when it could not start (see [`error`](Self::error)),
    /// and with `connect_on_mount(false)` after a URL change that found no live connection
    /// to move.
    #[must_use]
    pub fn state(&self) -> Option<&ConnectionState> {
        self.snapshot.state.as_ref()
    }

    /// Whether the connection is open at this render.
    #[must_use]
    pub fn is_open(&self) -> bool {
        self.state().is_some_and(ConnectionState::is_open)
    }

    /// The latest message received (decoded, with [`use_websocket_json`]) on this
    /// connection.
    #[must_use]
    pub fn message(&self) -> Option<&In> {
        self.snapshot.inbox.latest().map(|message| &**message)
    }

    /// The last received messages, oldest first, at most as many as
    /// [`UseWebSocketOptions::history`] says (none by default).
    pub fn history(&self) -> impl DoubleEndedIterator<Item = &In> + ExactSizeIterator {
        self.snapshot
            .inbox
            .history()
            .iter()
            .map(|message| &**message)
    }

    /// How many messages this connection has received, undecodable ones included.
    #[must_use]
    pub fn received(&self) -> u64 {
        self.snapshot.inbox.received()
    }

    /// The latest close event `{ code, reason, was_clean }` of this connection: each ending
    /// the browser reports sets it, whether a reconnect follows or not (the final one is also
    /// in the `Closed` [`state`](Self::state)). A new connection clears it.
    #[must_use]
    pub fn close_event(&self) -> Option<&CloseEvent> {
        self.snapshot.close_event.as_ref()
    }

    /// The latest error not returned by a call: a connection that could not start (the URL
    /// refused, [`Error::InvalidUrl`] and friends, or an invalid
    /// [`close_on_decode_error`](UseWebSocketOptions::close_on_decode_error)), or a message
    /// that did not decode ([`Error::Decode`]). A new connection clears it.
    #[must_use]
    pub fn error(&self) -> Option<&Error> {
        self.snapshot.error.as_ref()
    }

    /// The live connection's handle, for what the snapshot does not show (the send queue,
    /// [`take_queued`](ReconnectingHandle::take_queued), the current socket); `None` without
    /// a connection. Keep it no longer than the component: a handle keeps the connection
    /// alive.
    #[must_use]
    pub fn handle(&self) -> Option<ReconnectingHandle> {
        self.driver.handle()
    }

    /// Sends `message` on the live connection now, or queues it until the next open, and
    /// says which ([MDN: `send()`](https://developer.mozilla.org/docs/Web/API/WebSocket/send)).
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
        match self.driver.handle() {
            Some(handle) => handle.close_with(code, reason),
            None => Ok(()),
        }
    }

    /// Starts a new connection to the hook's URL if there is none or the last one is closing
    /// or closed for good (after [`close`](Self::close), at once, without waiting for the
    /// closing handshake; or when the retries ran out); does nothing while one is
    /// connecting, open or reconnecting. The history, the latest message, the count, the
    /// close event and the error start afresh.
    ///
    /// # Errors
    /// What stopped the connection from starting, also shown in [`error`](Self::error): the
    /// URL's refusal ([`Error::InvalidUrl`] and friends) or an invalid
    /// [`close_on_decode_error`](UseWebSocketOptions::close_on_decode_error) pair;
    /// [`Error::NotOpen`] after the component unmounted: a component that is gone never
    /// connects again.
    pub fn open(&self) -> Result<(), Error> {
        self.driver.open()
    }
}

#[cfg(feature = "serde")]
impl<In: 'static, Out: serde::Serialize> UseWebSocket<In, Out> {
    /// Sends `value` as JSON in a text frame (or queues it until the next open), like
    /// [`send`](Self::send).
    ///
    /// # Errors
    /// [`Error::Encode`] if `value` has no JSON form; otherwise as [`send`](Self::send).
    pub fn send_json(&self, value: &Out) -> Result<Delivery, Error> {
        self.send(Message::json(value)?)
    }
}

/// The shared hook: a driver per component instance, connected by an effect keyed on the URL.
#[hook]
fn use_websocket_with<In: 'static, Out: 'static>(
    url: &str,
    options: UseWebSocketOptions<In>,
    decode: Decode<Rc<In>>,
) -> UseWebSocket<In, Out> {
    let rerender = use_force_update();
    let driver = use_ref(move || Driver::new(decode, rerender));
    *driver.options.borrow_mut() = options;
    {
        let driver = Rc::clone(&driver);
        use_effect_with(url.to_owned(), move |url| {
            driver.start(url);
            let weak: Weak<Driver<In>> = Rc::downgrade(&driver);
            move || {
                if let Some(driver) = weak.upgrade() {
                    driver.stop();
                }
            }
        });
    }
    let snapshot = Rc::clone(&driver.snapshot.borrow());
    UseWebSocket {
        snapshot,
        driver,
        _out: PhantomData,
    }
}

/// A WebSocket for a Yew function component: connects to `url` (resolved like
/// [`WebSocket::open`](crate::WebSocket::open): relative URLs and `http(s):` work) after the
/// first render, reconnects as `options` say, re-renders on every state change and message,
/// and closes for good when the component unmounts or `url` changes (then connects to the
/// new URL, unless `connect_on_mount(false)` and the connection was not live: see the
/// [module docs](self)). Never panics: what stops a connection from starting is in
/// [`UseWebSocket::error`].
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
pub fn use_websocket(url: &str, options: UseWebSocketOptions<Message>) -> UseWebSocket {
    use_websocket_with(url, options, raw::<Rc<Message>>)
}

/// [`use_websocket`] speaking JSON (features `yew` and `serde`): every received message is
/// decoded from JSON into `In` ([`message`](UseWebSocket::message) and
/// [`history`](UseWebSocket::history) hold decoded values) and
/// [`send_json`](UseWebSocket::send_json) sends an `Out` as a JSON text frame. A message that
/// does not decode is reported as [`Error::Decode`] in [`error`](UseWebSocket::error),
/// counted in [`received`](UseWebSocket::received) and otherwise skipped; the connection goes
/// on unless [`UseWebSocketOptions::close_on_decode_error`] says otherwise.
///
/// ```no_run
/// use browser_ws::yew::{use_websocket_json, UseWebSocket, UseWebSocketOptions};
/// use browser_ws::CloseCode;
/// use serde::{Deserialize, Serialize};
/// use yew::prelude::*;
///
/// #[derive(Serialize)]
/// struct Subscribe { topic: String }
/// #[derive(Deserialize)]
/// struct Tick { price: f64 }
///
/// #[component]
/// fn Price() -> Html {
///     let options = UseWebSocketOptions::new().close_on_decode_error(CloseCode::NORMAL, "bad tick");
///     let ws: UseWebSocket<Tick, Subscribe> = use_websocket_json("/prices", options);
///     let onclick = {
///         let ws = ws.clone();
///         Callback::from(move |_: MouseEvent| {
///             let _ = ws.send_json(&Subscribe { topic: "EURUSD".into() });
///         })
///     };
///     html! {
///         <p onclick={onclick}>{ ws.message().map(|tick| tick.price.to_string()) }</p>
///     }
/// }
/// ```
#[cfg(feature = "serde")]
#[hook]
pub fn use_websocket_json<In, Out>(
    url: &str,
    options: UseWebSocketOptions<In>,
) -> UseWebSocket<In, Out>
where
    In: serde::de::DeserializeOwned + 'static,
    Out: serde::Serialize + 'static,
{
    use_websocket_with(url, options, crate::hooks::json::<In, Rc<In>>)
}
