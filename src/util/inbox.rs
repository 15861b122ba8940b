//! [`Inbox`]: the items waiting for a `Stream`, and who reads it. A socket's inbox (the
//! browser's values) and a reconnecting connection's (its messages) are both one; the rules
//! for who gets a message are written once, in `ARCHITECTURE.md`.

use std::task::Waker;

use super::fifo::Fifo;

/// Who reads the `Stream`, which decides whether an item is kept for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub(crate) enum Reader {
    /// Never polled: an item waits for the first consumer, unless a message handler takes it.
    #[default]
    Unclaimed,
    /// Polled, or claimed by a consumer that committed to reading: it gets every item.
    Claimed,
    /// It yielded its last item: nothing more is kept.
    Done,
    /// Dropped: nothing is kept.
    Gone,
}

/// The items of one stream, in order, its reader, and the waker of its pending poll.
pub(crate) struct Inbox<T> {
    items: Fifo<T>,
    reader: Reader,
    waker: Option<Waker>,
}

/// What an inbox lets go of, to be dropped outside any borrow.
pub(crate) type Released<T> = (Fifo<T>, Option<Waker>);

impl<T> Default for Inbox<T> {
    fn default() -> Self {
        Inbox {
            items: Fifo::default(),
            reader: Reader::Unclaimed,
            waker: None,
        }
    }
}

impl<T> Inbox<T> {
    pub(crate) fn reader(&self) -> Reader {
        self.reader
    }

    /// Whether an item is kept now, `handlers` saying whether message handlers take it too.
    pub(crate) fn keeps(&self, handlers: bool) -> bool {
        match self.reader {
            Reader::Claimed => true,
            Reader::Unclaimed => !handlers,
            Reader::Done | Reader::Gone => false,
        }
    }

    /// Keeps `item` if [`keeps`](Self::keeps) says so; the waker to wake, outside any borrow.
    pub(crate) fn offer(&mut self, item: T, handlers: bool) -> Option<Waker> {
        if !self.keeps(handlers) {
            return None;
        }
        self.push(item)
    }

    /// Keeps `item` unless the stream is gone; the waker to wake, outside any borrow.
    pub(crate) fn push(&mut self, item: T) -> Option<Waker> {
        if self.reader == Reader::Gone {
            return None;
        }
        self.items.push_back(item);
        self.waker.take()
    }

    /// The stream's next item; a poll claims the stream.
    pub(crate) fn pop(&mut self) -> Option<T> {
        self.claim();
        self.items.pop_front()
    }

    /// The oldest item without claiming the stream (the backlog handed to late handlers).
    pub(crate) fn pop_unclaimed(&mut self) -> Option<T> {
        if self.reader != Reader::Unclaimed {
            return None;
        }
        self.items.pop_front()
    }

    /// Makes the stream keep every item from now on, before its first poll.
    pub(crate) fn claim(&mut self) {
        if self.reader == Reader::Unclaimed {
            self.reader = Reader::Claimed;
        }
    }

    /// Undoes [`claim`](Self::claim) when its last consumer is gone: what waited for it goes.
    pub(crate) fn unclaim(&mut self) -> Released<T> {
        if self.reader == Reader::Claimed {
            self.reader = Reader::Unclaimed;
        }
        (std::mem::take(&mut self.items), self.waker.take())
    }

    /// The stream was dropped: nobody can read what it kept.
    pub(crate) fn release(&mut self) -> Released<T> {
        self.reader = Reader::Gone;
        (std::mem::take(&mut self.items), self.waker.take())
    }

    /// The stream yielded its last item.
    pub(crate) fn finish(&mut self) {
        if self.reader != Reader::Gone {
            self.reader = Reader::Done;
        }
    }

    pub(crate) fn is_done(&self) -> bool {
        self.reader == Reader::Done
    }

    /// Keeps the waker of a pending poll; the one it replaces, to drop outside any borrow.
    pub(crate) fn wait(&mut self, waker: &Waker) -> Option<Waker> {
        self.waker.replace(waker.clone())
    }

    pub(crate) fn take_waker(&mut self) -> Option<Waker> {
        self.waker.take()
    }

    pub(crate) fn len(&self) -> usize {
        self.items.len()
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::{Inbox, Reader};

    #[test]
    fn an_unclaimed_stream_keeps_items_only_while_no_handler_takes_them() {
        let mut inbox = Inbox::default();
        assert!(inbox.offer(1, false).is_none());
        assert!(inbox.offer(2, true).is_none(), "a handler takes it");
        assert_eq!(inbox.len(), 1);
        assert_eq!(inbox.pop_unclaimed(), Some(1));
        assert_eq!(
            inbox.reader(),
            Reader::Unclaimed,
            "a hand-off does not claim"
        );
        inbox.offer(3, false);
        assert_eq!(inbox.pop(), Some(3));
        assert_eq!(inbox.reader(), Reader::Claimed, "a poll claims");
        inbox.offer(4, true);
        assert_eq!(inbox.pop_unclaimed(), None, "claimed: no hand-off");
        assert_eq!(inbox.pop(), Some(4), "claimed: kept despite handlers");
    }

    #[test]
    fn unclaim_release_and_finish_let_go() {
        let mut inbox = Inbox::default();
        inbox.claim();
        inbox.offer("a", true);
        let (released, _) = inbox.unclaim();
        assert_eq!(released.len(), 1);
        assert_eq!(inbox.reader(), Reader::Unclaimed);
        inbox.finish();
        assert!(inbox.is_done());
        assert!(inbox.offer("b", false).is_none());
        assert!(inbox.is_empty(), "done: nothing kept");
        inbox.push("end");
        assert_eq!(inbox.len(), 1, "the end itself is pushed");
        let _ = inbox.release();
        assert_eq!(inbox.reader(), Reader::Gone);
        inbox.push("late");
        inbox.claim();
        assert!(
            inbox.is_empty() && inbox.reader() == Reader::Gone,
            "gone for good"
        );
    }
}
