//! Ids unique in the program, growing: the slots of waiting futures ([`crate::util::wakers`])
//! and handler registrations ([`crate::socket::conn::handlers`]). One counter for every socket.

use std::num::NonZeroU64;
use std::sync::atomic::{AtomicU64, Ordering};

/// The last id handed out (0: none yet).
static LAST: AtomicU64 = AtomicU64::new(0);

/// A new id, greater than every earlier one (2^64 never run out).
pub(crate) fn next_id() -> NonZeroU64 {
    NonZeroU64::MIN.saturating_add(LAST.fetch_add(1, Ordering::Relaxed))
}

/// The last id handed out so far: every id issued later is greater.
pub(crate) fn last_id() -> u64 {
    LAST.load(Ordering::Relaxed)
}

#[cfg(test)]
mod tests {
    use super::{last_id, next_id};

    #[test]
    fn ids_grow_and_never_repeat_or_are_zero() {
        // Other tests take ids concurrently: check order and uniqueness, not consecutiveness.
        let first = next_id();
        assert!(last_id() >= first.get());
        let later: Vec<u64> = (0..1000).map(|_| next_id().get()).collect();
        assert!(later.iter().all(|&id| id > first.get()));
        assert!(later.windows(2).all(|pair| pair[0] < pair[1]));
        assert!(last_id() >= later[999]);
    }
}
