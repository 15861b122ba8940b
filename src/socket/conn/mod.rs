//! The state one socket's handles share, and the intake and delivery of browser events; under
//! it the typed handlers and their dispatch, the ending and the futures that wait for it, and
//! Blob mode.

pub(crate) mod blob;
pub(crate) mod closed;
pub(crate) mod dispatch;
pub(crate) mod handlers;

use std::cell::{Cell, OnceCell, Ref, RefCell, RefMut};
use std::rc::{Rc, Weak};
use std::task::Waker;

use wasm_bindgen::JsCast;

use crate::socket::backpressure::BufferWatch;
use crate::socket::conn::blob::pipeline::Incoming;
use crate::socket::conn::blob::{blob_without_blob_mode, BlobMode, BlobState};
use crate::socket::conn::closed::Ending;
use crate::socket::conn::dispatch::{ForHandlers, HandlerDelivery};
use crate::socket::conn::handlers::{Handlers, Kind};
use crate::util::diagnostics::LiveToken;
use crate::util::inbox::Inbox;
use crate::util::lazy_box::LazyBox;
use crate::util::listener::listen;
use crate::util::wakers::WakerSet;
use crate::{CloseCode, CloseEvent, Error, JsMessage, State};

/// One socket: the browser object, its listeners (one per event), and the delivery state.
pub(crate) struct Shared {
    pub(crate) raw: web_sys::WebSocket,
    pub(crate) inner: RefCell<Inner>,
    /// Shared with `Closed` futures (which do not keep `Shared` alive); created on first need.
    ending: OnceCell<Rc<Ending>>,
    /// `connect`'s futures, woken on open and close (the Sink waits in `Inner::sink_waker`).
    pub(crate) open_waiters: WakerSet,
    /// The Sink's watermarks and its waits for `bufferedAmount` to go down.
    pub(crate) buffer: BufferWatch,
    /// Installed by `set_binary_type(Blob)` (ARCHITECTURE.md, Size techniques).
    pub(crate) blob_mode: Cell<Option<&'static BlobMode>>,
    /// Installed by the first registration; until then every message goes to the stream.
    pub(crate) handler_delivery: Cell<Option<HandlerDelivery>>,
    /// The largest message taken, in bytes (`usize::MAX`: no limit).
    pub(crate) limit: Cell<usize>,
    _listeners: [gloo_events::EventListener; 4],
    _live: LiveToken,
}

/// The events a socket listens for, each with a clone of one callback ([`Shared::on_event`]).
const SOCKET_EVENTS: [&str; 4] = ["open", "message", "error", "close"];

/// Where the connection is by its delivered events, not the live `readyState` (ARCHITECTURE.md,
/// State machines).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub(crate) enum Phase {
    /// No `open` delivered yet.
    #[default]
    Connecting,
    /// `close()` was called before `open`: the handshake is being aborted.
    Aborting,
    /// `open` was delivered.
    Open,
    /// `close` was delivered, no `open` and no `close()` before it: the connection failed.
    NeverOpened,
    /// `close` was delivered after `close()` aborted the handshake.
    Aborted,
    /// `close` was delivered after `open`.
    Ended,
}

impl Phase {
    /// Whether `open` was delivered (also once closed).
    pub(crate) fn opened(self) -> bool {
        matches!(self, Phase::Open | Phase::Ended)
    }

    /// Whether `close` was delivered: handlers are released, and new ones are not stored.
    pub(crate) fn is_closed(self) -> bool {
        matches!(self, Phase::NeverOpened | Phase::Aborted | Phase::Ended)
    }

    /// `open` is delivered (a synthetic one, dispatched on the raw socket later, changes nothing).
    fn on_open(&mut self) {
        if let Phase::Connecting | Phase::Aborting = self {
            *self = Phase::Open;
        }
    }

    /// `close()` is called (it matters only before the socket opened).
    pub(crate) fn on_local_close(&mut self) {
        if *self == Phase::Connecting {
            *self = Phase::Aborting;
        }
    }

    /// `close` is delivered (a second, synthetic one changes nothing).
    fn on_close(&mut self) {
        *self = match *self {
            Phase::Connecting => Phase::NeverOpened,
            Phase::Aborting => Phase::Aborted,
            Phase::Open => Phase::Ended,
            closed => closed,
        };
    }
}

#[derive(Default)]
pub(crate) struct Inner {
    pub(crate) phase: Phase,
    /// Messages for the `Stream`, in order, still as JS values (copied when polled).
    pub(crate) inbox: Inbox<Result<JsMessage, Error>>,
    /// A late message handler gets the unclaimed backlog next microtask; until then each delivery
    /// hands it over first.
    pub(crate) backlog_handoff: bool,
    /// The sink waiting in `poll_ready` while connecting.
    pub(crate) sink_waker: Option<Waker>,
    /// Blob mode's pipeline and reads, created by its first event.
    pub(crate) blob_state: LazyBox<BlobState>,
    pub(crate) handlers: Handlers,
}

/// The `CloseEvent` of a browser `close` event (1006 if it has no code, or one under 1000).
pub(crate) fn close_event_from(event: &web_sys::Event) -> CloseEvent {
    let code_and_clean = crate::util::glue::close_code_and_clean(event);
    match u16::try_from(code_and_clean >> 1) {
        Ok(code) => CloseEvent {
            code: CloseCode(code),
            reason: crate::util::glue::text(crate::util::glue::close_reason(event)),
            was_clean: code_and_clean & 1 == 1,
        },
        Err(_) => CloseEvent {
            code: CloseCode::ABNORMAL,
            reason: String::new(),
            was_clean: false,
        },
    }
}

impl Shared {
    /// Wraps a new browser socket (in ArrayBuffer mode from `util::native`), listening for its
    /// four events.
    pub(crate) fn new(raw: web_sys::WebSocket) -> Rc<Shared> {
        Rc::new_cyclic(|weak: &Weak<Shared>| {
            let weak = weak.clone();
            let listeners = listen(&raw, SOCKET_EVENTS, move |event: &web_sys::Event| {
                if let Some(shared) = weak.upgrade() {
                    shared.on_event(event);
                }
            });
            Shared {
                raw,
                inner: RefCell::new(Inner::default()),
                ending: OnceCell::new(),
                open_waiters: WakerSet::default(),
                buffer: BufferWatch::default(),
                blob_mode: Cell::new(None),
                handler_delivery: Cell::new(None),
                limit: Cell::new(crate::DEFAULT_MAX_MESSAGE_SIZE),
                _listeners: listeners,
                _live: LiveToken::new(),
            }
        })
    }

    /// Every borrow goes through here or [`inner_mut`](Self::inner_mut), none held while user
    /// code runs (ARCHITECTURE.md, Size techniques).
    pub(crate) fn inner_ref(&self) -> Ref<'_, Inner> {
        self.inner.borrow()
    }

    /// The delivery state, mutably; see [`inner_ref`](Self::inner_ref).
    pub(crate) fn inner_mut(&self) -> RefMut<'_, Inner> {
        self.inner.borrow_mut()
    }

    /// How the connection ended, shared with the `Closed` futures; created on first use.
    pub(crate) fn ending(&self) -> &Rc<Ending> {
        self.ending.get_or_init(Rc::default)
    }

    /// The final close event, once the browser fired it.
    pub(crate) fn close_event(&self) -> Option<CloseEvent> {
        self.ending.get().and_then(|ending| ending.get())
    }

    pub(crate) fn state(&self) -> State {
        State::from_ready_state(self.raw.ready_state())
    }

    /// Delivers an event at once, or in Blob mode behind the Blobs still being read.
    fn intake(self: &Rc<Self>, event: Incoming) {
        match self.blob_mode.get() {
            Some(mode) => (mode.intake)(self, event),
            None => self.deliver(event),
        }
    }

    /// Takes in one browser event, whichever of the four: two JS calls, its data and its kind.
    fn on_event(self: &Rc<Self>, event: &web_sys::Event) {
        use crate::util::glue::{BLOB, BYTES, CLOSE, ERROR, OPEN, SIZE, TEXT, UNKNOWN};
        let mut data = crate::util::glue::message_data(event, self.limit.get() as f64);
        let message = loop {
            break match crate::util::glue::event_kind(event, &data) {
                TEXT => Ok(JsMessage::Text(data.unchecked_into())),
                BYTES => Ok(JsMessage::Binary(data.unchecked_into())),
                SIZE => match self.admit(data.as_f64().unwrap_or_default()) {
                    Ok(()) => {
                        data = crate::util::glue::message_data(event, -1.0);
                        continue;
                    }
                    Err(refused) => Err(refused),
                },
                UNKNOWN => Err(Error::from_js(&data)),
                BLOB => match self.blob_mode.get() {
                    Some(mode) => return (mode.read)(self, data.unchecked_into()),
                    None => Err(blob_without_blob_mode()),
                },
                OPEN => return self.intake(Incoming::Open),
                ERROR => return self.intake(Incoming::Error),
                CLOSE => return self.on_close_event(event),
                // A message after `close()` (Deno), or an event of another type.
                _ => return,
            };
        };
        self.intake(Incoming::Message(message));
    }

    /// Admits a reported size (negative: text) within the limit that wasm memory can copy; else
    /// closes the socket with 4009 and returns the [`Error::MessageTooBig`] taking its place.
    #[inline(never)]
    fn admit(&self, reported: f64) -> Result<(), Error> {
        let size = reported.abs();
        let limit = self.limit.get();
        let needed = if reported < 0.0 {
            size * crate::js_message::STRING_COPY_BYTES_PER_UNIT
        } else {
            size
        };
        let refused = if size > limit as f64 {
            Some(limit)
        } else if crate::js_message::fits_in_wasm_memory(needed) {
            return Ok(());
        } else {
            None
        };
        // Browsers may not send 1009: 4009 stands for it. A closing socket ignores this.
        let _ = self
            .raw
            .close_with_code_and_reason(CloseCode::RECEIVE_LIMIT.0, "message too big");
        Err(Error::MessageTooBig {
            size: size as usize,
            limit: refused.filter(|&limit| limit != usize::MAX),
        })
    }

    fn on_close_event(self: &Rc<Self>, event: &web_sys::Event) {
        let close = close_event_from(event);
        self.buffer.release();
        self.intake(Incoming::Close(close));
    }

    /// Delivers one event to the stream and waiting futures, then to handlers if ever registered.
    pub(crate) fn deliver(self: &Rc<Self>, event: Incoming) {
        let handlers = self.handler_delivery.get();
        let for_handlers = match event {
            Incoming::Open => {
                let sink = {
                    let mut inner = self.inner_mut();
                    inner.phase.on_open();
                    inner.sink_waker.take()
                };
                wake(sink);
                self.open_waiters.wake_all();
                ForHandlers::Open
            }
            // With handlers, the stream's share depends on them: they decide.
            Incoming::Message(Ok(message)) if handlers.is_some() => ForHandlers::Message(message),
            Incoming::Message(Ok(message)) => return self.queue_for_stream(Ok(message)),
            Incoming::Message(Err(error)) => {
                if let Some(deliver) = handlers {
                    deliver(self, ForHandlers::Failure(&error));
                }
                return self.queue_for_stream(Err(error));
            }
            Incoming::Error => ForHandlers::Error,
            Incoming::Close(close) => return self.deliver_close(close, handlers),
        };
        if let Some(deliver) = handlers {
            deliver(self, for_handlers);
        }
    }

    fn deliver_close(self: &Rc<Self>, close: CloseEvent, handlers: Option<HandlerDelivery>) {
        let (stream, sink) = {
            let mut inner = self.inner_mut();
            inner.phase.on_close();
            (inner.inbox.take_waker(), inner.sink_waker.take())
        };
        self.ending().set(close.clone());
        wake(stream);
        wake(sink);
        self.open_waiters.wake_all();
        if let Some(deliver) = handlers {
            deliver(self, ForHandlers::Close(&close));
        }
        // Nothing fires after close: release the handlers (and their captures) outside the borrow.
        let released = self.inner_mut().handlers.take_all();
        drop(released);
    }

    /// Queues an item if the stream takes it: claimed, or unclaimed with no message handler.
    pub(crate) fn queue_for_stream(&self, item: Result<JsMessage, Error>) {
        let waker = {
            let mut inner = self.inner_mut();
            let handlers = inner.handlers.count(|c| c.kind() == Kind::Message) > 0;
            inner.inbox.offer(item, handlers)
        };
        wake(waker);
    }

    /// The stream was dropped: nobody can read the inbox any more.
    pub(crate) fn release_stream(&self) {
        let released = {
            let mut inner = self.inner_mut();
            inner.backlog_handoff = false;
            inner.inbox.release()
        };
        drop(released);
    }
}

fn wake(waker: Option<Waker>) {
    if let Some(waker) = waker {
        waker.wake();
    }
}

impl Drop for Shared {
    /// Closes a live socket with 1000 (aborting a handshake) and drops handlers outside the
    /// borrow; waiting `closed()` futures still get the browser's final event.
    fn drop(&mut self) {
        let live = matches!(self.state(), State::Connecting | State::Open);
        let (handlers, raw_close) = match self.inner.try_borrow_mut() {
            Ok(mut inner) => {
                let raw_close = inner
                    .blob_state
                    .get_mut()
                    .and_then(|blob| blob.raw_close.take());
                (Some(inner.handlers.take_all()), raw_close)
            }
            Err(_) => (None, None),
        };
        // Only a `Closed` future can still want the ending (it holds the other reference). It
        // listens before `close()`, inside which Node 26 fires `close`.
        if let Some(ending) = self.ending.get() {
            if !ending.is_set() && Rc::strong_count(ending) > 1 {
                match raw_close {
                    Some(close) => ending.set(close),
                    None => ending.follow_after_drop(&self.raw),
                }
            }
        }
        if live {
            let _ = self.raw.close_with_code_and_reason(CloseCode::NORMAL.0, "");
        }
        drop(handlers);
    }
}

impl Shared {
    /// Whether anything but the running browser callback holds the socket; if not, a handler
    /// dropped its last handle and nothing more is delivered (ARCHITECTURE.md, Re-entrancy).
    pub(crate) fn still_held(self: &Rc<Self>) -> bool {
        Rc::strong_count(self) > 1
    }
}
