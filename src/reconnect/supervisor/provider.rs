//! The URL provider's call and the task that awaits what it returns; `provide` (in the parent)
//! makes the transition to providing.

use std::cell::RefCell;
use std::rc::Rc;

use super::Supervisor;
use crate::reconnect::endpoint::Provided;
use crate::util::task::Task;

impl Supervisor {
    /// Calls the provider (no borrow held) and spawns the task that hands its result to
    /// `provided` for attempt `generation`; `None` if the provider closed the connection.
    pub(super) fn run_provider(
        self: &Rc<Self>,
        provider: &RefCell<Box<dyn FnMut() -> Provided>>,
        generation: u64,
    ) -> Option<Task> {
        // A provider that re-enters (it cannot, short of a nested event loop) fails this attempt.
        let provided = provider
            .try_borrow_mut()
            .ok()
            .map(|mut provider| provider());
        if self.inner.borrow().is_done() {
            // The provider called close().
            return None;
        }
        let weak = Rc::downgrade(self);
        Some(Task::spawn(async move {
            let result = match provided {
                Some(future) => future.await,
                None => Err("the URL provider was called while it ran".to_owned()),
            };
            if let Some(supervisor) = weak.upgrade() {
                supervisor.provided(generation, result);
            }
        }))
    }
}
