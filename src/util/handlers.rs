//! [`HandlerList`]: the handlers registered with a socket or a reconnecting connection, in
//! registration order, and [`call`], the rule every call to one follows. How a dispatch walks
//! the list (only handlers registered before it began, skipping those removed meanwhile) is
//! written once, in `ARCHITECTURE.md`.

use std::cell::RefCell;

use super::lazy_box::LazyBox;

/// Registrations with the ids [`crate::util::ids::next_id`] gave them (growing in registration
/// order). The list is a [`LazyBox`]: an application that registers none links neither its
/// code nor its drop.
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

/// Runs a handler unless it is already running (a handler that re-enters is skipped, and one
/// that let a JS exception unwind through it stays borrowed and is skipped from then on).
pub(crate) fn call<F: ?Sized>(handler: &RefCell<F>, run: impl FnOnce(&mut F)) {
    if let Ok(mut handler) = handler.try_borrow_mut() {
        run(&mut handler);
    }
}
