//! Backpressure for the Sink: `bufferedAmount` high and low watermarks, and the wait for the
//! browser's send buffer to drain below one of them.
//!
//! The browser fires no event when `bufferedAmount` goes down, so a waiting Sink re-checks it
//! on a short timer (one per socket, owned here and cancelled on drop); nothing polls while no
//! one waits.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::task::{Context, Poll};

use gloo_timers::callback::Timeout;

use crate::lazy_box::LazyBox;
use crate::wakers::{WaiterKey, WakerSet};

/// How often a waiting Sink re-reads `bufferedAmount`, in milliseconds (browsers clamp
/// repeated timers to about 4 ms).
const RECHECK_MS: u32 = 1;

/// The Sink's `bufferedAmount` thresholds, in bytes: `poll_ready` waits while the browser's
/// send buffer holds more than `high` bytes, and `poll_flush` waits until it holds at most
/// `low`. With the default (1 MiB / 256 KiB), a producer that awaits each send keeps the
/// browser's buffer at most one message above 1 MiB however fast it produces.
///
/// See [MDN `bufferedAmount`](https://developer.mozilla.org/en-US/docs/Web/API/WebSocket/bufferedAmount).
///
/// ```
/// use browser_ws::Watermarks;
///
/// let marks = Watermarks::new(4 << 20, 1 << 20);
/// assert_eq!((marks.high(), marks.low()), (4 << 20, 1 << 20));
/// // A low mark above the high one is lowered to it.
/// assert_eq!(Watermarks::new(100, 500).low(), 100);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Watermarks {
    high: u32,
    low: u32,
}

impl Default for Watermarks {
    /// High 1 MiB, low 256 KiB.
    fn default() -> Self {
        Watermarks {
            high: 1 << 20,
            low: 256 << 10,
        }
    }
}

impl Watermarks {
    /// Thresholds in bytes; a `low` above `high` becomes `high`.
    #[must_use]
    pub fn new(high: u32, low: u32) -> Self {
        Watermarks {
            high,
            low: low.min(high),
        }
    }

    /// `poll_ready` waits while `bufferedAmount` is above this.
    #[must_use]
    pub fn high(&self) -> u32 {
        self.high
    }

    /// `poll_flush` waits until `bufferedAmount` is at most this.
    #[must_use]
    pub fn low(&self) -> u32 {
        self.low
    }
}

/// One socket's watermarks and the Sink futures waiting for its buffer to drain.
#[derive(Default)]
pub(crate) struct BufferWatch {
    marks: Cell<Watermarks>,
    waiters: Rc<WakerSet>,
    /// The re-check timer, in a [`LazyBox`] created by the first wait: an application that
    /// never waits on the Sink links neither the timer's code nor its drop.
    timer: RefCell<LazyBox<Option<Timeout>>>,
    armed: Rc<Cell<bool>>,
    /// [`BufferWatch::stop_waiting`], installed by the first wait (until then, nothing waits
    /// and there is nothing to release).
    release: Cell<Option<fn(&BufferWatch)>>,
    pub(crate) ready_key: WaiterKey,
    pub(crate) flush_key: WaiterKey,
}

impl BufferWatch {
    pub(crate) fn marks(&self) -> Watermarks {
        self.marks.get()
    }

    pub(crate) fn set_marks(&self, marks: Watermarks) {
        self.marks.set(marks);
        // Let waiters re-check against the new thresholds.
        self.waiters.wake_all();
    }

    /// Ready once `buffered()` is at most `limit`; otherwise registers the waiter `key` and
    /// makes sure a re-check is scheduled.
    pub(crate) fn poll_at_most(
        &self,
        buffered: u32,
        limit: u32,
        key: &WaiterKey,
        cx: &mut Context<'_>,
    ) -> Poll<()> {
        if buffered <= limit {
            self.waiters.remove(key);
            return Poll::Ready(());
        }
        self.waiters.register(key, cx.waker());
        self.release.set(Some(BufferWatch::stop_waiting));
        if !self.armed.get() {
            self.armed.set(true);
            let waiters = Rc::clone(&self.waiters);
            let armed = Rc::clone(&self.armed);
            let timer = Timeout::new(RECHECK_MS, move || {
                armed.set(false);
                waiters.wake_all();
            });
            let previous = self.timer.borrow_mut().get_or_default().replace(timer);
            drop(previous);
        }
        Poll::Pending
    }

    /// Stops re-checking and wakes every waiter (the socket is closing: they fail or finish).
    pub(crate) fn release(&self) {
        if let Some(release) = self.release.get() {
            release(self);
        }
    }

    fn stop_waiting(&self) {
        let timer = self.timer.borrow_mut().get_mut().and_then(Option::take);
        drop(timer);
        self.armed.set(false);
        self.waiters.wake_all();
    }
}
