//! The reconnecting connection's state machine: its transitions are this file's methods. Under
//! it the state ([`link`]), sending ([`sending`]), the heartbeat ([`heartbeat`]) and who hears
//! what ([`subscribers`]). Events are tagged with their attempt's generation, timers are guards
//! owned by the [`link::Link`], and no borrow is held while application code runs
//! (ARCHITECTURE.md, State machines).

mod heartbeat;
mod link;
mod sending;
mod subscribers;

use std::cell::RefCell;
use std::rc::{Rc, Weak};
use std::time::Duration;

use gloo_timers::callback::Timeout;

use super::options::{timer_millis, ReconnectOptions};
use super::queue::SendQueue;
use super::status::{ConnectionState, Disconnect, ReconnectContext};
use crate::socket::conn::closed::Ending;
use crate::socket::protocols::validate_protocols;
use crate::util::handlers::HandlerList;
use crate::util::inbox::Inbox;
use crate::util::wakers::{WaiterKey, WakerSet};
use crate::{validate_close, CloseCode, CloseEvent, Error, Message, WebSocket, WebSocketHandle};
use heartbeat::HeartbeatRun;
use link::{abnormal, Attempt, Link};
pub(crate) use subscribers::StateListener;
use subscribers::{MessageHandler, StateHandler};

pub(crate) struct Inner {
    link: Link,
    /// The state last reported to the application: what `state()` says.
    reported: ConnectionState,
    /// Tags the current socket's events: any other generation is an abandoned socket's.
    generation: u64,
    /// Failed attempts in a row (see [`ReconnectContext::failures`]).
    failures: u32,
    /// Once any socket opened, an unclean final ending is a lost connection, not a failed connect.
    ever_opened: bool,
    pub(crate) queue: SendQueue,
    pub(crate) inbox: Inbox<Result<Message, Error>>,
    messages: HandlerList<MessageHandler>,
    states: HandlerList<StateHandler>,
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

    /// Attempting, open or closing -> idle (or closed): counts the failure (reset after
    /// `min_uptime`), asks the policy, then closes for good or schedules a retry.
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

    /// Idle -> waiting: draws the next retry's delay and arms its timer, or closes if none is left.
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
            // The browser refused to start (a SecurityError, say): retrying cannot help.
            let waker = self.inner.borrow_mut().inbox.push(Err(error));
            subscribers::wake(waker);
            self.finish(abnormal(), false);
        }
    }

    /// Any state -> closed for good: reports, ends the stream (an error if unclean and not
    /// `asked`), wakes every waiter and releases every handler.
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

impl Drop for Supervisor {
    /// The socket closes and the timers cancel as the fields drop; waiting `closed()` futures
    /// still resolve.
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
