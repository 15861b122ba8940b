//! The reconnecting connection's state machine: its transitions, every change of `inner.link`,
//! are this file's methods. Under it the state ([`link`]), building a supervisor ([`start`]),
//! its sockets ([`socket`]), the URL provider's task ([`provider`]), timers ([`timers`]),
//! sending ([`sending`]), the heartbeat ([`heartbeat`]), the page's lifecycle ([`lifecycle`])
//! and who hears what ([`subscribers`]). Events are tagged with their attempt's generation,
//! timers are guards owned by the [`link::Link`], and no borrow is held while application code
//! runs (ARCHITECTURE.md, State machines).

mod heartbeat;
mod lifecycle;
mod link;
mod provider;
mod sending;
mod socket;
mod start;
mod subscribers;
mod timers;

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use gloo_timers::callback::Timeout;

use super::endpoint::{Endpoint, Provided, Target};
use super::options::{timer_millis, ReconnectOptions};
use super::policy::Decision;
use super::status::{ConnectionState, Disconnect, ReconnectContext};
use crate::socket::conn::closed::Ending;
use crate::util::wakers::{WaiterKey, WakerSet};
use crate::{validate_close, CloseCode, CloseEvent, Error};
use heartbeat::HeartbeatRun;
use link::{abnormal, Attempt, Inner, Link};
use start::resolve;
pub(crate) use subscribers::StateListener;
use timers::{now, with};

/// One reconnecting connection: what it connects to, how, and its state; built by
/// [`Supervisor::start`].
pub(crate) struct Supervisor {
    target: Target,
    options: ReconnectOptions,
    pub(crate) inner: RefCell<Inner>,
    /// Sinks waiting for the connection to open or the queue to have room.
    pub(crate) ready_waiters: WakerSet,
    pub(crate) ready_key: WaiterKey,
    pub(crate) flush_key: WaiterKey,
    /// The final close event, for `closed()` futures.
    pub(crate) ending: Rc<Ending>,
    /// The network and page-lifecycle listeners, set once the supervisor exists.
    watch: RefCell<Option<lifecycle::Watch>>,
}

impl Supervisor {
    /// Idle, waiting or offline -> providing or attempting (offline while the browser is).
    fn attempt(self: &Rc<Self>) -> Result<(), Error> {
        if self.options.pause_while_offline && !lifecycle::online() {
            if matches!(self.inner.borrow().link, Link::Offline { .. }) {
                return Ok(());
            }
            return self.pause();
        }
        match &self.target {
            Target::Fixed(endpoint) => self.connect(endpoint),
            Target::Provider(provider) => {
                self.provide(provider);
                Ok(())
            }
        }
    }

    /// -> offline: no timer, no attempt, until `online` (or a resume that finds the browser online).
    fn pause(self: &Rc<Self>) -> Result<(), Error> {
        let (previous, cause, attempt) = {
            let mut inner = self.inner.borrow_mut();
            let last = inner.last();
            let previous = std::mem::replace(&mut inner.link, Link::Offline { last });
            let cause = match &previous {
                Link::Waiting { cause, .. } => Some(cause.clone()),
                _ => None,
            };
            (previous, cause, inner.failures)
        };
        drop(previous);
        self.set_state(ConnectionState::Offline { attempt, cause });
        Ok(())
    }

    /// Idle or waiting -> providing: calls the provider (no borrow held), runs what it returns.
    fn provide(self: &Rc<Self>, provider: &RefCell<Box<dyn FnMut() -> Provided>>) {
        let generation = self.next_generation();
        let Some(task) = self.run_provider(provider, generation) else {
            // The provider called close().
            return;
        };
        let timer = self.connect_timer(generation);
        let (previous, attempt) = {
            let mut inner = self.inner.borrow_mut();
            let last = inner.last();
            let link = Link::Providing {
                _task: task,
                _timer: timer,
                last,
            };
            (std::mem::replace(&mut inner.link, link), inner.failures)
        };
        drop(previous);
        self.set_state(ConnectionState::Connecting { attempt });
    }

    /// The provider returned: providing -> attempting, or a failed attempt (its error the cause).
    fn provided(self: &Rc<Self>, generation: u64, result: Result<Endpoint, String>) {
        {
            let inner = self.inner.borrow();
            if !inner.is_current(generation) || !matches!(inner.link, Link::Providing { .. }) {
                return;
            }
        }
        let connected = result.and_then(|endpoint| {
            let endpoint = resolve(&endpoint, &self.options).map_err(|e| e.to_string())?;
            self.connect(&endpoint).map_err(|e| e.to_string())
        });
        if let Err(error) = connected {
            self.end(generation, Disconnect::Provider(error));
        }
    }

    /// A new generation: events of every earlier one are stale.
    fn next_generation(&self) -> u64 {
        let mut inner = self.inner.borrow_mut();
        inner.generation += 1;
        inner.generation
    }

    /// Idle, waiting or providing -> attempting: opens a socket to `endpoint` (resolved).
    fn connect(self: &Rc<Self>, endpoint: &Endpoint) -> Result<(), Error> {
        let socket = self.open_socket(endpoint)?;
        let generation = self.next_generation();
        let attempt_number = {
            let mut inner = self.inner.borrow_mut();
            endpoint.url().clone_into(&mut inner.url);
            inner.failures
        };
        let guards = self.listen(&socket, generation);
        let timer = self.connect_timer(generation);
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
        let decision = (self.options.policy)(&context);
        // The policy may have called `close()` meanwhile: then the link is closed already.
        let last = {
            let inner = self.inner.borrow();
            match &inner.link {
                Link::Idle { last } => last.clone(),
                _ => return,
            }
        };
        self.schedule(decision, context, last);
    }

    /// Idle -> waiting (offline while the browser is): the delay `decision` gives, or closed
    /// for good if it says stop or no retry is left.
    fn schedule(self: &Rc<Self>, decision: Decision, context: ReconnectContext, last: CloseEvent) {
        let retry = context.failures.saturating_sub(1);
        let backoff = &self.options.backoff;
        let delay = match decision {
            Decision::Stop => None,
            Decision::Retry => backoff.delay(retry, js_sys::Math::random()),
            Decision::RetryLater => backoff
                .delay(retry, js_sys::Math::random())
                .map(|delay| delay.max(backoff.get_max_delay())),
            Decision::RetryAfter(delay) => Some(delay),
        };
        let Some(delay) = delay else {
            return self.finish(last, false);
        };
        let weak = Rc::downgrade(self);
        let timer = Timeout::new(timer_millis(delay), with(&weak, |s| s.retry()));
        let previous = std::mem::replace(
            &mut self.inner.borrow_mut().link,
            Link::Waiting {
                _timer: timer,
                last,
                cause: context.cause.clone(),
            },
        );
        drop(previous);
        if self.options.pause_while_offline && !lifecycle::online() {
            let _ = self.pause();
            return;
        }
        self.set_state(ConnectionState::Reconnecting {
            attempt: context.failures,
            delay,
            cause: context.cause,
        });
    }

    /// The retry timer fired, the browser came online or the page resumed: waiting (or
    /// offline) -> attempting.
    fn retry(self: &Rc<Self>) {
        if !matches!(
            self.inner.borrow().link,
            Link::Waiting { .. } | Link::Offline { .. }
        ) {
            return;
        }
        if let Err(error) = self.attempt() {
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
                // Node 26 delivers `close` inside `close()`: then the link is already done.
                if matches!(self.inner.borrow().link, Link::Closing { .. }) {
                    self.set_state(ConnectionState::Closing);
                }
            }
            None => {
                let last = self.inner.borrow().last();
                self.finish(last, true);
            }
        }
        Ok(())
    }
}
