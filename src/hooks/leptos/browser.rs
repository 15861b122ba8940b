//! The browser side: the connection in thread-local arena storage, opened from an effect.

use ::leptos::prelude::{
    on_cleanup, Effect, GetUntracked, LocalStorage, RwSignal, Signal, StoredValue, Track, Update,
    UpdateValue, WithValue,
};
use ::leptos::reactive::traits::Set;

use std::rc::Rc;

use crate::hooks::shared::{self, Attach, Membership};
use crate::hooks::{is_live, Decode, Inbox, UseWebSocketOptions};
use crate::{CloseEvent, ConnectionState, Disconnect, Error, ReconnectingHandle};
use crate::{State, SubscriptionGuard};

/// The signals the connection's handlers write, and how messages decode.
pub(super) struct Writers<In: Send + Sync + 'static> {
    pub(super) state: RwSignal<Option<ConnectionState>>,
    pub(super) inbox: RwSignal<Inbox<In>>,
    pub(super) close_event: RwSignal<Option<CloseEvent>>,
    pub(super) error: RwSignal<Option<Error>>,
    pub(super) decode: Decode<In>,
}

impl<In: Send + Sync + 'static> Clone for Writers<In> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<In: Send + Sync + 'static> Copy for Writers<In> {}

impl<In: Send + Sync + 'static> Writers<In> {
    /// Shows a fresh start: `state` and `error` as given, nothing received, no close event.
    fn reset(&self, state: Option<ConnectionState>, error: Option<Error>) {
        self.state.try_set(state);
        self.inbox.try_set(Inbox::default());
        self.close_event.try_set(None);
        self.error.try_set(error);
    }
}

/// The connection the hook follows: the handlers' guards (dropped first) and the handle;
/// `owned` unless it is a shared key's (then the last consumer closes it).
struct Connection {
    _subscriptions: [SubscriptionGuard; 2],
    handle: ReconnectingHandle,
    owned: bool,
}

impl Connection {
    /// Unregisters the handlers (the signals may be gone), then closes an owned connection
    /// with 1000.
    fn shut_down(self) {
        let Connection {
            _subscriptions,
            handle,
            owned,
        } = self;
        drop(_subscriptions);
        if owned {
            let _ = handle.close();
        }
    }
}

/// What the hook keeps in local arena storage (the handle is `!Send`).
struct Slot<In> {
    url: Signal<String>,
    options: UseWebSocketOptions<In>,
    /// Connect on mount, not done yet: the mount effect, or a `send` before it, does it.
    pending: bool,
    connection: Option<Connection>,
    /// With a shared key: the hook's place in it, until the owner is cleaned up.
    membership: Option<Membership>,
}

/// The browser half of `UseWebSocket`: arena ids only, so `Copy`.
pub(super) struct Hook<In: Send + Sync + 'static> {
    slot: StoredValue<Slot<In>, LocalStorage>,
    writers: Writers<In>,
}

impl<In: Send + Sync + 'static> Clone for Hook<In> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<In: Send + Sync + 'static> Copy for Hook<In> {}

impl<In: Clone + Send + Sync + 'static> Hook<In> {
    pub(super) fn new(
        url: Signal<String>,
        options: UseWebSocketOptions<In>,
        writers: Writers<In>,
    ) -> Self {
        let connect_on_mount = options.get_connect_on_mount();
        let slot = StoredValue::new_local(Slot {
            url,
            options,
            pending: connect_on_mount,
            connection: None,
            membership: None,
        });
        let hook = Hook { slot, writers };
        // Effects run only in the browser (features csr/hydrate), after mount: the server
        // never gets here. Errors are in the `error` signal.
        Effect::new(move |first_run: Option<()>| {
            url.track();
            match first_run {
                None if hook.slot.try_with_value(|slot| slot.pending) == Some(true) => {
                    let _ = hook.connect();
                }
                None => hook.follow_shared(),
                Some(()) => hook.move_to_new_url(connect_on_mount),
            }
        });
        on_cleanup(move || {
            let left =
                slot.try_update_value(|slot| (slot.connection.take(), slot.membership.take()));
            if let Some((connection, membership)) = left {
                if let Some(connection) = connection {
                    connection.shut_down();
                }
                drop(membership);
            }
        });
        hook
    }

    /// The URL changed: the old connection ends; a live one (or `connect_on_mount`) moves. A
    /// shared key is left and joined again (alone in it, the hook moves its connection).
    fn move_to_new_url(&self, connect_on_mount: bool) {
        let was_live = self.is_live();
        let left = self
            .slot
            .try_update_value(|slot| (slot.connection.take(), slot.membership.take()));
        if let Some((connection, membership)) = left {
            if let Some(connection) = connection {
                connection.shut_down();
            }
            drop(membership);
        }
        if was_live || connect_on_mount {
            let _ = self.connect();
        } else if self.shared_key().is_some() {
            self.writers.reset(None, None);
            self.follow_shared();
        } else {
            self.writers.reset(None, None);
        }
    }

    /// With a shared key and no connection to start: joins the key and follows its
    /// connection, if it has one.
    fn follow_shared(&self) {
        let Some(options) = self.slot.try_with_value(|slot| slot.options.clone()) else {
            return;
        };
        if options.get_shared().is_none() {
            return;
        }
        let key = self.join(&options);
        if let Some(current) = shared::current(&key) {
            self.attach(&current, false);
        }
    }

    /// The connection's handle; connects first if the connection on mount is still to come
    /// (a `send` from the component body, before the mount effect ran).
    pub(super) fn handle_connecting(&self) -> Option<ReconnectingHandle> {
        if self.handle().is_none() && self.slot.try_with_value(|slot| slot.pending) == Some(true) {
            let _ = self.connect();
        }
        self.handle()
    }

    pub(super) fn open(&self) -> Result<(), Error> {
        if self.slot.try_with_value(|_| ()).is_none() {
            return Err(Error::NotOpen(State::Closed));
        }
        if self.is_live() {
            return Ok(());
        }
        self.connect()
    }

    /// Starts a new connection to the current URL, replacing (and closing) any previous one;
    /// with a shared key, makes sure the key's connection is live and follows it.
    fn connect(&self) -> Result<(), Error> {
        self.cancel_pending();
        let options = self
            .slot
            .try_with_value(|slot| slot.options.clone())
            .ok_or(Error::NotOpen(State::Closed))?;
        if options.get_shared().is_some() {
            return self.connect_shared(&options);
        }
        let url = self
            .slot
            .try_with_value(|slot| slot.url.try_get_untracked())
            .flatten()
            .ok_or(Error::NotOpen(State::Closed))?;
        if let Some(Some(old)) = self.slot.try_update_value(|slot| slot.connection.take()) {
            old.shut_down();
        }
        match options.open(&url) {
            Ok(handle) => {
                self.attach(&handle, true);
                Ok(())
            }
            Err(error) => {
                self.writers.reset(None, Some(error.clone()));
                Err(error)
            }
        }
    }

    /// Joins the options' shared key (if not in it yet) and follows its live connection, or
    /// starts one that every consumer follows.
    fn connect_shared(&self, options: &UseWebSocketOptions<In>) -> Result<(), Error> {
        let checked = options.check();
        let started = checked.and_then(|()| {
            let key = self.join(options);
            match shared::current(&key).filter(|handle| is_live(&handle.state())) {
                Some(current) => {
                    self.attach(&current, false);
                    Ok(())
                }
                None => shared::start(&key),
            }
        });
        if let Err(error) = &started {
            self.writers.reset(None, Some(error.clone()));
        }
        started
    }

    /// The hook's shared key (joined now if it is not in it yet; the first consumer's URL and
    /// reconnect options win).
    fn join(&self, options: &UseWebSocketOptions<In>) -> String {
        let joined = self.slot.try_with_value(|slot| {
            slot.membership
                .as_ref()
                .map(|membership| membership.key().to_owned())
        });
        if let Some(Some(key)) = joined {
            return key;
        }
        let key = options.get_shared().unwrap_or_default().to_owned();
        let url = self
            .slot
            .try_with_value(|slot| slot.url.try_get_untracked())
            .flatten()
            .unwrap_or_default();
        let hook = *self;
        let attach: Attach = Rc::new(move |handle| hook.attach(handle, false));
        let membership = Membership::join(&key, options.opener(&url), attach);
        // (Dropped, so left at once, if the owner is already gone.)
        self.slot
            .try_update_value(|slot| slot.membership = Some(membership));
        key
    }

    /// Follows `handle` from now on: the signals reset, handlers that write them.
    fn attach(&self, handle: &ReconnectingHandle, owned: bool) {
        let Some(options) = self.slot.try_with_value(|slot| slot.options.clone()) else {
            if owned {
                let _ = handle.close();
            }
            return;
        };
        let connection = subscribe(handle, owned, options, self.writers);
        match self
            .slot
            .try_update_value(|slot| slot.connection.replace(connection))
        {
            Some(Some(old)) => old.shut_down(),
            Some(None) => {}
            // The owner is gone: the closure (and the connection in it) was dropped.
            None => {}
        }
    }
}

impl<In: Send + Sync + 'static> Hook<In> {
    pub(super) fn handle(&self) -> Option<ReconnectingHandle> {
        self.slot
            .try_with_value(|slot| {
                slot.connection
                    .as_ref()
                    .map(|connection| connection.handle.clone())
            })
            .flatten()
    }

    pub(super) fn cancel_pending(&self) {
        self.slot.try_update_value(|slot| slot.pending = false);
    }

    fn is_live(&self) -> bool {
        self.handle().is_some_and(|handle| is_live(&handle.state()))
    }

    fn shared_key(&self) -> Option<String> {
        self.slot
            .try_with_value(|slot| slot.options.get_shared().map(str::to_owned))
            .flatten()
    }
}

/// Wires `handle`'s state and messages to the signals, reset first.
fn subscribe<In: Clone + Send + Sync + 'static>(
    handle: &ReconnectingHandle,
    owned: bool,
    options: UseWebSocketOptions<In>,
    writers: Writers<In>,
) -> Connection {
    writers.reset(Some(handle.state()), None);
    let on_state = handle.on_state(move |state| {
        if let ConnectionState::Closed(event)
        | ConnectionState::Reconnecting {
            cause: Disconnect::Closed(event),
            ..
        }
        | ConnectionState::Offline {
            cause: Some(Disconnect::Closed(event)),
            ..
        } = state
        {
            writers.close_event.try_set(Some(event.clone()));
        }
        writers.state.try_set(Some(state.clone()));
    });
    let weak = handle.downgrade();
    let (bound, on_message) = (options.get_history(), options.callback());
    let on_message = handle.on_message(move |message| {
        let decoded = (writers.decode)(message);
        // Called before any signal is touched: no borrow is held while it runs.
        if let (Ok(value), Some(on_message)) = (&decoded, &on_message) {
            on_message(value);
        }
        let kept = writers.inbox.try_update(|inbox| inbox.keep(decoded, bound));
        if let Some(Err(error)) = kept {
            writers.error.try_set(Some(error));
            if let Some(handle) = weak.upgrade() {
                if let Err(error) = options.after_decode_error(&handle) {
                    writers.error.try_set(Some(error));
                }
            }
        }
    });
    Connection {
        _subscriptions: [on_state, on_message],
        handle: handle.clone(),
        owned,
    }
}
