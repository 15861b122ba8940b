//! The state machine behind a reconnecting connection: one socket at a time, the retry timer,
//! the connect timeout, the heartbeat, the send queue and the subscribers.
//!
//! Every socket event arrives through a typed handler tagged with the attempt's generation, so
//! an event from an abandoned socket is ignored. Every timer is a `gloo_timers` guard owned
//! here, so dropping the connection cancels them all. No borrow is held while application
//! code (handlers, the predicate, the heartbeat matcher) runs.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::{Rc, Weak};
use std::task::Waker;
use std::time::Duration;

use gloo_timers::callback::{Interval, Timeout};

use super::options::ReconnectOptions;
use super::queue::SendQueue;
use super::status::{ConnectionState, Delivery, Disconnect};
use crate::closed::Ending;
use crate::fifo::Fifo;
use crate::protocols::validate_protocols;
use crate::wakers::{WaiterKey, WakerSet};
use crate::{
    url, validate_close, CloseCode, CloseEvent, Error, HandlerGuard, Message, State, WebSocket,
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
}

impl StateListener {
    pub(crate) fn new(handler: impl FnMut(&ConnectionState) + 'static) -> Rc<Self> {
        Rc::new(StateListener {
            handler: RefCell::new(Box::new(handler)),
            pending: RefCell::new(VecDeque::new()),
        })
    }

    fn push(&self, state: &ConnectionState) {
        self.pending.borrow_mut().push_back(state.clone());
    }

    fn drain(&self) {
        let Ok(mut handler) = self.handler.try_borrow_mut() else {
            return; // running further up the stack: it drains when it returns
        };
        loop {
            let next = self.pending.borrow_mut().pop_front();
            let Some(state) = next else { break };
            handler(&state);
        }
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
    _guards: [HandlerGuard; 3],
    connect_timer: Option<Timeout>,
    heartbeat: Option<HeartbeatRun>,
}

/// The heartbeat of one open socket: the ping timer, and the deadline of the first
/// unanswered ping.
struct HeartbeatRun {
    _pings: Interval,
    deadline: Option<Timeout>,
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
    /// Consecutive failed attempts since the last open.
    failures: u32,
    retry_timer: Option<Timeout>,
    pub(crate) queue: SendQueue,
    pub(crate) inbox: Fifo<Result<Message, Error>>,
    pub(crate) stream: StreamState,
    pub(crate) stream_waker: Option<Waker>,
    ever_opened: bool,
    close_requested: bool,
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

fn millis(duration: Duration) -> u32 {
    u32::try_from(duration.as_millis()).unwrap_or(u32::MAX)
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
        let resolved = url::resolve(url)?;
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
            socket.on_close({
                let weak = weak.clone();
                move |event| {
                    if let Some(s) = weak.upgrade() {
                        s.ended(generation, event);
                    }
                }
            }),
        ];
        let connect_timer = self.options.connect_timeout.map(|timeout| {
            Timeout::new(
                millis(timeout),
                with(&weak, move |s| {
                    s.abandon(generation, Disconnect::ConnectTimeout);
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
            heartbeat: None,
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
        let (timer, handle) = {
            let mut inner = self.inner.borrow_mut();
            inner.failures = 0;
            inner.ever_opened = true;
            inner.state = ConnectionState::Open;
            let Some(attempt) = inner.attempt.as_mut() else {
                return;
            };
            attempt.heartbeat = heartbeat;
            (attempt.connect_timer.take(), attempt.handle.clone())
        };
        drop(timer);
        self.flush_queue(&handle);
        self.set_state(ConnectionState::Open);
    }

    /// Sends every queued message, oldest first; stops (keeping the rest) if the socket
    /// refuses one.
    fn flush_queue(&self, handle: &WebSocketHandle) {
        loop {
            let Some(message) = self.inner.borrow_mut().queue.pop_front() else {
                break;
            };
            if let Err(message) = send_now(handle, message) {
                self.inner.borrow_mut().queue.push_front(message);
                break;
            }
        }
    }

    fn start_heartbeat(self: &Rc<Self>, generation: u64) -> Option<HeartbeatRun> {
        let heartbeat = self.options.heartbeat.as_ref()?;
        let weak = Rc::downgrade(self);
        let pings = Interval::new(
            millis(heartbeat.interval),
            with(&weak, move |s| s.ping(generation)),
        );
        Some(HeartbeatRun {
            _pings: pings,
            deadline: None,
        })
    }

    /// Sends a heartbeat ping and, unless one is pending, starts the reply deadline.
    fn ping(self: &Rc<Self>, generation: u64) {
        let Some(heartbeat) = self.options.heartbeat.as_ref() else {
            return;
        };
        if !self.is_current(generation) {
            return;
        }
        let weak = Rc::downgrade(self);
        let handle = {
            let mut inner = self.inner.borrow_mut();
            let Some(attempt) = inner.attempt.as_mut() else {
                return;
            };
            if let Some(run) = attempt.heartbeat.as_mut() {
                if run.deadline.is_none() {
                    run.deadline = Some(Timeout::new(
                        millis(heartbeat.timeout),
                        with(&weak, move |s| {
                            s.abandon(generation, Disconnect::HeartbeatTimeout);
                        }),
                    ));
                }
            }
            attempt.handle.clone()
        };
        let _ = send_now(&handle, heartbeat.message.clone());
    }

    /// A message from the current socket: a heartbeat reply clears the deadline; anything
    /// else goes to the handlers and the stream.
    fn received(&self, generation: u64, message: Message) {
        if !self.is_current(generation) {
            return;
        }
        if let Some(heartbeat) = self.options.heartbeat.as_ref() {
            if heartbeat.is_reply(&message) {
                let deadline = {
                    let mut inner = self.inner.borrow_mut();
                    inner
                        .attempt
                        .as_mut()
                        .and_then(|attempt| attempt.heartbeat.as_mut())
                        .and_then(|run| run.deadline.take())
                };
                drop(deadline);
                return;
            }
        }
        let (handlers, to_stream) = {
            let inner = self.inner.borrow();
            let handlers: Vec<MessageHandler> = inner
                .message_handlers
                .iter()
                .map(|(_, handler)| Rc::clone(handler))
                .collect();
            let to_stream = inner.stream == StreamState::Claimed
                || (inner.stream == StreamState::Unclaimed && handlers.is_empty());
            (handlers, to_stream)
        };
        let mut message = Some(message);
        if to_stream {
            let item = if handlers.is_empty() {
                message.take()
            } else {
                message.clone()
            };
            let waker = {
                let mut inner = self.inner.borrow_mut();
                if let Some(message) = item {
                    inner.inbox.push_back(Ok(message));
                }
                inner.stream_waker.take()
            };
            if let Some(waker) = waker {
                waker.wake();
            }
        }
        // Every handler but the last gets a copy; the last gets the message itself.
        if let Some((last, others)) = handlers.split_last() {
            for handler in others {
                if let Some(message) = &message {
                    call(handler, |f| f(message.clone()));
                }
            }
            if let Some(message) = message {
                call(last, |f| f(message));
            }
        }
    }

    /// The current socket closed.
    fn ended(self: &Rc<Self>, generation: u64, event: CloseEvent) {
        if !self.is_current(generation) {
            return;
        }
        let (attempt, close_requested) = {
            let mut inner = self.inner.borrow_mut();
            inner.last_close = Some(event.clone());
            (inner.attempt.take(), inner.close_requested)
        };
        drop(attempt);
        if close_requested || !(self.options.should_reconnect)(&event) {
            self.finish(event);
        } else {
            self.schedule(Disconnect::Closed(event));
        }
    }

    /// Gives up on the current socket (connect or heartbeat timeout): drops it, which aborts
    /// its handshake or closes it, and schedules a retry.
    fn abandon(self: &Rc<Self>, generation: u64, cause: Disconnect) {
        if !self.is_current(generation) {
            return;
        }
        let attempt = self.inner.borrow_mut().attempt.take();
        drop(attempt);
        self.schedule(cause);
    }

    /// Draws the next delay and arms the retry timer, or closes for good when retries are
    /// exhausted.
    fn schedule(self: &Rc<Self>, cause: Disconnect) {
        let (retry, close_requested, closed) = {
            let inner = self.inner.borrow();
            (
                inner.failures,
                inner.close_requested,
                inner.state.is_closed(),
            )
        };
        if closed {
            return;
        }
        if close_requested {
            // `close()` ran while this ending was being handled (from the predicate, say).
            let last = self.inner.borrow().last_close.clone();
            self.finish(last.unwrap_or_else(abnormal));
            return;
        }
        let Some(delay) = self.options.backoff.delay(retry, js_sys::Math::random()) else {
            let last = self.inner.borrow().last_close.clone();
            let event = match cause {
                Disconnect::Closed(event) => event,
                _ => last.unwrap_or_else(abnormal),
            };
            self.finish(event);
            return;
        };
        let weak = Rc::downgrade(self);
        let timer = Timeout::new(millis(delay), with(&weak, |s| s.retry()));
        let previous = {
            let mut inner = self.inner.borrow_mut();
            inner.failures = retry.saturating_add(1);
            inner.retry_timer.replace(timer)
        };
        drop(previous);
        self.set_state(ConnectionState::Reconnecting {
            attempt: retry.saturating_add(1),
            delay,
            cause,
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
        let (attempt, timer, state_handlers, message_handlers, stream) = {
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
            (
                inner.attempt.take(),
                inner.retry_timer.take(),
                std::mem::take(&mut inner.state_handlers),
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
        let listeners: Vec<StateHandler> = state_handlers.into_iter().map(|(_, l)| l).collect();
        notify(&listeners, &ConnectionState::Closed(event));
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
        let handle = {
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
            match inner.attempt.as_ref() {
                Some(attempt) if open => attempt.handle.clone(),
                _ => return inner.queue.push(message).map(|()| Delivery::Queued),
            }
        };
        match send_now(&handle, message) {
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
