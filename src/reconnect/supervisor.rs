//! The state machine behind a reconnecting connection: one socket at a time, the retry timer,
//! the connect timeout, the heartbeat, the send queue and the subscribers.
//!
//! Every socket event arrives through a typed handler tagged with the attempt's generation, so
//! an event from an abandoned socket is ignored. Every timer is a `gloo_timers` guard owned
//! here, so dropping the connection cancels them all. No borrow is held while application
//! code (handlers, the predicate, the heartbeat matcher) runs.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::{Rc, Weak};
use std::task::Waker;
use std::time::Duration;

use gloo_timers::callback::{Interval, Timeout};

use super::options::{timer_millis, ReconnectOptions};
use super::queue::SendQueue;
use super::status::{ConnectionState, Delivery, Disconnect, ReconnectContext};
use crate::socket::conn::closed::Ending;
use crate::socket::protocols::validate_protocols;
use crate::util::fifo::Fifo;
use crate::util::wakers::{WaiterKey, WakerSet};
use crate::{
    validate_close, CloseCode, CloseEvent, Error, HandlerGuard, Message, State, WebSocket,
    WebSocketHandle,
};

type MessageHandler = Rc<RefCell<dyn FnMut(Message)>>;
type StateHandler = Rc<StateListener>;
type StateFn = Box<dyn FnMut(&ConnectionState)>;

/// A state handler and the transitions it has yet to see. Every transition is queued for
/// every handler before any runs, and each handler drains its own queue unless it is already
/// running: so a handler that causes a transition (calls `close()`, say) still sees it, after
/// it returns, and every handler sees every transition once and in order.
pub(crate) struct StateListener {
    handler: RefCell<StateFn>,
    pending: RefCell<VecDeque<ConnectionState>>,
    /// Cleared when its guard is dropped: from then on it sees nothing, even what was queued.
    active: Cell<bool>,
}

impl StateListener {
    pub(crate) fn new(handler: impl FnMut(&ConnectionState) + 'static) -> Rc<Self> {
        Rc::new(StateListener {
            handler: RefCell::new(Box::new(handler)),
            pending: RefCell::new(VecDeque::new()),
            active: Cell::new(true),
        })
    }

    fn push(&self, state: &ConnectionState) {
        self.pending.borrow_mut().push_back(state.clone());
    }

    fn drain(&self) {
        let Ok(mut handler) = self.handler.try_borrow_mut() else {
            return; // running further up the stack: it drains when it returns
        };
        while self.active.get() {
            let next = self.pending.borrow_mut().pop_front();
            let Some(state) = next else { return };
            handler(&state);
        }
        self.pending.borrow_mut().clear();
    }
}

/// Reports `state` to `listeners` (see [`StateListener`]).
fn notify(listeners: &[StateHandler], state: &ConnectionState) {
    for listener in listeners {
        listener.push(state);
    }
    for listener in listeners {
        listener.drain();
    }
}

/// One socket and what lives exactly as long as it.
struct Attempt {
    handle: WebSocketHandle,
    _guards: [HandlerGuard; 4],
    connect_timer: Option<Timeout>,
    /// When the socket opened (`Date.now()`), once it did.
    opened_at: Option<f64>,
    heartbeat: Option<HeartbeatRun>,
    /// Payload bytes handed to this socket: with `bufferedAmount`, what has left the browser.
    sent_bytes: f64,
    /// A received message was refused as too big: its close is [`Disconnect::MessageTooBig`].
    refused: bool,
}

/// The heartbeat of one open socket: the ping timer, and the wait for a sign of life after
/// the first unanswered ping.
struct HeartbeatRun {
    _pings: Interval,
    wait: Option<PingWait>,
}

/// The wait after a ping. Time counts toward the timeout only once the ping has left the
/// browser, or while the send buffer stops draining (a dead link with data queued).
struct PingWait {
    /// The socket's `sent_bytes` once the ping was handed over.
    mark: f64,
    /// Milliseconds counted toward the timeout.
    counted: f64,
    /// When it was last checked (`Date.now()`), and the bytes gone out of the browser then.
    checked_at: f64,
    drained: f64,
    _checks: Interval,
}

/// Who reads the message stream (as in the core socket).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum StreamState {
    Unclaimed,
    Claimed,
    Gone,
}

pub(crate) struct Inner {
    pub(crate) state: ConnectionState,
    generation: u64,
    attempt: Option<Attempt>,
    /// Failed attempts in a row (see [`ReconnectContext::failures`]).
    failures: u32,
    retry_timer: Option<Timeout>,
    pub(crate) queue: SendQueue,
    pub(crate) inbox: Fifo<Result<Message, Error>>,
    pub(crate) stream: StreamState,
    pub(crate) stream_waker: Option<Waker>,
    ever_opened: bool,
    close_requested: bool,
    /// The close event of the last ending (1006 for a timeout, which has none).
    last_close: Option<CloseEvent>,
    message_handlers: Vec<(u64, MessageHandler)>,
    state_handlers: Vec<(u64, StateHandler)>,
    next_id: u64,
}

pub(crate) struct Supervisor {
    url: String,
    options: ReconnectOptions,
    pub(crate) inner: RefCell<Inner>,
    /// Sinks waiting for the connection to open or the queue to have room.
    pub(crate) ready_waiters: WakerSet,
    pub(crate) ready_key: WaiterKey,
    pub(crate) flush_key: WaiterKey,
    /// The final close event, for `closed()` futures.
    pub(crate) ending: Rc<Ending>,
}

/// Milliseconds on the wall clock, for uptimes and heartbeat waits.
fn now() -> f64 {
    js_sys::Date::now()
}

/// The close event reported when no browser event exists (an aborted attempt).
fn abnormal() -> CloseEvent {
    CloseEvent {
        code: CloseCode::ABNORMAL,
        reason: String::new(),
        was_clean: false,
    }
}

/// Calls a handler unless it is already running (a handler that re-enters is skipped).
fn call<F: ?Sized>(handler: &RefCell<F>, run: impl FnOnce(&mut F)) {
    if let Ok(mut handler) = handler.try_borrow_mut() {
        run(&mut handler);
    }
}

impl Supervisor {
    /// Validates the URL and subprotocols, then starts the first attempt.
    pub(crate) fn start(url: &str, options: ReconnectOptions) -> Result<Rc<Supervisor>, Error> {
        options.validate()?;
        let resolved = crate::socket::url::resolve(url)?;
        let protocols: Vec<&str> = options.protocols.iter().map(String::as_str).collect();
        validate_protocols(&protocols)?;
        let supervisor = Rc::new(Supervisor {
            url: resolved,
            inner: RefCell::new(Inner {
                state: ConnectionState::Connecting { attempt: 0 },
                generation: 0,
                attempt: None,
                failures: 0,
                retry_timer: None,
                queue: SendQueue::new(options.queue),
                inbox: Fifo::default(),
                stream: StreamState::Unclaimed,
                stream_waker: None,
                ever_opened: false,
                close_requested: false,
                last_close: None,
                message_handlers: Vec::new(),
                state_handlers: Vec::new(),
                next_id: 0,
            }),
            options,
            ready_waiters: WakerSet::default(),
            ready_key: WaiterKey::default(),
            flush_key: WaiterKey::default(),
            ending: Rc::new(Ending::default()),
        });
        supervisor.connect()?;
        Ok(supervisor)
    }

    /// Opens a socket for the next attempt and makes it current.
    fn connect(self: &Rc<Self>) -> Result<(), Error> {
        let protocols: Vec<&str> = self.options.protocols.iter().map(String::as_str).collect();
        let socket = WebSocket::open_with_protocols(&self.url, &protocols)?;
        socket.set_binary_type(self.options.binary_type);
        socket.set_watermarks(self.options.watermarks);
        socket.set_max_message_size(self.options.max_message_size);
        let (generation, attempt_number) = {
            let mut inner = self.inner.borrow_mut();
            inner.generation += 1;
            (inner.generation, inner.failures)
        };
        let weak = Rc::downgrade(self);
        let guards = [
            socket.on_open(with(&weak, move |s| s.opened(generation))),
            socket.on_message({
                let weak = weak.clone();
                move |message| {
                    if let Some(s) = weak.upgrade() {
                        s.received(generation, message);
                    }
                }
            }),
            socket.on_failure({
                let weak = weak.clone();
                move |error| {
                    if let Some(s) = weak.upgrade() {
                        s.failed(generation, error);
                    }
                }
            }),
            socket.on_close({
                let weak = weak.clone();
                move |event| {
                    if let Some(s) = weak.upgrade() {
                        s.end(generation, Disconnect::Closed(event));
                    }
                }
            }),
        ];
        let connect_timer = self.options.connect_timeout.map(|timeout| {
            Timeout::new(
                timer_millis(timeout),
                with(&weak, move |s| {
                    s.end(generation, Disconnect::ConnectTimeout)
                }),
            )
        });
        // Only handlers read this socket: its own stream is released, so it queues nothing.
        let handle = socket.handle();
        drop(socket);
        let previous = self.inner.borrow_mut().attempt.replace(Attempt {
            handle,
            _guards: guards,
            connect_timer,
            opened_at: None,
            heartbeat: None,
            sent_bytes: 0.0,
            refused: false,
        });
        drop(previous);
        self.set_state(ConnectionState::Connecting {
            attempt: attempt_number,
        });
        Ok(())
    }

    fn is_current(&self, generation: u64) -> bool {
        let inner = self.inner.borrow();
        inner.generation == generation && inner.attempt.is_some()
    }

    /// The current socket opened: flush the queue in order, start the heartbeat, report.
    fn opened(self: &Rc<Self>, generation: u64) {
        if !self.is_current(generation) {
            return;
        }
        let heartbeat = self.start_heartbeat(generation);
        let timer = {
            let mut inner = self.inner.borrow_mut();
            inner.ever_opened = true;
            inner.state = ConnectionState::Open;
            let Some(attempt) = inner.attempt.as_mut() else {
                return;
            };
            attempt.opened_at = Some(now());
            attempt.heartbeat = heartbeat;
            attempt.connect_timer.take()
        };
        drop(timer);
        self.flush_queue();
        self.set_state(ConnectionState::Open);
    }

    /// Sends every queued message, oldest first; stops (keeping the rest) if the socket
    /// refuses one.
    fn flush_queue(&self) {
        loop {
            let Some(message) = self.inner.borrow_mut().queue.pop_front() else {
                break;
            };
            if let Err(message) = self.hand_over(message) {
                self.inner.borrow_mut().queue.push_front(message);
                break;
            }
        }
    }

    /// Sends on the current socket, counting the bytes; hands the message back if there is
    /// none or it refuses.
    fn hand_over(&self, message: Message) -> Result<(), Message> {
        let Some(handle) = self.socket() else {
            return Err(message);
        };
        let bytes = message.len() as f64;
        send_now(&handle, message)?;
        if let Some(attempt) = self.inner.borrow_mut().attempt.as_mut() {
            attempt.sent_bytes += bytes;
        }
        Ok(())
    }

    fn start_heartbeat(self: &Rc<Self>, generation: u64) -> Option<HeartbeatRun> {
        let heartbeat = self.options.heartbeat.as_ref()?;
        let weak = Rc::downgrade(self);
        let pings = Interval::new(
            timer_millis(heartbeat.interval),
            with(&weak, move |s| s.ping(generation)),
        );
        Some(HeartbeatRun {
            _pings: pings,
            wait: None,
        })
    }

    /// Sends a heartbeat ping and, unless a wait is under way, starts waiting for a sign of
    /// life, checked on a short interval (an eighth of the timeout, 10 ms to 1 s).
    fn ping(self: &Rc<Self>, generation: u64) {
        let Some(heartbeat) = self.options.heartbeat.as_ref() else {
            return;
        };
        if !self.is_current(generation) || self.hand_over(heartbeat.message.clone()).is_err() {
            return;
        }
        let step = timer_millis(heartbeat.timeout / 8).clamp(10, 1_000);
        let weak = Rc::downgrade(self);
        let mut inner = self.inner.borrow_mut();
        let Some(attempt) = inner.attempt.as_mut() else {
            return;
        };
        let drained = attempt.sent_bytes - f64::from(attempt.handle.buffered_amount());
        let mark = attempt.sent_bytes;
        if let Some(run) = attempt.heartbeat.as_mut() {
            run.wait.get_or_insert_with(|| PingWait {
                mark,
                counted: 0.0,
                checked_at: now(),
                drained,
                _checks: Interval::new(step, with(&weak, move |s| s.check_ping(generation))),
            });
        }
    }

    /// Counts the time since the last check if the ping has left the browser or the send
    /// buffer did not drain meanwhile; past the timeout, the connection is dead.
    fn check_ping(self: &Rc<Self>, generation: u64) {
        let Some(heartbeat) = self.options.heartbeat.as_ref() else {
            return;
        };
        if !self.is_current(generation) {
            return;
        }
        let expired = {
            let mut inner = self.inner.borrow_mut();
            let Some(attempt) = inner.attempt.as_mut() else {
                return;
            };
            let drained = attempt.sent_bytes - f64::from(attempt.handle.buffered_amount());
            let Some(wait) = attempt.heartbeat.as_mut().and_then(|run| run.wait.as_mut()) else {
                return;
            };
            let time = now();
            if drained >= wait.mark || drained <= wait.drained {
                wait.counted += (time - wait.checked_at).max(0.0);
            }
            wait.checked_at = time;
            wait.drained = drained;
            wait.counted >= heartbeat.timeout.as_secs_f64() * 1000.0
        };
        if expired {
            self.end(generation, Disconnect::HeartbeatTimeout);
        }
    }

    /// A message from the current socket: a sign of life for the heartbeat (any message, or
    /// only a reply); a reply is consumed, anything else goes to the stream and the handlers.
    fn received(&self, generation: u64, message: Message) {
        if !self.is_current(generation) {
            return;
        }
        if let Some(heartbeat) = self.options.heartbeat.as_ref() {
            let reply = heartbeat.is_reply(&message);
            if reply || !heartbeat.require_reply {
                let wait = {
                    let mut inner = self.inner.borrow_mut();
                    inner
                        .attempt
                        .as_mut()
                        .and_then(|attempt| attempt.heartbeat.as_mut())
                        .and_then(|run| run.wait.take())
                };
                drop(wait);
            }
            if reply {
                return;
            }
        }
        self.deliver(Ok(message));
    }

    /// A message the current socket could not take: its error goes to the stream in its place.
    fn failed(&self, generation: u64, error: &Error) {
        if !self.is_current(generation) {
            return;
        }
        if let Error::MessageTooBig { .. } = error {
            if let Some(attempt) = self.inner.borrow_mut().attempt.as_mut() {
                attempt.refused = true;
            }
        }
        self.deliver(Err(error.clone()));
    }

    /// Gives a message (or an error in its place) to the stream, if it takes it now (once
    /// claimed, or while unclaimed and no handler takes it), then a message to each message
    /// handler, in registration order, from the live list: one whose guard was dropped meanwhile
    /// (even by an earlier handler) is skipped. The last handler gets the message itself.
    fn deliver(&self, item: Result<Message, Error>) {
        let (upto, to_stream, handlers) = {
            let inner = self.inner.borrow();
            let handlers = !inner.message_handlers.is_empty();
            let to_stream = inner.stream == StreamState::Claimed
                || (inner.stream == StreamState::Unclaimed && !handlers);
            (inner.next_id, to_stream, handlers)
        };
        let mut message = match item {
            Ok(message) if to_stream && handlers => {
                self.push_to_stream(Ok(message.clone()));
                message
            }
            item if to_stream => return self.push_to_stream(item),
            Ok(message) => message,
            Err(_) => return,
        };
        let mut after = 0;
        loop {
            let next = {
                let inner = self.inner.borrow();
                let mut later = inner
                    .message_handlers
                    .iter()
                    .filter(|(id, _)| *id > after && *id <= upto);
                later
                    .next()
                    .map(|(id, handler)| (*id, Rc::clone(handler), later.next().is_none()))
            };
            let Some((id, handler, is_last)) = next else {
                return;
            };
            after = id;
            if is_last {
                let message = std::mem::replace(&mut message, Message::Binary(Vec::new()));
                return call(&handler, |f| f(message));
            }
            call(&handler, |f| f(message.clone()));
        }
    }

    fn push_to_stream(&self, item: Result<Message, Error>) {
        let waker = {
            let mut inner = self.inner.borrow_mut();
            inner.inbox.push_back(item);
            inner.stream_waker.take()
        };
        if let Some(waker) = waker {
            waker.wake();
        }
    }

    /// The current socket or attempt ended (closed, or given up on after a timeout, which
    /// drops it: its handshake is aborted, or it is closed): counts the failure unless the
    /// connection stayed up for the minimum uptime, then asks the policy, and closes for
    /// good or schedules a retry.
    fn end(self: &Rc<Self>, generation: u64, cause: Disconnect) {
        if !self.is_current(generation) {
            return;
        }
        let time = now();
        let (attempt, close_requested, context) = {
            let mut inner = self.inner.borrow_mut();
            let Some(attempt) = inner.attempt.take() else {
                return;
            };
            let cause = match cause {
                Disconnect::Closed(event) if attempt.refused => Disconnect::MessageTooBig(event),
                other => other,
            };
            let uptime = attempt
                .opened_at
                .map(|opened| Duration::from_secs_f64((time - opened).max(0.0) / 1000.0));
            inner.failures = if uptime.is_some_and(|up| up >= self.options.min_uptime) {
                1
            } else {
                inner.failures.saturating_add(1)
            };
            inner.last_close = Some(cause.close_event().cloned().unwrap_or_else(abnormal));
            let context = ReconnectContext::new(cause, inner.failures, uptime);
            (attempt, inner.close_requested, context)
        };
        drop(attempt);
        if close_requested || !(self.options.should_reconnect)(&context) {
            let last = self.inner.borrow().last_close.clone();
            self.finish(last.unwrap_or_else(abnormal));
        } else {
            self.schedule(context);
        }
    }

    /// Draws the delay of the next retry and arms its timer, or closes for good when the
    /// retries have run out.
    fn schedule(self: &Rc<Self>, context: ReconnectContext) {
        let (close_requested, closed, last) = {
            let inner = self.inner.borrow();
            (
                inner.close_requested,
                inner.state.is_closed(),
                inner.last_close.clone(),
            )
        };
        if closed {
            return;
        }
        let retry = context.failures.saturating_sub(1);
        let delay = self.options.backoff.delay(retry, js_sys::Math::random());
        // `close()` may have run while this ending was being handled (from the policy, say).
        let Some(delay) = delay.filter(|_| !close_requested) else {
            return self.finish(last.unwrap_or_else(abnormal));
        };
        let weak = Rc::downgrade(self);
        let timer = Timeout::new(timer_millis(delay), with(&weak, |s| s.retry()));
        let previous = self.inner.borrow_mut().retry_timer.replace(timer);
        drop(previous);
        self.set_state(ConnectionState::Reconnecting {
            attempt: context.failures,
            delay,
            cause: context.cause,
        });
    }

    fn retry(self: &Rc<Self>) {
        let timer = {
            let mut inner = self.inner.borrow_mut();
            if inner.close_requested || inner.state.is_closed() {
                return;
            }
            inner.retry_timer.take()
        };
        drop(timer);
        if let Err(error) = self.connect() {
            // The browser refused to even start (for example a SecurityError): retrying
            // cannot help. The stream reports why.
            self.inner.borrow_mut().inbox.push_back(Err(error));
            self.finish(abnormal());
        }
    }

    /// Closed for good: report the final state, end the stream, wake every waiter, release
    /// every handler (so captured handles cannot keep anything alive).
    fn finish(&self, event: CloseEvent) {
        let (attempt, timer, listeners, message_handlers, stream) = {
            let mut inner = self.inner.borrow_mut();
            if inner.state.is_closed() {
                return;
            }
            if !inner.close_requested && !event.was_clean && inner.stream != StreamState::Gone {
                let error = if inner.ever_opened {
                    Error::ConnectionLost(event.clone())
                } else {
                    Error::ConnectFailed(event.clone())
                };
                inner.inbox.push_back(Err(error));
            }
            inner.state = ConnectionState::Closed(event.clone());
            let listeners: Vec<StateHandler> = inner
                .state_handlers
                .iter()
                .map(|(_, listener)| Rc::clone(listener))
                .collect();
            (
                inner.attempt.take(),
                inner.retry_timer.take(),
                listeners,
                std::mem::take(&mut inner.message_handlers),
                inner.stream_waker.take(),
            )
        };
        drop((attempt, timer, message_handlers));
        self.ending.set(event.clone());
        self.ready_waiters.wake_all();
        if let Some(waker) = stream {
            waker.wake();
        }
        notify(&listeners, &ConnectionState::Closed(event));
        // Nothing follows `Closed`: release the state handlers (and what they captured).
        let released = std::mem::take(&mut self.inner.borrow_mut().state_handlers);
        drop(released);
    }

    /// Records and reports a transition, and lets waiting Sinks re-check.
    fn set_state(&self, state: ConnectionState) {
        let handlers: Vec<StateHandler> = {
            let mut inner = self.inner.borrow_mut();
            inner.state = state.clone();
            inner
                .state_handlers
                .iter()
                .map(|(_, handler)| Rc::clone(handler))
                .collect()
        };
        self.ready_waiters.wake_all();
        notify(&handlers, &state);
    }

    // ---- what the public handle calls ----

    pub(crate) fn send(&self, message: Message) -> Result<Delivery, Error> {
        {
            let mut inner = self.inner.borrow_mut();
            if inner.close_requested || inner.state.is_closed() {
                let state = if inner.state.is_closed() {
                    State::Closed
                } else {
                    State::Closing
                };
                return Err(Error::NotOpen(state));
            }
            let open = inner.state.is_open() && inner.queue.is_empty();
            if !(open && inner.attempt.is_some()) {
                return inner.queue.push(message).map(|()| Delivery::Queued);
            }
        };
        match self.hand_over(message) {
            Ok(()) => Ok(Delivery::Sent),
            // The socket is going away and its close event has not run yet: keep the message
            // for the next connection.
            Err(message) => self
                .inner
                .borrow_mut()
                .queue
                .push(message)
                .map(|()| Delivery::Queued),
        }
    }

    pub(crate) fn close(&self, code: CloseCode, reason: &str) -> Result<(), Error> {
        validate_close(code, reason)?;
        let (attempt, timer) = {
            let mut inner = self.inner.borrow_mut();
            if inner.close_requested || inner.state.is_closed() {
                return Ok(());
            }
            inner.close_requested = true;
            let timer = inner.retry_timer.take();
            let attempt = inner.attempt.as_mut().map(|attempt| {
                attempt.connect_timer = None;
                attempt.heartbeat = None;
                attempt.handle.clone()
            });
            (attempt, timer)
        };
        drop(timer);
        match attempt {
            Some(handle) => {
                handle.close_with(code, reason)?;
                self.set_state(ConnectionState::Closing);
            }
            None => {
                let last = self.inner.borrow().last_close.clone();
                self.finish(last.unwrap_or_else(abnormal));
            }
        }
        Ok(())
    }

    /// The current socket, if an attempt is under way or open.
    pub(crate) fn socket(&self) -> Option<WebSocketHandle> {
        let inner = self.inner.borrow();
        inner.attempt.as_ref().map(|attempt| attempt.handle.clone())
    }

    pub(crate) fn add_message_handler(&self, handler: MessageHandler) -> Option<u64> {
        let mut inner = self.inner.borrow_mut();
        if inner.state.is_closed() {
            return None;
        }
        inner.next_id += 1;
        let id = inner.next_id;
        inner.message_handlers.push((id, handler));
        Some(id)
    }

    pub(crate) fn add_state_handler(&self, handler: StateHandler) -> Option<u64> {
        let mut inner = self.inner.borrow_mut();
        if inner.state.is_closed() {
            return None;
        }
        inner.next_id += 1;
        let id = inner.next_id;
        inner.state_handlers.push((id, handler));
        Some(id)
    }

    pub(crate) fn remove_handler(&self, id: u64) {
        let removed = self.inner.try_borrow_mut().ok().map(|mut inner| {
            let message = take_by_id(&mut inner.message_handlers, id);
            let state = take_by_id(&mut inner.state_handlers, id);
            (message, state)
        });
        if let Some((_, Some(listener))) = &removed {
            listener.active.set(false);
        }
        drop(removed);
    }
}

fn take_by_id<T>(entries: &mut Vec<(u64, T)>, id: u64) -> Option<T> {
    let index = entries.iter().position(|(entry, _)| *entry == id)?;
    Some(entries.remove(index).1)
}

/// A timer or handler callback that runs `f` on the supervisor if it still exists.
fn with(weak: &Weak<Supervisor>, f: impl Fn(&Rc<Supervisor>) + 'static) -> impl Fn() + 'static {
    let weak = weak.clone();
    move || {
        if let Some(supervisor) = weak.upgrade() {
            f(&supervisor);
        }
    }
}

/// Sends on an open socket by reference, handing the message back if the socket refuses it.
fn send_now(handle: &WebSocketHandle, message: Message) -> Result<(), Message> {
    let sent = match &message {
        Message::Text(text) => handle.send_text(text),
        Message::Binary(bytes) => handle.send_bytes(bytes),
    };
    sent.map_err(|_| message)
}

impl Drop for Supervisor {
    /// The last handle is gone: the current socket closes with 1000 (its handshake is aborted
    /// if connecting) and every timer is cancelled as the fields drop. Outstanding `closed()`
    /// futures still resolve, with the browser's final event.
    fn drop(&mut self) {
        if self.ending.is_set() || Rc::strong_count(&self.ending) == 1 {
            return;
        }
        let inner = self.inner.get_mut();
        match inner.attempt.as_ref() {
            Some(attempt) => self.ending.listen_after_drop(attempt.handle.as_raw()),
            None => self
                .ending
                .set(inner.last_close.clone().unwrap_or_else(abnormal)),
        }
    }
}
