//! The state machine behind a reconnecting connection: [`Link`], one socket at a time with the
//! retry timer and the connect timeout, and the send queue; the heartbeat ([`heartbeat`]) and
//! the stream and subscribers ([`subscribers`]) are its children. The transitions are the
//! methods of this file; `ARCHITECTURE.md` draws them.
//!
//! Every socket event arrives through a typed handler tagged with the attempt's generation, so
//! an event from an abandoned socket is ignored. Every timer is a `gloo_timers` guard owned by
//! the link, so leaving a state cancels its timers. No borrow is held while application code
//! (handlers, the policy, the heartbeat matcher) runs.

mod heartbeat;
mod subscribers;

use std::cell::RefCell;
use std::rc::{Rc, Weak};
use std::time::Duration;

use gloo_timers::callback::Timeout;

use super::options::{timer_millis, ReconnectOptions};
use super::queue::SendQueue;
use super::status::{ConnectionState, Delivery, Disconnect, ReconnectContext};
use crate::socket::conn::closed::Ending;
use crate::socket::protocols::validate_protocols;
use crate::util::handlers::HandlerList;
use crate::util::inbox::Inbox;
use crate::util::wakers::{WaiterKey, WakerSet};
use crate::{
    validate_close, CloseCode, CloseEvent, Error, HandlerGuard, Message, State, WebSocket,
    WebSocketHandle,
};
use heartbeat::HeartbeatRun;
pub(crate) use subscribers::StateListener;
use subscribers::{MessageHandler, StateHandler};

/// One socket and what lives exactly as long as it.
struct Attempt {
    handle: WebSocketHandle,
    _guards: [HandlerGuard; 4],
    /// Payload bytes handed to this socket: with `bufferedAmount`, what has left the browser.
    sent_bytes: f64,
    /// A received message was refused as too big: its close is [`Disconnect::MessageTooBig`].
    refused: bool,
}

/// The connection's lifecycle: the socket it has, if any, and what goes with that state.
enum Link {
    /// No socket: the first is about to be opened, or the policy is deciding what follows the
    /// ending whose event is `last` (1006 for a timeout, which has none).
    Idle { last: CloseEvent },
    /// A handshake is under way, aborted by `timer` if it takes too long.
    Attempting {
        socket: Attempt,
        timer: Option<Timeout>,
    },
    /// The socket is open since `since` (`Date.now()`), watched by its heartbeat.
    Open {
        socket: Attempt,
        since: f64,
        heartbeat: Option<HeartbeatRun>,
    },
    /// No socket: waiting for the retry timer (the state reported says how long and why);
    /// `last`: the event of the ending before.
    Waiting { _timer: Timeout, last: CloseEvent },
    /// `close()` was called: the socket is closing.
    Closing { socket: Attempt },
    /// Closed for good.
    Closed(CloseEvent),
}

pub(crate) struct Inner {
    link: Link,
    /// The state last reported to the application: what `state()` says.
    reported: ConnectionState,
    /// Tags the current socket's events (see the module docs).
    generation: u64,
    /// Failed attempts in a row (see [`ReconnectContext::failures`]).
    failures: u32,
    /// Why a flag: once any socket opened, an unclean final ending is a lost connection, not a
    /// failed connect.
    ever_opened: bool,
    pub(crate) queue: SendQueue,
    pub(crate) inbox: Inbox<Result<Message, Error>>,
    messages: HandlerList<MessageHandler>,
    states: HandlerList<StateHandler>,
}

impl Inner {
    /// What the connection is doing, as last reported.
    pub(crate) fn state(&self) -> &ConnectionState {
        &self.reported
    }

    /// Whether messages sent now go straight to the network.
    pub(crate) fn is_open(&self) -> bool {
        matches!(self.link, Link::Open { .. })
    }

    /// Closing or closed: nothing more can be sent.
    pub(crate) fn is_done(&self) -> bool {
        matches!(self.link, Link::Closing { .. } | Link::Closed(_))
    }

    pub(crate) fn is_closed(&self) -> bool {
        matches!(self.link, Link::Closed(_))
    }

    /// The socket, while there is one.
    fn socket(&self) -> Option<&Attempt> {
        match &self.link {
            Link::Attempting { socket, .. }
            | Link::Open { socket, .. }
            | Link::Closing { socket } => Some(socket),
            Link::Idle { .. } | Link::Waiting { .. } | Link::Closed(_) => None,
        }
    }

    fn socket_mut(&mut self) -> Option<&mut Attempt> {
        match &mut self.link {
            Link::Attempting { socket, .. }
            | Link::Open { socket, .. }
            | Link::Closing { socket } => Some(socket),
            Link::Idle { .. } | Link::Waiting { .. } | Link::Closed(_) => None,
        }
    }

    /// Whether `generation` tags the socket there is now.
    fn is_current(&self, generation: u64) -> bool {
        self.generation == generation && self.socket().is_some()
    }

    /// The event of the last ending, for a close while no socket exists.
    fn last(&self) -> CloseEvent {
        match &self.link {
            Link::Idle { last } | Link::Waiting { last, .. } | Link::Closed(last) => last.clone(),
            _ => abnormal(),
        }
    }
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

/// The close event reported when no browser event exists (an aborted attempt, a timeout).
fn abnormal() -> CloseEvent {
    CloseEvent {
        code: CloseCode::ABNORMAL,
        reason: String::new(),
        was_clean: false,
    }
}

impl Supervisor {
    /// Validates the options, the URL and the subprotocols, then starts the first attempt.
    pub(crate) fn start(url: &str, options: ReconnectOptions) -> Result<Rc<Supervisor>, Error> {
        options.validate()?;
        let resolved = crate::socket::url::resolve(url)?;
        let protocols: Vec<&str> = options.protocols.iter().map(String::as_str).collect();
        validate_protocols(&protocols)?;
        let supervisor = Rc::new(Supervisor {
            url: resolved,
            inner: RefCell::new(Inner {
                link: Link::Idle { last: abnormal() },
                reported: ConnectionState::Connecting { attempt: 0 },
                generation: 0,
                failures: 0,
                ever_opened: false,
                queue: SendQueue::new(options.queue),
                inbox: Inbox::default(),
                messages: HandlerList::default(),
                states: HandlerList::default(),
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

    /// Idle or waiting -> attempting: opens a socket for the next attempt.
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
        let timer = self.options.connect_timeout.map(|timeout| {
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
        let socket = Attempt {
            handle,
            _guards: guards,
            sent_bytes: 0.0,
            refused: false,
        };
        let previous = std::mem::replace(
            &mut self.inner.borrow_mut().link,
            Link::Attempting { socket, timer },
        );
        drop(previous);
        self.set_state(ConnectionState::Connecting {
            attempt: attempt_number,
        });
        Ok(())
    }

    /// Attempting -> open: starts the heartbeat, sends the queue in order, reports.
    fn opened(self: &Rc<Self>, generation: u64) {
        {
            let inner = self.inner.borrow();
            if !inner.is_current(generation) || !matches!(inner.link, Link::Attempting { .. }) {
                return;
            }
        }
        let heartbeat = self.start_heartbeat(generation);
        let previous = {
            let mut inner = self.inner.borrow_mut();
            inner.ever_opened = true;
            let last = inner.last();
            match std::mem::replace(&mut inner.link, Link::Idle { last }) {
                Link::Attempting { socket, timer } => {
                    inner.link = Link::Open {
                        socket,
                        since: now(),
                        heartbeat,
                    };
                    timer
                }
                other => {
                    inner.link = other;
                    None
                }
            }
        };
        drop(previous);
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

    /// Sends on the open socket, counting the bytes; hands the message back if there is none
    /// or it refuses.
    fn hand_over(&self, message: Message) -> Result<(), Message> {
        let handle = {
            let inner = self.inner.borrow();
            match &inner.link {
                Link::Open { socket, .. } => socket.handle.clone(),
                _ => return Err(message),
            }
        };
        let bytes = message.len() as f64;
        send_now(&handle, message)?;
        if let Some(socket) = self.inner.borrow_mut().socket_mut() {
            socket.sent_bytes += bytes;
        }
        Ok(())
    }

    /// Attempting, open or closing -> idle (or closed): the socket ended, or was given up on
    /// after a timeout (dropping it aborts its handshake, or closes it). Counts the failure
    /// unless the connection stayed up for the minimum uptime, asks the policy, and closes for
    /// good or schedules a retry.
    fn end(self: &Rc<Self>, generation: u64, cause: Disconnect) {
        let time = now();
        let (previous, closing, context) = {
            let mut inner = self.inner.borrow_mut();
            if !inner.is_current(generation) {
                return;
            }
            let refused = inner.socket().is_some_and(|socket| socket.refused);
            let cause = match cause {
                Disconnect::Closed(event) if refused => Disconnect::MessageTooBig(event),
                other => other,
            };
            let last = cause.close_event().cloned().unwrap_or_else(abnormal);
            let previous = std::mem::replace(&mut inner.link, Link::Idle { last });
            let (closing, uptime) = match &previous {
                Link::Open { since, .. } => (
                    false,
                    Some(Duration::from_secs_f64((time - since).max(0.0) / 1000.0)),
                ),
                Link::Closing { .. } => (true, None),
                _ => (false, None),
            };
            inner.failures = if uptime.is_some_and(|up| up >= self.options.min_uptime) {
                1
            } else {
                inner.failures.saturating_add(1)
            };
            let context = ReconnectContext::new(cause, inner.failures, uptime);
            (previous, closing, context)
        };
        drop(previous);
        if closing {
            let last = self.inner.borrow().last();
            return self.finish(last, true);
        }
        let again = (self.options.should_reconnect)(&context);
        // The policy may have called `close()` meanwhile: then the link is closed already.
        let last = {
            let inner = self.inner.borrow();
            match &inner.link {
                Link::Idle { last } => last.clone(),
                _ => return,
            }
        };
        if again {
            self.schedule(context, last);
        } else {
            self.finish(last, false);
        }
    }

    /// Idle -> waiting: draws the delay of the next retry and arms its timer, or closes for
    /// good when the retries have run out.
    fn schedule(self: &Rc<Self>, context: ReconnectContext, last: CloseEvent) {
        let retry = context.failures.saturating_sub(1);
        let Some(delay) = self.options.backoff.delay(retry, js_sys::Math::random()) else {
            return self.finish(last, false);
        };
        let weak = Rc::downgrade(self);
        let timer = Timeout::new(timer_millis(delay), with(&weak, |s| s.retry()));
        let previous = std::mem::replace(
            &mut self.inner.borrow_mut().link,
            Link::Waiting {
                _timer: timer,
                last,
            },
        );
        drop(previous);
        self.set_state(ConnectionState::Reconnecting {
            attempt: context.failures,
            delay,
            cause: context.cause,
        });
    }

    /// The retry timer fired: waiting -> attempting.
    fn retry(self: &Rc<Self>) {
        if !matches!(self.inner.borrow().link, Link::Waiting { .. }) {
            return;
        }
        if let Err(error) = self.connect() {
            // The browser refused to even start (for example a SecurityError): retrying
            // cannot help. The stream reports why.
            let waker = self.inner.borrow_mut().inbox.push(Err(error));
            subscribers::wake(waker);
            self.finish(abnormal(), false);
        }
    }

    /// Any state -> closed, for good: reports the final state, ends the stream (with an error
    /// for an unclean ending the application did not ask for), wakes every waiter, releases
    /// every handler (so captured handles cannot keep anything alive).
    fn finish(&self, event: CloseEvent, asked: bool) {
        let (previous, message_handlers, stream) = {
            let mut inner = self.inner.borrow_mut();
            if inner.is_closed() {
                return;
            }
            let mut stream = inner.inbox.take_waker();
            if !asked && !event.was_clean {
                let error = if inner.ever_opened {
                    Error::ConnectionLost(event.clone())
                } else {
                    Error::ConnectFailed(event.clone())
                };
                stream = stream.or(inner.inbox.push(Err(error)));
            }
            let previous = std::mem::replace(&mut inner.link, Link::Closed(event.clone()));
            (previous, inner.messages.take_all(), stream)
        };
        drop((previous, message_handlers));
        self.ending.set(event.clone());
        subscribers::wake(stream);
        self.set_state(ConnectionState::Closed(event));
        // Nothing follows `Closed`: release the state handlers (and what they captured).
        let released = self.inner.borrow_mut().states.take_all();
        drop(released);
    }

    // ---- what the public handle calls ----

    pub(crate) fn send(&self, message: Message) -> Result<Delivery, Error> {
        {
            let mut inner = self.inner.borrow_mut();
            if inner.is_done() {
                let state = if inner.is_closed() {
                    State::Closed
                } else {
                    State::Closing
                };
                return Err(Error::NotOpen(state));
            }
            if !(inner.is_open() && inner.queue.is_empty()) {
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

    /// Attempting or open -> closing; idle or waiting -> closed (cancelling the retry).
    pub(crate) fn close(&self, code: CloseCode, reason: &str) -> Result<(), Error> {
        validate_close(code, reason)?;
        let handle = {
            let mut inner = self.inner.borrow_mut();
            if inner.is_done() {
                return Ok(());
            }
            let last = inner.last();
            match std::mem::replace(&mut inner.link, Link::Idle { last }) {
                Link::Attempting { socket, .. } | Link::Open { socket, .. } => {
                    let handle = socket.handle.clone();
                    inner.link = Link::Closing { socket };
                    Some(handle)
                }
                other => {
                    inner.link = other;
                    None
                }
            }
        };
        match handle {
            Some(handle) => {
                handle.close_with(code, reason)?;
                self.set_state(ConnectionState::Closing);
            }
            None => {
                let last = self.inner.borrow().last();
                self.finish(last, true);
            }
        }
        Ok(())
    }

    /// The current socket (connecting, open or closing), if any.
    pub(crate) fn socket(&self) -> Option<WebSocketHandle> {
        let inner = self.inner.borrow();
        inner.socket().map(|socket| socket.handle.clone())
    }
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
        match inner.socket() {
            Some(socket) => self.ending.listen_after_drop(socket.handle.as_raw()),
            None => self.ending.set(inner.last()),
        }
    }
}
