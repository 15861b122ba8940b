//! The bounded queue of messages waiting for a connection.

use std::collections::VecDeque;

use crate::{Error, Message};

/// Bounds of the send queue that holds messages sent while connecting or reconnecting.
///
/// At either bound, [`send`](crate::ReconnectingHandle::send) refuses the new message with
/// [`Error::QueueFull`], which hands the message back; the queue is left as it was. Nothing
/// is ever dropped silently.
///
/// ```
/// use browser_ws::QueueLimits;
///
/// let limits = QueueLimits::new(100, 64 * 1024);
/// assert_eq!(limits.max_messages(), 100);
/// assert_eq!(QueueLimits::default().max_bytes(), 4 << 20);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct QueueLimits {
    max_messages: usize,
    max_bytes: usize,
}

impl Default for QueueLimits {
    /// 1,024 messages and 4 MiB.
    fn default() -> Self {
        QueueLimits {
            max_messages: 1024,
            max_bytes: 4 << 20,
        }
    }
}

impl QueueLimits {
    /// At most `max_messages` messages and `max_bytes` payload bytes (text counted as UTF-8).
    /// `QueueLimits::new(0, 0)` disables queueing: sends fail unless open.
    #[must_use]
    pub fn new(max_messages: usize, max_bytes: usize) -> Self {
        QueueLimits {
            max_messages,
            max_bytes,
        }
    }

    /// The message-count bound.
    #[must_use]
    pub fn max_messages(&self) -> usize {
        self.max_messages
    }

    /// The byte bound.
    #[must_use]
    pub fn max_bytes(&self) -> usize {
        self.max_bytes
    }
}

/// Messages waiting for a connection, oldest first, within [`QueueLimits`].
#[derive(Debug, Default)]
pub(crate) struct SendQueue {
    items: VecDeque<Message>,
    bytes: usize,
    limits: QueueLimits,
}

impl SendQueue {
    pub(crate) fn new(limits: QueueLimits) -> Self {
        SendQueue {
            items: VecDeque::new(),
            bytes: 0,
            limits,
        }
    }

    /// Appends `message`, or refuses it (handing it back) if a bound would be exceeded.
    pub(crate) fn push(&mut self, message: Message) -> Result<(), Error> {
        let fits_count = self.items.len() < self.limits.max_messages;
        let fits_bytes = self
            .bytes
            .checked_add(message.len())
            .is_some_and(|total| total <= self.limits.max_bytes);
        if !(fits_count && fits_bytes) {
            return Err(Error::QueueFull {
                queued_messages: self.items.len(),
                queued_bytes: self.bytes,
                rejected: message,
            });
        }
        self.bytes += message.len();
        self.items.push_back(message);
        Ok(())
    }

    /// Puts back a message taken with [`pop_front`](Self::pop_front) that could not be sent.
    pub(crate) fn push_front(&mut self, message: Message) {
        self.bytes += message.len();
        self.items.push_front(message);
    }

    pub(crate) fn pop_front(&mut self) -> Option<Message> {
        let message = self.items.pop_front()?;
        self.bytes -= message.len();
        Some(message)
    }

    /// Whether at least one more message (of at most the remaining bytes) can be queued.
    pub(crate) fn has_room(&self) -> bool {
        self.items.len() < self.limits.max_messages && self.bytes < self.limits.max_bytes
    }

    pub(crate) fn len(&self) -> usize {
        self.items.len()
    }

    pub(crate) fn bytes(&self) -> usize {
        self.bytes
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub(crate) fn snapshot(&self) -> Vec<Message> {
        self.items.iter().cloned().collect()
    }

    pub(crate) fn take_all(&mut self) -> Vec<Message> {
        self.bytes = 0;
        self.items.drain(..).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::{QueueLimits, SendQueue};
    use crate::{Error, Message};

    #[test]
    fn keeps_order_and_counts_bytes() {
        let mut queue = SendQueue::new(QueueLimits::new(10, 100));
        assert_eq!(queue.push(Message::from("ab")), Ok(()));
        assert_eq!(queue.push(Message::from(vec![1u8, 2, 3])), Ok(()));
        assert_eq!(queue.push(Message::from("é")), Ok(()));
        assert_eq!((queue.len(), queue.bytes()), (3, 7));
        assert_eq!(queue.pop_front(), Some(Message::from("ab")));
        assert_eq!(queue.bytes(), 5);
        queue.push_front(Message::from("ab"));
        assert_eq!(
            queue.take_all(),
            [
                Message::from("ab"),
                Message::from(vec![1u8, 2, 3]),
                Message::from("é")
            ]
        );
        assert_eq!((queue.len(), queue.bytes()), (0, 0));
    }

    #[test]
    fn refuses_at_the_count_bound_and_hands_the_message_back() {
        let mut queue = SendQueue::new(QueueLimits::new(2, 1_000));
        assert_eq!(queue.push(Message::from("1")), Ok(()));
        assert_eq!(queue.push(Message::from("2")), Ok(()));
        assert!(!queue.has_room());
        assert_eq!(
            queue.push(Message::from("3")),
            Err(Error::QueueFull {
                queued_messages: 2,
                queued_bytes: 2,
                rejected: Message::from("3"),
            })
        );
        assert_eq!(queue.snapshot(), [Message::from("1"), Message::from("2")]);
    }

    #[test]
    fn refuses_at_the_byte_bound_but_takes_what_fits_exactly() {
        let mut queue = SendQueue::new(QueueLimits::new(100, 10));
        assert_eq!(queue.push(Message::from(vec![0u8; 6])), Ok(()));
        assert!(matches!(
            queue.push(Message::from(vec![0u8; 5])),
            Err(Error::QueueFull {
                queued_bytes: 6,
                ..
            })
        ));
        assert_eq!(queue.push(Message::from(vec![0u8; 4])), Ok(()));
        assert_eq!(queue.bytes(), 10);
        assert!(!queue.has_room());
        // An empty message still counts against the message bound only.
        assert!(queue.push(Message::from("")).is_ok());
    }

    #[test]
    fn zero_limits_disable_queueing() {
        let mut queue = SendQueue::new(QueueLimits::new(0, 0));
        assert!(!queue.has_room());
        assert!(queue.push(Message::from("x")).is_err());
        assert!(queue.is_empty());
    }
}
