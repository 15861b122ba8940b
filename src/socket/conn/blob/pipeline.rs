//! Blob mode's ordered event pipeline ([`crate::socket::conn::blob`]): Blob reads finish
//! asynchronously and out of order, so each event takes a slot, a Blob's stays pending until
//! read, and only ready slots at the head are delivered: every event in arrival order.

use std::collections::VecDeque;

use crate::{CloseEvent, Error, JsMessage};

/// One event, ready to deliver; `M` is [`JsMessage`] in the socket, plain data in native tests.
#[derive(Debug)]
pub(crate) enum Incoming<M = JsMessage> {
    /// The connection opened.
    Open,
    /// A message, or a Blob that could not be read.
    Message(Result<M, Error>),
    /// The browser's `error` event (it carries no detail, by design).
    Error,
    /// The connection ended.
    Close(CloseEvent),
}

enum Slot<M> {
    Ready(Incoming<M>),
    /// A Blob read still running; its ticket fills this slot.
    Pending,
}

/// A claim on a pending slot, redeemed by [`Pipeline::fill`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Ticket(u64);

/// The queue of slots. Pure data: no browser calls, natively tested.
pub(crate) struct Pipeline<M = JsMessage> {
    slots: VecDeque<Slot<M>>,
    /// Sequence number of `slots[0]`.
    head: u64,
}

impl<M> Default for Pipeline<M> {
    fn default() -> Self {
        Pipeline {
            slots: VecDeque::new(),
            head: 0,
        }
    }
}

impl<M> Pipeline<M> {
    /// Appends a ready event.
    pub(crate) fn push(&mut self, event: Incoming<M>) {
        self.slots.push_back(Slot::Ready(event));
    }

    /// Appends a pending slot and returns its ticket.
    pub(crate) fn reserve(&mut self) -> Ticket {
        let ticket = Ticket(self.head + self.slots.len() as u64);
        self.slots.push_back(Slot::Pending);
        ticket
    }

    /// Fills a pending slot. Unknown or already filled tickets are ignored.
    pub(crate) fn fill(&mut self, ticket: Ticket, event: Incoming<M>) {
        let Some(index) = ticket.0.checked_sub(self.head) else {
            return;
        };
        let Ok(index) = usize::try_from(index) else {
            return;
        };
        if let Some(slot @ Slot::Pending) = self.slots.get_mut(index) {
            *slot = Slot::Ready(event);
        }
    }

    /// Takes the head event if it is ready.
    pub(crate) fn pop_ready(&mut self) -> Option<Incoming<M>> {
        if !matches!(self.slots.front(), Some(Slot::Ready(_))) {
            return None;
        }
        self.head += 1;
        match self.slots.pop_front() {
            Some(Slot::Ready(event)) => Some(event),
            _ => None,
        }
    }

    /// Whether nothing is waiting.
    #[cfg(test)]
    pub(crate) fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Message;

    type Incoming = super::Incoming<Message>;
    type Pipeline = super::Pipeline<Message>;

    fn text(s: &str) -> Incoming {
        Incoming::Message(Ok(Message::from(s)))
    }

    fn label(event: Option<Incoming>) -> String {
        match event {
            Some(Incoming::Message(Ok(Message::Text(t)))) => t,
            Some(Incoming::Message(Ok(Message::Binary(b)))) => format!("bin{b:?}"),
            Some(Incoming::Close(c)) => format!("close {}", c.code),
            Some(other) => format!("{other:?}"),
            None => "none".into(),
        }
    }

    #[test]
    fn pending_slots_hold_back_later_events_until_filled() {
        let mut pipeline = Pipeline::default();
        pipeline.push(text("a"));
        let first = pipeline.reserve();
        pipeline.push(text("c"));
        let second = pipeline.reserve();
        pipeline.push(Incoming::Close(CloseEvent {
            code: crate::CloseCode::NORMAL,
            reason: String::new(),
            was_clean: true,
        }));

        assert_eq!(label(pipeline.pop_ready()), "a");
        assert_eq!(label(pipeline.pop_ready()), "none");
        // The later read finishes first: still nothing may pass the earlier pending slot.
        pipeline.fill(second, Incoming::Message(Ok(Message::from(vec![4u8]))));
        assert_eq!(label(pipeline.pop_ready()), "none");
        pipeline.fill(first, Incoming::Message(Ok(Message::from(vec![2u8]))));
        assert_eq!(label(pipeline.pop_ready()), "bin[2]");
        assert_eq!(label(pipeline.pop_ready()), "c");
        assert_eq!(label(pipeline.pop_ready()), "bin[4]");
        assert_eq!(label(pipeline.pop_ready()), "close 1000");
        assert!(pipeline.is_empty());
    }

    #[test]
    fn stale_and_repeated_tickets_are_ignored() {
        let mut pipeline = Pipeline::default();
        let ticket = pipeline.reserve();
        pipeline.fill(ticket, text("x"));
        pipeline.fill(ticket, text("y"));
        assert_eq!(label(pipeline.pop_ready()), "x");
        pipeline.fill(ticket, text("z"));
        pipeline.fill(Ticket(99), text("w"));
        assert!(pipeline.is_empty());
    }
}
