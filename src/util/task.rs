//! [`Task`]: a future run on the microtask queue (`spawn_local`), dropped, not just ignored,
//! when its guard is dropped.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

type LocalFuture = Pin<Box<dyn Future<Output = ()>>>;

/// The future, out of the slot while it is polled; `cancelled` once the guard dropped.
#[derive(Default)]
struct Slot {
    future: Option<LocalFuture>,
    waker: Option<Waker>,
    cancelled: bool,
}

/// Owns a spawned future: dropping it drops the future (at once if idle, else right after
/// its poll) and lets the spawned runner finish.
pub(crate) struct Task {
    slot: Rc<RefCell<Slot>>,
}

impl Task {
    pub(crate) fn spawn(future: impl Future<Output = ()> + 'static) -> Task {
        let slot = Rc::new(RefCell::new(Slot {
            future: Some(Box::pin(future)),
            ..Slot::default()
        }));
        wasm_bindgen_futures::spawn_local(Runner {
            slot: Rc::clone(&slot),
        });
        Task { slot }
    }
}

impl Drop for Task {
    fn drop(&mut self) {
        let (future, waker) = {
            let mut slot = self.slot.borrow_mut();
            slot.cancelled = true;
            (slot.future.take(), slot.waker.take())
        };
        // Dropped with no borrow held: the future's own drop may run application code.
        drop(future);
        if let Some(waker) = waker {
            waker.wake();
        }
    }
}

/// What `spawn_local` polls: the slot's future, polled with no borrow held.
struct Runner {
    slot: Rc<RefCell<Slot>>,
}

impl Future for Runner {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let Some(mut future) = self.slot.borrow_mut().future.take() else {
            return Poll::Ready(());
        };
        if future.as_mut().poll(cx).is_ready() {
            return Poll::Ready(());
        }
        let mut slot = self.slot.borrow_mut();
        if slot.cancelled {
            drop(slot);
            drop(future);
            return Poll::Ready(());
        }
        slot.future = Some(future);
        slot.waker = Some(cx.waker().clone());
        Poll::Pending
    }
}
