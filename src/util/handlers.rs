//! [`HandlerList`]: the handlers registered with a socket or a reconnecting connection, in
//! registration order, and [`call`], the rule every call to one follows. How a dispatch walks
//! the list (only handlers registered before it began, skipping those removed meanwhile) is
//! written once, in `ARCHITECTURE.md`.

use std::cell::RefCell;

use super::lazy_box::LazyBox;

/// Registrations in [`next_id`](crate::util::ids::next_id) order, in a [`LazyBox`]
/// (ARCHITECTURE.md, Size techniques).
pub(crate) struct HandlerList<C: 'static> {
    entries: LazyBox<Vec<(u64, C)>>,
}

impl<C: 'static> Default for HandlerList<C> {
    fn default() -> Self {
        HandlerList {
            entries: LazyBox::default(),
        }
    }
}

impl<C: Clone + 'static> HandlerList<C> {
    pub(crate) fn add(&mut self, handler: C) -> u64 {
        let id = super::ids::next_id().get();
        self.entries.get_or_default().push((id, handler));
        id
    }

    /// Removes a registration and hands it back, to be dropped outside any borrow.
    pub(crate) fn remove(&mut self, id: u64) -> Option<C> {
        let entries = self.entries.get_mut()?;
        let index = entries.iter().position(|(entry, _)| *entry == id)?;
        Some(entries.remove(index).1)
    }

    pub(crate) fn count(&self, matches: impl Fn(&C) -> bool) -> usize {
        self.entries.get().map_or(0, |entries| {
            entries.iter().filter(|(_, c)| matches(c)).count()
        })
    }

    /// The first handler `matches` accepts registered after `after` and no later than `upto`.
    pub(crate) fn next(
        &self,
        after: u64,
        upto: u64,
        matches: impl Fn(&C) -> bool,
    ) -> Option<(u64, C)> {
        self.entries
            .get()?
            .iter()
            .find(|(id, c)| *id > after && *id <= upto && matches(c))
            .map(|(id, c)| (*id, c.clone()))
    }

    /// Takes every registration, to be dropped outside any borrow.
    pub(crate) fn take_all(&mut self) -> HandlerList<C> {
        HandlerList {
            entries: self.entries.take(),
        }
    }
}

/// Runs a handler unless it is borrowed: re-entered, or stuck by a JS exception that unwound
/// through it (ARCHITECTURE.md, Re-entrancy).
pub(crate) fn call<F: ?Sized>(handler: &RefCell<F>, run: impl FnOnce(&mut F)) {
    if let Ok(mut handler) = handler.try_borrow_mut() {
        run(&mut handler);
    }
}
