//! The state one socket's handles share, and the intake and delivery of browser events.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::{Rc, Weak};
use std::task::Waker;

use gloo_events::EventListener;
use js_sys::Uint8Array;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{spawn_local, JsFuture};

use crate::backpressure::BufferWatch;
use crate::closed::Ending;
use crate::diagnostics::LiveToken;
use crate::error::js_name_and_message;
use crate::handlers::{Callback, HandlerGuard, Handlers, Kind};
use crate::pipeline::{Incoming, Pipeline, Ticket};
use crate::wakers::{WaiterKey, WakerSet};
use crate::{CloseCode, CloseEvent, Error, JsMessage, Message, State};

/// One socket: the browser object, its four listeners, and the delivery state.
pub(crate) struct Shared {
    pub(crate) raw: web_sys::WebSocket,
    pub(crate) inner: RefCell<Inner>,
    /// The final close event, shared with `Closed` futures (which do not keep `Shared` alive).
    pub(crate) ending: Rc<Ending>,
    /// Futures waiting for `open` (connect, the sink while connecting); woken on open and close.
    pub(crate) open_waiters: WakerSet,
    /// The one sink (the socket or its sending half) waiting in `poll_close`.
    pub(crate) sink_close_key: WaiterKey,
    /// The Sink's watermarks and its waits for `bufferedAmount` to go down.
    pub(crate) buffer: BufferWatch,
    _listeners: [EventListener; 4],
    _live: LiveToken,
}

/// Who reads the `Stream`, which decides where messages go.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub(crate) enum StreamState {
    /// The stream exists but was never polled: messages wait in the inbox while no handler
    /// takes them.
    #[default]
    Unclaimed,
    /// The stream was polled: it gets every message.
    Claimed,
    /// The stream was dropped: nothing is queued for it any more.
    Gone,
}

#[derive(Default)]
pub(crate) struct Inner {
    pipeline: Pipeline,
    /// Messages for the `Stream`, in order, still as JS values (copied when polled).
    pub(crate) inbox: VecDeque<Result<JsMessage, Error>>,
    pub(crate) stream: StreamState,
    /// The stream has yielded its last item.
    pub(crate) stream_done: bool,
    /// Messages that waited for a consumer are being handed to newly registered handlers.
    backlog_handoff: bool,
    pub(crate) stream_waker: Option<Waker>,
    /// The sink waiting in `poll_ready` while connecting.
    pub(crate) sink_waker: Option<Waker>,
    pub(crate) opened: bool,
    /// `close()` was called on this socket while it was connecting or open.
    pub(crate) closed_locally: bool,
    /// The browser's close event as soon as it fires, before earlier messages are delivered.
    raw_close: Option<CloseEvent>,
    /// The close was delivered: handlers were released and new ones are not stored.
    close_delivered: bool,
    /// Received Blobs waiting to be read, with their pipeline slots.
    blobs_waiting: Vec<(Ticket, web_sys::Blob)>,
    /// A Blob read is running; Blobs that arrive meanwhile wait and are read together.
    blob_read_running: bool,
    pub(crate) handlers: Handlers,
}

/// The `CloseEvent` of a browser `close` event (1006 if it is somehow not a `CloseEvent`).
pub(crate) fn close_event_from(event: &web_sys::Event) -> CloseEvent {
    match event.dyn_ref::<web_sys::CloseEvent>() {
        Some(event) => CloseEvent {
            code: CloseCode(event.code()),
            reason: event.reason(),
            was_clean: event.was_clean(),
        },
        None => CloseEvent {
            code: CloseCode::ABNORMAL,
            reason: String::new(),
            was_clean: false,
        },
    }
}

impl Shared {
    /// Wraps a freshly constructed browser socket and attaches the four listeners.
    pub(crate) fn new(raw: web_sys::WebSocket) -> Rc<Shared> {
        Rc::new_cyclic(|weak: &Weak<Shared>| {
            let listen = |event_type: &'static str, on_event: fn(&Rc<Shared>, &web_sys::Event)| {
                let weak = weak.clone();
                EventListener::new(&raw, event_type, move |event| {
                    if let Some(shared) = weak.upgrade() {
                        on_event(&shared, event);
                    }
                })
            };
            let listeners = [
                listen("open", |shared, _| shared.intake(Incoming::Open)),
                listen("message", Shared::on_message_event),
                listen("error", |shared, _| shared.intake(Incoming::Error)),
                listen("close", Shared::on_close_event),
            ];
            Shared {
                raw,
                inner: RefCell::new(Inner::default()),
                ending: Rc::new(Ending::default()),
                open_waiters: WakerSet::default(),
                sink_close_key: WaiterKey::default(),
                buffer: BufferWatch::default(),
                _listeners: listeners,
                _live: LiveToken::new(),
            }
        })
    }

    pub(crate) fn state(&self) -> State {
        State::from_ready_state(self.raw.ready_state())
    }

    fn intake(self: &Rc<Self>, event: Incoming) {
        self.inner.borrow_mut().pipeline.push(event);
        self.drain();
    }

    fn on_message_event(self: &Rc<Self>, event: &web_sys::Event) {
        // One call reads the data (and rejects synthetic events that are not MessageEvents).
        let data = crate::glue::message_data(event);
        let message = if data.is_string() {
            Ok(JsMessage::Text(data.unchecked_into()))
        } else if data.is_instance_of::<Uint8Array>() {
            Ok(JsMessage::Binary(data.unchecked_into()))
        } else if data.is_undefined() {
            return;
        } else if let Ok(blob) = data.dyn_into::<web_sys::Blob>() {
            return self.read_blob(blob);
        } else {
            Err(Error::Js {
                name: "TypeError".to_owned(),
                message: "the browser delivered message data of an unknown type".to_owned(),
            })
        };
        self.intake(Incoming::Message(message));
    }

    /// Queues a Blob message for reading; its pipeline slot holds every later event back until
    /// the read finishes. One read runs at a time, and the Blobs that arrive meanwhile are read
    /// together next, as one concatenated Blob (concatenation does not copy), then split by
    /// size: under load that is one asynchronous read per batch instead of per message, and
    /// still one copy per message.
    fn read_blob(self: &Rc<Self>, blob: web_sys::Blob) {
        let start = {
            let mut inner = self.inner.borrow_mut();
            let ticket = inner.pipeline.reserve();
            inner.blobs_waiting.push((ticket, blob));
            !std::mem::replace(&mut inner.blob_read_running, true)
        };
        if start {
            self.read_waiting_blobs();
        }
    }

    /// Reads every waiting Blob in one go; when done, fills their slots and starts the next batch.
    fn read_waiting_blobs(self: &Rc<Self>) {
        let batch = {
            let mut inner = self.inner.borrow_mut();
            let batch = std::mem::take(&mut inner.blobs_waiting);
            inner.blob_read_running = !batch.is_empty();
            batch
        };
        let read = match batch.as_slice() {
            [] => return,
            [(_, single)] => single.array_buffer(),
            several => {
                let parts: js_sys::Array = several.iter().map(|(_, blob)| blob.clone()).collect();
                match web_sys::Blob::new_with_blob_sequence(&parts) {
                    Ok(combined) => combined.array_buffer(),
                    Err(thrown) => js_sys::Promise::reject(&thrown),
                }
            }
        };
        let read = JsFuture::from(read);
        let weak = Rc::downgrade(self);
        spawn_local(async move {
            let result = read.await;
            let Some(shared) = weak.upgrade() else {
                return;
            };
            let mut messages = split_batch(result, &batch);
            {
                let mut inner = shared.inner.borrow_mut();
                for ((ticket, _), message) in batch.iter().zip(messages.drain(..)) {
                    inner.pipeline.fill(*ticket, Incoming::Message(message));
                }
            }
            shared.read_waiting_blobs();
            shared.drain();
        });
    }

    fn on_close_event(self: &Rc<Self>, event: &web_sys::Event) {
        let close = close_event_from(event);
        self.inner.borrow_mut().raw_close = Some(close.clone());
        self.buffer.release();
        self.intake(Incoming::Close(close));
    }

    /// Delivers every ready event at the head of the pipeline, in order. No borrow is held
    /// while user code runs, so handlers may freely use the socket. There is deliberately no
    /// "already draining" flag: a handler that lets a JS exception unwind through it would
    /// leave such a flag set and wedge the socket for good.
    fn drain(self: &Rc<Self>) {
        loop {
            let next = self.inner.borrow_mut().pipeline.pop_ready();
            let Some(event) = next else { break };
            self.deliver(event);
        }
    }

    fn deliver(self: &Rc<Self>, event: Incoming) {
        if self.inner.borrow().backlog_handoff {
            self.hand_off_backlog();
        }
        match event {
            Incoming::Open => {
                let sink = {
                    let mut inner = self.inner.borrow_mut();
                    inner.opened = true;
                    inner.sink_waker.take()
                };
                wake(sink);
                self.open_waiters.wake_all();
                self.dispatch(Kind::Open, &mut |callback, _| {
                    if let Callback::Open(f) = callback {
                        call(f, |f| f());
                    }
                });
            }
            Incoming::Message(Ok(message)) => self.deliver_message(message),
            Incoming::Message(Err(error)) => {
                self.queue_for_stream(Err(error));
                self.dispatch_error();
            }
            Incoming::Error => self.dispatch_error(),
            Incoming::Close(close) => self.deliver_close(close),
        }
    }

    fn deliver_close(self: &Rc<Self>, close: CloseEvent) {
        let (stream, sink) = {
            let mut inner = self.inner.borrow_mut();
            (inner.stream_waker.take(), inner.sink_waker.take())
        };
        self.ending.set(close.clone());
        wake(stream);
        wake(sink);
        self.open_waiters.wake_all();
        self.dispatch(Kind::Close, &mut |callback, _| {
            if let Callback::Close(f) = callback {
                call(f, |f| f(close.clone()));
            }
        });
        // Nothing fires after close: release every handler (and whatever it captured, such
        // as a handle to this socket) outside the borrow.
        let released = {
            let mut inner = self.inner.borrow_mut();
            inner.close_delivered = true;
            inner.handlers.take_all()
        };
        drop(released);
    }

    /// Puts an item in the inbox if the stream takes it now: once claimed, or while unclaimed
    /// and no handler would take it.
    fn queue_for_stream(&self, item: Result<JsMessage, Error>) {
        let waker = {
            let mut inner = self.inner.borrow_mut();
            let takes = match inner.stream {
                StreamState::Claimed => true,
                StreamState::Unclaimed => inner.handlers.count(Kind::Message) == 0,
                StreamState::Gone => false,
            };
            if !takes {
                return;
            }
            inner.inbox.push_back(item);
            inner.stream_waker.take()
        };
        wake(waker);
    }

    fn deliver_message(self: &Rc<Self>, message: JsMessage) {
        let (handlers, claimed) = {
            let inner = self.inner.borrow();
            (
                inner.handlers.count(Kind::Message),
                inner.stream == StreamState::Claimed,
            )
        };
        if handlers == 0 {
            return self.queue_for_stream(Ok(message));
        }
        // Handlers and a claimed stream both get it (sharing the JS values costs no copy).
        if claimed {
            self.queue_for_stream(Ok(message.clone()));
        }
        self.dispatch_message_to_handlers(message);
    }

    /// Gives a message to every message handler in registration order: JS-value handlers get
    /// the browser's values; typed handlers share one copy into wasm memory, made only if one
    /// of them exists (the last one takes it, the others get clones).
    fn dispatch_message_to_handlers(self: &Rc<Self>, message: JsMessage) {
        let mut copied: Option<Message> = None;
        self.dispatch(Kind::Message, &mut |callback, is_last| match callback {
            Callback::JsMessage(f) => call(f, |f| f(message.clone())),
            Callback::Message(f) => {
                let copy = copied.get_or_insert_with(|| message.to_message());
                let argument = if is_last {
                    std::mem::replace(copy, Message::Binary(Vec::new()))
                } else {
                    copy.clone()
                };
                call(f, |f| f(argument));
            }
            _ => {}
        });
    }

    fn dispatch_error(self: &Rc<Self>) {
        self.dispatch(Kind::Error, &mut |callback, _| {
            if let Callback::Error(f) = callback {
                call(f, |f| f());
            }
        });
    }

    /// Calls each handler of `kind` registered before dispatch began, in registration order,
    /// skipping any whose guard was dropped meanwhile (even by an earlier handler).
    fn dispatch(&self, kind: Kind, invoke: &mut dyn FnMut(&Callback, bool)) {
        let upto = self.inner.borrow().handlers.last_id();
        let mut after = 0;
        loop {
            let (current, is_last) = {
                let inner = self.inner.borrow();
                let Some((id, callback)) = inner.handlers.next(kind, after, upto) else {
                    return;
                };
                let is_last = inner.handlers.next(kind, id, upto).is_none();
                ((id, callback), is_last)
            };
            after = current.0;
            invoke(&current.1, is_last);
        }
    }

    /// Registers a handler. The first message handler of a socket whose stream was never
    /// polled also receives, on the next microtask, the messages that waited for a consumer.
    /// After the close was delivered nothing can fire, so nothing is stored.
    pub(crate) fn add_handler(self: &Rc<Self>, callback: Callback) -> HandlerGuard {
        let is_message = matches!(callback, Callback::Message(_) | Callback::JsMessage(_));
        let registered = {
            let mut inner = self.inner.borrow_mut();
            if inner.close_delivered {
                None
            } else {
                let id = inner.handlers.add(callback);
                let hand_off = is_message
                    && inner.stream == StreamState::Unclaimed
                    && !inner.backlog_handoff
                    && !inner.inbox.is_empty();
                inner.backlog_handoff |= hand_off;
                Some((id, hand_off))
            }
        };
        let Some((id, hand_off)) = registered else {
            return HandlerGuard {
                shared: Weak::new(),
                id: 0,
            };
        };
        if hand_off {
            let weak = Rc::downgrade(self);
            spawn_local(async move {
                if let Some(shared) = weak.upgrade() {
                    shared.hand_off_backlog();
                }
            });
        }
        HandlerGuard {
            shared: Rc::downgrade(self),
            id,
        }
    }

    /// Hands messages that waited for a consumer to the message handlers (unless the stream
    /// claimed them by being polled first). Runs before any later event is delivered. Errors in
    /// the backlog were already reported to error handlers when they happened.
    fn hand_off_backlog(self: &Rc<Self>) {
        loop {
            let next = {
                let mut inner = self.inner.borrow_mut();
                let waiting = if inner.stream != StreamState::Unclaimed
                    || inner.handlers.count(Kind::Message) == 0
                {
                    None
                } else {
                    inner.inbox.pop_front()
                };
                if waiting.is_none() {
                    inner.backlog_handoff = false;
                }
                waiting
            };
            match next {
                Some(Ok(message)) => self.dispatch_message_to_handlers(message),
                Some(Err(_)) => {}
                None => return,
            }
        }
    }

    /// The stream was dropped: nobody can read the inbox any more.
    pub(crate) fn release_stream(&self) {
        let (inbox, waker) = {
            let mut inner = self.inner.borrow_mut();
            inner.stream = StreamState::Gone;
            inner.backlog_handoff = false;
            (std::mem::take(&mut inner.inbox), inner.stream_waker.take())
        };
        drop((inbox, waker));
    }
}

/// The messages of a batch read: each Blob's bytes, cut from the one buffer by size.
fn split_batch(
    result: Result<wasm_bindgen::JsValue, wasm_bindgen::JsValue>,
    batch: &[(Ticket, web_sys::Blob)],
) -> Vec<Result<JsMessage, Error>> {
    match result {
        Ok(buffer) => {
            let bytes = Uint8Array::new(&buffer);
            let mut offset = 0u32;
            batch
                .iter()
                .map(|(_, blob)| {
                    // Blob sizes are integral and the batch fitted in one ArrayBuffer.
                    let end = offset.saturating_add(blob.size() as u32);
                    let message = JsMessage::Binary(bytes.subarray(offset, end));
                    offset = end;
                    Ok(message)
                })
                .collect()
        }
        Err(thrown) => {
            let message = js_name_and_message(&thrown).1;
            batch
                .iter()
                .map(|_| {
                    Err(Error::BlobRead {
                        message: message.clone(),
                    })
                })
                .collect()
        }
    }
}

fn wake(waker: Option<Waker>) {
    if let Some(waker) = waker {
        waker.wake();
    }
}

/// Runs a handler unless it is already running. A handler that let a JS exception unwind
/// through it stays borrowed and is skipped from then on; the socket and other handlers go on.
fn call<F: ?Sized>(callback: &RefCell<F>, run: impl FnOnce(&mut F)) {
    if let Ok(mut f) = callback.try_borrow_mut() {
        run(&mut f);
    }
}

impl Drop for Shared {
    /// Dropping the last handle closes an open socket with 1000 (a connecting one has its
    /// handshake aborted: no close frame can be sent yet) and removes the listeners (the
    /// fields drop after this runs); handlers are dropped outside any borrow. Outstanding
    /// `closed()` futures still get the browser's final event.
    fn drop(&mut self) {
        if matches!(self.state(), State::Connecting | State::Open) {
            let _ = self.raw.close_with_code(CloseCode::NORMAL.0);
        }
        let (handlers, raw_close) = match self.inner.try_borrow_mut() {
            Ok(mut inner) => (inner.handlers.take_all(), inner.raw_close.take()),
            Err(_) => (Vec::new(), None),
        };
        drop(handlers);
        if !self.ending.is_set() && Rc::strong_count(&self.ending) > 1 {
            match raw_close {
                Some(close) => self.ending.set(close),
                None => self.ending.listen_after_drop(&self.raw),
            }
        }
    }
}
