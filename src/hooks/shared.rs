//! The registry behind [`UseWebSocketOptions::shared`](super::UseWebSocketOptions::shared): one
//! connection per key in a `thread_local!`, the consumers that follow it, and the rule that the
//! last one to leave closes it (1000) and removes the key. No borrow of the registry is held
//! while a connection is opened or closed or a consumer is called.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use super::{is_live, Opener};
use crate::{Error, ReconnectingHandle, State};

/// What a consumer does when its key gets a new connection: follows `handle`.
pub(crate) type Attach = Rc<dyn Fn(&ReconnectingHandle)>;

/// One key: how its first consumer connects (URL or provider, and options), the connection
/// (none before the first start), and every consumer by id, in joining order.
struct Entry {
    open: Opener,
    connection: Option<ReconnectingHandle>,
    consumers: Vec<(u64, Attach)>,
}

thread_local! {
    /// Every key that has consumers; a key without any is removed at once.
    static REGISTRY: RefCell<HashMap<String, Entry>> = RefCell::new(HashMap::new());
    /// The last consumer id handed out: ids only grow.
    static LAST_ID: Cell<u64> = const { Cell::new(0) };
}

/// Runs `f` on the registry; `None` if it is borrowed (never, by this module's rule) or gone.
fn with_registry<R>(f: impl FnOnce(&mut HashMap<String, Entry>) -> R) -> Option<R> {
    REGISTRY
        .try_with(|registry| registry.try_borrow_mut().ok().map(|mut map| f(&mut map)))
        .ok()
        .flatten()
}

/// A consumer's place in its key; dropping it leaves the key (the last one closes it).
pub(crate) struct Membership {
    key: String,
    id: u64,
}

impl std::fmt::Debug for Membership {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Membership")
            .field("key", &self.key)
            .finish()
    }
}

impl Membership {
    /// Joins `key`, creating it with `open` if it has no consumers (else it is ignored: the
    /// first consumer's wins). `attach` is called whenever the key's connection is replaced by
    /// [`start`]; to follow the current one, call [`current`].
    pub(crate) fn join(key: &str, open: Opener, attach: Attach) -> Self {
        let id = LAST_ID
            .try_with(|last| {
                last.set(last.get().wrapping_add(1));
                last.get()
            })
            .unwrap_or(0);
        with_registry(|registry| {
            registry
                .entry(key.to_owned())
                .or_insert_with(|| Entry {
                    open,
                    connection: None,
                    consumers: Vec::new(),
                })
                .consumers
                .push((id, attach));
        });
        Membership {
            key: key.to_owned(),
            id,
        }
    }

    /// The key this membership is in.
    pub(crate) fn key(&self) -> &str {
        &self.key
    }
}

impl Drop for Membership {
    fn drop(&mut self) {
        let (key, id) = (&self.key, self.id);
        let last = with_registry(|registry| {
            let entry = registry.get_mut(key)?;
            let index = entry.consumers.iter().position(|(each, _)| *each == id)?;
            let left = entry.consumers.remove(index);
            let last = entry
                .consumers
                .is_empty()
                .then(|| registry.remove(key))
                .flatten();
            Some((left, last))
        })
        .flatten();
        // Dropped and closed outside the borrow: closing reports states synchronously.
        if let Some((left, Some(entry))) = last {
            drop(left);
            if let Some(connection) = entry.connection {
                let _ = connection.close();
            }
        }
    }
}

/// The key's current connection (in any state), if one was ever started.
pub(crate) fn current(key: &str) -> Option<ReconnectingHandle> {
    with_registry(|registry| registry.get(key).and_then(|entry| entry.connection.clone())).flatten()
}

/// Starts a new connection for `key` with its first consumer's URL and options unless its
/// connection is live, then has every consumer follow it (each `attach` is called).
///
/// # Errors
/// What [`ReconnectingWebSocket::open`](crate::ReconnectingWebSocket::open) returns (the
/// connection is then left as it was);
/// [`Error::NotOpen`] if the key has no consumers.
pub(crate) fn start(key: &str) -> Result<(), Error> {
    let found = with_registry(|registry| {
        registry.get(key).map(|entry| {
            let live = entry
                .connection
                .as_ref()
                .is_some_and(|connection| is_live(&connection.state()));
            (Rc::clone(&entry.open), live)
        })
    })
    .flatten();
    let open = match found {
        None => return Err(Error::NotOpen(State::Closed)),
        Some((_, true)) => return Ok(()),
        Some((open, false)) => open,
    };
    let handle = open()?;
    let replaced = with_registry(|registry| {
        registry.get_mut(key).map(|entry| {
            let old = entry.connection.replace(handle.clone());
            let consumers: Vec<Attach> = entry
                .consumers
                .iter()
                .map(|(_, attach)| Rc::clone(attach))
                .collect();
            (old, consumers)
        })
    })
    .flatten();
    match replaced {
        Some((old, consumers)) => {
            // Closing or closed already; this makes sure no retry of it follows.
            if let Some(old) = old {
                let _ = old.close();
            }
            for attach in consumers {
                attach(&handle);
            }
            Ok(())
        }
        None => {
            let _ = handle.close();
            Err(Error::NotOpen(State::Closed))
        }
    }
}
