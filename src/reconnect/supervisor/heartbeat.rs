//! The heartbeat of an open socket: a ping every interval, and the wait for a sign of life
//! after the first unanswered one (see [`Heartbeat`](crate::Heartbeat) for the rules).

use std::rc::Rc;

use gloo_timers::callback::Interval;

use super::timers::{now, with};
use super::Supervisor;
use crate::reconnect::options::timer_millis;
use crate::{Disconnect, Message};

/// The ping timer of one open socket, and the wait after the first unanswered ping.
pub(super) struct HeartbeatRun {
    _pings: Interval,
    wait: Option<PingWait>,
}

/// The wait after a ping: time counts once the ping left the browser, or while the buffer
/// stops draining (a dead link with data queued).
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

impl Supervisor {
    pub(super) fn start_heartbeat(self: &Rc<Self>, generation: u64) -> Option<HeartbeatRun> {
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

    /// Checks an open connection now (network change, resume): a fresh ping, and a fresh wait
    /// for it, so the time the page was frozen or hidden does not count.
    pub(super) fn check_now(self: &Rc<Self>) {
        let (generation, wait) = {
            let mut inner = self.inner.borrow_mut();
            let generation = inner.generation;
            match inner.heartbeat_mut() {
                Some((_, run)) => (generation, run.wait.take()),
                None => return,
            }
        };
        drop(wait);
        self.ping(generation);
    }

    /// Sends a ping and, unless already waiting, waits for a sign of life, checked every eighth
    /// of the timeout (10 ms to 1 s).
    fn ping(self: &Rc<Self>, generation: u64) {
        let Some(heartbeat) = self.options.heartbeat.as_ref() else {
            return;
        };
        if !self.inner.borrow().is_current(generation)
            || self.hand_over(heartbeat.message.clone()).is_err()
        {
            return;
        }
        let step = timer_millis(heartbeat.timeout / 8).clamp(10, 1_000);
        let weak = Rc::downgrade(self);
        let mut inner = self.inner.borrow_mut();
        let Some((socket, run)) = inner.heartbeat_mut() else {
            return;
        };
        let drained = socket.drained();
        let mark = socket.sent_bytes;
        run.wait.get_or_insert_with(|| PingWait {
            mark,
            counted: 0.0,
            checked_at: now(),
            drained,
            _checks: Interval::new(step, with(&weak, move |s| s.check_ping(generation))),
        });
    }

    /// Counts the time since the last check if the ping has left the browser or the send
    /// buffer did not drain meanwhile; past the timeout, the connection is dead.
    fn check_ping(self: &Rc<Self>, generation: u64) {
        let Some(heartbeat) = self.options.heartbeat.as_ref() else {
            return;
        };
        let expired = {
            let mut inner = self.inner.borrow_mut();
            if !inner.is_current(generation) {
                return;
            }
            let Some((socket, run)) = inner.heartbeat_mut() else {
                return;
            };
            let drained = socket.drained();
            let Some(wait) = run.wait.as_mut() else {
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

    /// Ends the wait on a sign of life (any message, or only a reply); whether it is a reply,
    /// which the connection consumes.
    pub(super) fn sign_of_life(&self, message: &Message) -> bool {
        let Some(heartbeat) = self.options.heartbeat.as_ref() else {
            return false;
        };
        let reply = heartbeat.is_reply(message);
        if reply || !heartbeat.require_reply {
            let wait = self
                .inner
                .borrow_mut()
                .heartbeat_mut()
                .and_then(|(_, run)| run.wait.take());
            drop(wait);
        }
        reply
    }
}
