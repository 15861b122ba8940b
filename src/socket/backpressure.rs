//! Backpressure for the Sink: `bufferedAmount` high and low watermarks, and the wait for the
//! send buffer to drain. No event says it went down, so a waiting Sink re-checks on a timer (one
//! per socket, cancelled on drop); nothing polls while no one waits.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::task::{Context, Poll};

use gloo_timers::callback::Timeout;

use crate::util::lazy_box::LazyBox;
use crate::util::wakers::{WaiterKey, WakerSet};

/// How often a waiting Sink re-reads `bufferedAmount`, in ms (browsers clamp to about 4 ms).
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

/// Which watermark a Sink future waits for.
#[derive(Clone, Copy)]
pub(crate) enum Mark {
    /// `poll_ready`: at most [`Watermarks::high`].
    High,
    /// `poll_flush`: at most [`Watermarks::low`].
    Low,
}

/// One socket's watermarks and the Sink futures waiting for its buffer to drain.
#[derive(Default)]
pub(crate) struct BufferWatch {
    /// Created by the first wait or non-default [`set_marks`](Self::set_marks), in a [`LazyBox`]
    /// (ARCHITECTURE.md, Size techniques).
    drain: RefCell<LazyBox<Rc<Drain>>>,
    /// [`BufferWatch::stop_waiting`], set by the first wait (ARCHITECTURE.md, Size techniques).
    release: Cell<Option<fn(&BufferWatch)>>,
}

/// The marks and their waiters; the timer's callback holds it weakly, as it owns the timer.
#[derive(Default)]
struct Drain {
    marks: Cell<Watermarks>,
    waiters: WakerSet,
    /// The Sink's `poll_ready` and `poll_flush` slots in `waiters`.
    ready_key: WaiterKey,
    flush_key: WaiterKey,
    timer: RefCell<Option<Timeout>>,
    /// A re-check is scheduled and has not run yet.
    armed: Cell<bool>,
}

impl Drain {
    fn key(&self, mark: Mark) -> &WaiterKey {
        match mark {
            Mark::High => &self.ready_key,
            Mark::Low => &self.flush_key,
        }
    }
}

impl BufferWatch {
    pub(crate) fn marks(&self) -> Watermarks {
        self.drain
            .borrow()
            .get()
            .map_or_else(Watermarks::default, |drain| drain.marks.get())
    }

    pub(crate) fn set_marks(&self, marks: Watermarks) {
        let drain = match self.drain() {
            Some(drain) => drain,
            // Nothing to record (every reconnect attempt sets the marks, defaults included).
            None if marks == Watermarks::default() => return,
            None => Rc::clone(self.drain.borrow_mut().get_or_default()),
        };
        drain.marks.set(marks);
        // Let waiters re-check against the new thresholds.
        drain.waiters.wake_all();
    }

    /// The marks and waits, if the Sink ever waited or the marks were ever set.
    fn drain(&self) -> Option<Rc<Drain>> {
        self.drain.borrow().get().cloned()
    }

    /// Ready once `buffered` is at most the watermark `mark`; otherwise registers the Sink's
    /// waiter for it and makes sure a re-check is scheduled.
    pub(crate) fn poll_at_most(&self, buffered: u32, mark: Mark, cx: &mut Context<'_>) -> Poll<()> {
        let marks = self.marks();
        let limit = match mark {
            Mark::High => marks.high(),
            Mark::Low => marks.low(),
        };
        if buffered <= limit {
            if let Some(drain) = self.drain() {
                drain.waiters.remove(drain.key(mark));
            }
            return Poll::Ready(());
        }
        let drain = Rc::clone(self.drain.borrow_mut().get_or_default());
        drain.waiters.register(drain.key(mark), cx.waker());
        self.release.set(Some(BufferWatch::stop_waiting));
        if !drain.armed.replace(true) {
            let weak = Rc::downgrade(&drain);
            let timer = Timeout::new(RECHECK_MS, move || {
                if let Some(drain) = weak.upgrade() {
                    drain.armed.set(false);
                    drain.waiters.wake_all();
                }
            });
            let previous = drain.timer.borrow_mut().replace(timer);
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
        let Some(drain) = self.drain() else { return };
        let timer = drain.timer.borrow_mut().take();
        drop(timer);
        drain.armed.set(false);
        drain.waiters.wake_all();
    }
}
