//! A set of wakers in which each waiting future owns one slot, removed when it goes away, so
//! futures dropped before they resolve do not pile up wakers.

use std::cell::Cell;
use std::num::NonZeroU64;
use std::task::Waker;

use crate::util::ids::next_id;

/// A future's slot in a [`WakerSet`], empty until it first waits; [`next_id`] keys never name
/// another future's slot.
#[derive(Default)]
pub(crate) struct WaiterKey(Cell<Option<NonZeroU64>>);

#[derive(Default)]
pub(crate) struct WakerSet {
    /// Taken out and put back around each use, with no user code between: no borrow flag.
    wakers: Cell<Vec<(NonZeroU64, Waker)>>,
}

impl WakerSet {
    /// Stores `waker` in the slot `key` names, creating the slot if needed. Wakers are cloned
    /// before the list is taken out and dropped after it is put back, so waker code may use
    /// the socket.
    pub(crate) fn register(&self, key: &WaiterKey, waker: &Waker) {
        let new = waker.clone();
        let mut wakers = self.wakers.take();
        let slot = key
            .0
            .get()
            .and_then(|k| wakers.iter_mut().find(|(slot_key, _)| *slot_key == k));
        let replaced = match slot {
            Some((_, current)) if current.will_wake(&new) => Some(new),
            Some((_, current)) => Some(std::mem::replace(current, new)),
            None => {
                let k = next_id();
                key.0.set(Some(k));
                wakers.push((k, new));
                None
            }
        };
        self.wakers.set(wakers);
        drop(replaced);
    }

    /// Removes the slot `key` names, if any.
    pub(crate) fn remove(&self, key: &WaiterKey) {
        let Some(k) = key.0.take() else { return };
        let mut wakers = self.wakers.take();
        let removed = wakers
            .iter()
            .position(|(slot_key, _)| *slot_key == k)
            .map(|index| wakers.swap_remove(index));
        self.wakers.set(wakers);
        drop(removed);
    }

    /// Wakes and forgets every waiter (each registers again if it polls again).
    pub(crate) fn wake_all(&self) {
        for (_, waker) in self.wakers.take() {
            waker.wake();
        }
    }

    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        let wakers = self.wakers.take();
        let len = wakers.len();
        self.wakers.set(wakers);
        len
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    use std::task::Wake;

    struct Counter(AtomicUsize);
    impl Wake for Counter {
        fn wake(self: Arc<Self>) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }

    #[test]
    fn each_waiter_has_one_slot_and_removal_frees_it() {
        let set = WakerSet::default();
        let counter = Arc::new(Counter(AtomicUsize::new(0)));
        let waker = Waker::from(counter.clone());
        let keys: Vec<WaiterKey> = (0..100).map(|_| WaiterKey::default()).collect();
        for _ in 0..3 {
            for key in &keys {
                set.register(key, &waker);
            }
        }
        assert_eq!(set.len(), 100, "re-polling reuses the slot");
        for key in &keys[..60] {
            set.remove(key);
        }
        assert_eq!(set.len(), 40);
        set.wake_all();
        assert_eq!(counter.0.load(Ordering::SeqCst), 40);
        assert_eq!(set.len(), 0);
        // A woken waiter that polls again gets a fresh slot.
        set.register(&keys[99], &waker);
        assert_eq!(set.len(), 1);
    }
}
