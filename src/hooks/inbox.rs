//! The one copy of the hooks' decode and history logic: [`Inbox`], the decodes, and what
//! counts as a live connection.

use std::collections::VecDeque;

use crate::{ConnectionState, Error, Message};

/// How a hook turns a received message into what it keeps (by value: no copy for raw ones).
pub(crate) type Decode<T> = fn(Message) -> Result<T, Error>;

/// The raw hooks' decode: the message itself, wrapped as the framework keeps it.
pub(crate) fn raw<W: From<Message>>(message: Message) -> Result<W, Error> {
    Ok(W::from(message))
}

/// The JSON hooks' decode: the message's JSON as `In`, wrapped as the framework keeps it.
#[cfg(feature = "serde")]
pub(crate) fn json<In: serde::de::DeserializeOwned, W: From<In>>(
    message: Message,
) -> Result<W, Error> {
    message.parse_json::<In>().map(W::from)
}

/// What one connection received: the latest value, a bounded history and the count.
#[derive(Clone, Debug)]
pub(crate) struct Inbox<T> {
    latest: Option<T>,
    history: VecDeque<T>,
    received: u64,
}

impl<T> Default for Inbox<T> {
    fn default() -> Self {
        Inbox {
            latest: None,
            history: VecDeque::new(),
            received: 0,
        }
    }
}

impl<T: Clone> Inbox<T> {
    /// Counts a message, then keeps its decoded value (`bound` in the history) or hands back
    /// the decode error, the latest value and history staying as they were.
    pub(crate) fn keep(&mut self, decoded: Result<T, Error>, bound: usize) -> Result<(), Error> {
        self.received += 1;
        let value = decoded?;
        if bound > 0 {
            self.history.push_back(value.clone());
        }
        while self.history.len() > bound {
            self.history.pop_front();
        }
        self.latest = Some(value);
        Ok(())
    }
}

impl<T> Inbox<T> {
    /// The latest decoded value.
    pub(crate) fn latest(&self) -> Option<&T> {
        self.latest.as_ref()
    }

    /// The last decoded values, oldest first.
    pub(crate) fn history(&self) -> &VecDeque<T> {
        &self.history
    }

    /// Every message received, undecodable ones included.
    pub(crate) fn received(&self) -> u64 {
        self.received
    }
}

/// Connecting, open, reconnecting or offline: what `open()` leaves alone and a new URL moves.
pub(crate) fn is_live(state: &ConnectionState) -> bool {
    matches!(
        state,
        ConnectionState::Connecting { .. }
            | ConnectionState::Open
            | ConnectionState::Reconnecting { .. }
            | ConnectionState::Offline { .. }
    )
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn a_connection_waiting_for_the_network_is_live() {
        assert!(is_live(&ConnectionState::Offline {
            attempt: 1,
            cause: None
        }));
        assert!(is_live(&ConnectionState::Open));
        assert!(!is_live(&ConnectionState::Closing));
    }

    #[test]
    fn the_inbox_counts_everything_and_bounds_the_history() {
        let mut inbox = Inbox::<Message>::default();
        for text in ["a", "b", "c"] {
            assert_eq!(inbox.keep(raw(Message::from(text)), 2), Ok(()));
        }
        assert_eq!(inbox.received(), 3);
        assert_eq!(inbox.latest(), Some(&Message::from("c")));
        let history: Vec<_> = inbox.history().iter().cloned().collect();
        assert_eq!(history, [Message::from("b"), Message::from("c")]);
        assert_eq!(inbox.keep(raw(Message::from("d")), 0), Ok(()));
        assert!(inbox.history().is_empty());
    }

    #[cfg(feature = "serde")]
    #[test]
    fn an_undecodable_message_is_counted_and_skipped() {
        let mut inbox = Inbox::<u32>::default();
        assert_eq!(inbox.keep(json::<u32, u32>(Message::from("7")), 5), Ok(()));
        let error = inbox.keep(json::<u32, u32>(Message::from("no")), 5);
        assert!(matches!(error, Err(Error::Decode { .. })));
        assert_eq!((inbox.received(), inbox.latest()), (2, Some(&7)));
        assert_eq!(inbox.history().len(), 1);
    }
}
