//! The state one socket's handles share, and the intake and delivery of browser events.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::{Rc, Weak};
use std::task::Waker;

use gloo_events::EventListener;
use js_sys::{ArrayBuffer, Uint8Array};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{spawn_local, JsFuture};

use crate::diagnostics::LiveToken;
use crate::error::js_name_and_message;
use crate::handlers::{Callback, HandlerGuard, Handlers, Kind};
use crate::pipeline::{Incoming, Pipeline};
use crate::{CloseCode, CloseEvent, Error, Message, State};

/// One socket: the browser object, its four listeners, and the delivery state.
pub(crate) struct Shared {
    pub(crate) raw: web_sys::WebSocket,
    pub(crate) inner: RefCell<Inner>,
    _listeners: [EventListener; 4],
    _live: LiveToken,
}

#[derive(Default)]
pub(crate) struct Inner {
    pipeline: Pipeline,
    draining: bool,
    /// Messages for the `Stream`, in order.
    pub(crate) inbox: VecDeque<Result<Message, Error>>,
    /// Set by the first poll of the stream: from then on it receives every message.
    pub(crate) stream_polled: bool,
    /// The stream has yielded its last item.
    pub(crate) stream_done: bool,
    /// Messages that waited for a consumer are being handed to newly registered handlers.
    backlog_handoff: bool,
    pub(crate) stream_waker: Option<Waker>,
    /// Wakers waiting for `open` or `close` (connect, `closed()`, the sink).
    lifecycle_wakers: Vec<Waker>,
    pub(crate) opened: bool,
    pub(crate) close: Option<CloseEvent>,
    pub(crate) handlers: Handlers,
}

impl Inner {
    pub(crate) fn wait_for_lifecycle(&mut self, waker: &Waker) {
        if !self.lifecycle_wakers.iter().any(|w| w.will_wake(waker)) {
            self.lifecycle_wakers.push(waker.clone());
        }
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
        let Some(event) = event.dyn_ref::<web_sys::MessageEvent>() else {
            return;
        };
        let data = event.data();
        let message = if let Some(buffer) = data.dyn_ref::<ArrayBuffer>() {
            Ok(Message::Binary(Uint8Array::new(buffer).to_vec()))
        } else if let Some(text) = data.as_string() {
            Ok(Message::Text(text))
        } else if let Ok(blob) = data.dyn_into::<web_sys::Blob>() {
            return self.read_blob(&blob);
        } else {
            Err(Error::Js {
                name: "TypeError".to_owned(),
                message: "the browser delivered message data of an unknown type".to_owned(),
            })
        };
        self.intake(Incoming::Message(message));
    }

    /// Starts reading a Blob message; its pipeline slot holds every later event back until
    /// the read finishes. Reads run concurrently; delivery stays in arrival order.
    fn read_blob(self: &Rc<Self>, blob: &web_sys::Blob) {
        let ticket = self.inner.borrow_mut().pipeline.reserve();
        let read = JsFuture::from(blob.array_buffer());
        let weak = Rc::downgrade(self);
        spawn_local(async move {
            let result = read.await;
            let Some(shared) = weak.upgrade() else {
                return;
            };
            let message = match result {
                Ok(buffer) => Ok(Message::Binary(Uint8Array::new(&buffer).to_vec())),
                Err(thrown) => Err(Error::BlobRead {
                    message: js_name_and_message(&thrown).1,
                }),
            };
            shared
                .inner
                .borrow_mut()
                .pipeline
                .fill(ticket, Incoming::Message(message));
            shared.drain();
        });
    }

    fn on_close_event(self: &Rc<Self>, event: &web_sys::Event) {
        let close = match event.dyn_ref::<web_sys::CloseEvent>() {
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
        };
        self.intake(Incoming::Close(close));
    }

    /// Delivers every ready event at the head of the pipeline. No borrow is held while user
    /// code runs, so handlers may freely use the socket.
    fn drain(self: &Rc<Self>) {
        {
            let mut inner = self.inner.borrow_mut();
            if inner.draining {
                return;
            }
            inner.draining = true;
        }
        loop {
            let next = self.inner.borrow_mut().pipeline.pop_ready();
            let Some(event) = next else { break };
            self.deliver(event);
        }
        self.inner.borrow_mut().draining = false;
    }

    fn deliver(self: &Rc<Self>, event: Incoming) {
        if self.inner.borrow().backlog_handoff {
            self.hand_off_backlog();
        }
        match event {
            Incoming::Open => {
                self.inner.borrow_mut().opened = true;
                self.wake_lifecycle();
                self.dispatch(Kind::Open, |callback, _| {
                    if let Callback::Open(f) = callback {
                        call(f, |f| f());
                    }
                });
            }
            Incoming::Message(Ok(message)) => self.deliver_message(message),
            Incoming::Message(Err(error)) => {
                self.push_to_stream_if_taken(Err(error));
                self.dispatch_error();
            }
            Incoming::Error => self.dispatch_error(),
            Incoming::Close(close) => {
                let waker = {
                    let mut inner = self.inner.borrow_mut();
                    inner.close = Some(close.clone());
                    inner.stream_waker.take()
                };
                if let Some(waker) = waker {
                    waker.wake();
                }
                self.wake_lifecycle();
                self.dispatch(Kind::Close, |callback, _| {
                    if let Callback::Close(f) = callback {
                        call(f, |f| f(close.clone()));
                    }
                });
            }
        }
    }

    /// Whether the stream takes messages now: once polled, or while no handler would.
    fn stream_takes_messages(inner: &Inner) -> bool {
        inner.stream_polled || inner.handlers.count(Kind::Message) == 0
    }

    fn push_to_stream_if_taken(&self, item: Result<Message, Error>) {
        let waker = {
            let mut inner = self.inner.borrow_mut();
            if !Self::stream_takes_messages(&inner) {
                return;
            }
            inner.inbox.push_back(item);
            inner.stream_waker.take()
        };
        if let Some(waker) = waker {
            waker.wake();
        }
    }

    fn deliver_message(self: &Rc<Self>, message: Message) {
        let handlers = self.inner.borrow().handlers.count(Kind::Message);
        if handlers == 0 {
            return self.push_to_stream_if_taken(Ok(message));
        }
        // Handlers and a polled stream both get it: the stream a copy, handlers the original.
        if self.inner.borrow().stream_polled {
            self.push_to_stream_if_taken(Ok(message.clone()));
        }
        self.dispatch_message_to_handlers(message);
    }

    fn dispatch_message_to_handlers(self: &Rc<Self>, message: Message) {
        let mut message = Some(message);
        self.dispatch(Kind::Message, |callback, is_last| {
            if let Callback::Message(f) = callback {
                let argument = if is_last {
                    message.take()
                } else {
                    message.clone()
                };
                if let Some(argument) = argument {
                    call(f, |f| f(argument));
                }
            }
        });
    }

    fn dispatch_error(self: &Rc<Self>) {
        self.dispatch(Kind::Error, |callback, _| {
            if let Callback::Error(f) = callback {
                call(f, |f| f());
            }
        });
    }

    /// Calls each handler of `kind` registered before dispatch began, in registration order,
    /// skipping any whose guard was dropped meanwhile (even by an earlier handler).
    fn dispatch(&self, kind: Kind, mut invoke: impl FnMut(&Callback, bool)) {
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

    fn wake_lifecycle(&self) {
        let wakers = std::mem::take(&mut self.inner.borrow_mut().lifecycle_wakers);
        for waker in wakers {
            waker.wake();
        }
    }

    /// Registers a handler. The first message handler of a socket whose stream was never
    /// polled also receives, on the next microtask, the messages that waited for a consumer.
    pub(crate) fn add_handler(self: &Rc<Self>, callback: Callback) -> HandlerGuard {
        let is_message = matches!(callback, Callback::Message(_));
        let (id, hand_off) = {
            let mut inner = self.inner.borrow_mut();
            let id = inner.handlers.add(callback);
            let hand_off = is_message
                && !inner.stream_polled
                && !inner.backlog_handoff
                && !inner.inbox.is_empty();
            inner.backlog_handoff |= hand_off;
            (id, hand_off)
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
    /// has claimed them by being polled first). Runs before any later event is delivered.
    fn hand_off_backlog(self: &Rc<Self>) {
        loop {
            let next = {
                let mut inner = self.inner.borrow_mut();
                let waiting = if inner.stream_polled || inner.handlers.count(Kind::Message) == 0 {
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
                Some(Err(_)) => self.dispatch_error(),
                None => return,
            }
        }
    }
}

/// Runs a handler unless it is already running (a handler cannot re-enter itself).
fn call<F: ?Sized>(callback: &RefCell<F>, run: impl FnOnce(&mut F)) {
    if let Ok(mut f) = callback.try_borrow_mut() {
        run(&mut f);
    }
}

impl Drop for Shared {
    /// Dropping the last handle closes a connecting or open socket with 1000 and removes the
    /// listeners (the fields drop after this runs); handlers are dropped outside any borrow.
    fn drop(&mut self) {
        if matches!(self.state(), State::Connecting | State::Open) {
            let _ = self.raw.close_with_code(CloseCode::NORMAL.0);
        }
        let handlers = self
            .inner
            .try_borrow_mut()
            .map(|mut inner| inner.handlers.take_all())
            .unwrap_or_default();
        drop(handlers);
    }
}
