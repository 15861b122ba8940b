//! The browser side: the connection in thread-local arena storage, opened from an effect.

use ::leptos::prelude::{
    on_cleanup, Effect, GetUntracked, LocalStorage, RwSignal, Signal, StoredValue, Track, Update,
    UpdateValue, WithValue,
};
use ::leptos::reactive::traits::Set;

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

/// A live connection: the handlers' guards (dropped first) and the handle.
struct Connection {
    _subscriptions: [SubscriptionGuard; 2],
    handle: ReconnectingHandle,
}

impl Connection {
    /// Unregisters the handlers (the signals may be gone), then closes with 1000.
    fn shut_down(self) {
        let Connection {
            _subscriptions,
            handle,
        } = self;
        drop(_subscriptions);
        let _ = handle.close();
    }
}

/// What the hook keeps in local arena storage (the handle is `!Send`).
struct Slot {
    url: Signal<String>,
    options: UseWebSocketOptions,
    /// Connect on mount, not done yet: the mount effect, or a `send` before it, does it.
    pending: bool,
    connection: Option<Connection>,
}

/// The browser half of `UseWebSocket`: arena ids only, so `Copy`.
pub(super) struct Hook<In: Send + Sync + 'static> {
    slot: StoredValue<Slot, LocalStorage>,
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
        options: UseWebSocketOptions,
        writers: Writers<In>,
    ) -> Self {
        let connect_on_mount = options.get_connect_on_mount();
        let slot = StoredValue::new_local(Slot {
            url,
            options,
            pending: connect_on_mount,
            connection: None,
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
                None => {}
                Some(()) => hook.move_to_new_url(connect_on_mount),
            }
        });
        on_cleanup(move || {
            if let Some(Some(connection)) = slot.try_update_value(|slot| slot.connection.take()) {
                connection.shut_down();
            }
        });
        hook
    }

    /// The URL changed: the old connection ends; a live one (or `connect_on_mount`) moves.
    fn move_to_new_url(&self, connect_on_mount: bool) {
        let was_live = self.is_live();
        if let Some(Some(old)) = self.slot.try_update_value(|slot| slot.connection.take()) {
            old.shut_down();
        }
        if was_live || connect_on_mount {
            let _ = self.connect();
        } else {
            self.writers.reset(None, None);
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

    /// Starts a new connection to the current URL, replacing (and closing) any previous one.
    fn connect(&self) -> Result<(), Error> {
        self.cancel_pending();
        let (url, options) = self
            .slot
            .try_with_value(|slot| (slot.url.try_get_untracked(), slot.options.clone()))
            .ok_or(Error::NotOpen(State::Closed))?;
        let url = url.ok_or(Error::NotOpen(State::Closed))?;
        if let Some(Some(old)) = self.slot.try_update_value(|slot| slot.connection.take()) {
            old.shut_down();
        }
        let connection = match connect(&url, options, self.writers) {
            Ok(connection) => connection,
            Err(error) => {
                self.writers.reset(None, Some(error.clone()));
                return Err(error);
            }
        };
        if let Some(Some(unexpected)) = self
            .slot
            .try_update_value(|slot| slot.connection.replace(connection))
        {
            unexpected.shut_down();
        }
        Ok(())
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
}

/// Opens the connection and wires its state and messages to the signals, reset first.
fn connect<In: Clone + Send + Sync + 'static>(
    url: &str,
    options: UseWebSocketOptions,
    writers: Writers<In>,
) -> Result<Connection, Error> {
    let socket = options.open(url)?;
    // Only the handle is kept: nobody reads the stream, so it buffers nothing.
    let handle = socket.handle();
    drop(socket);
    writers.reset(Some(handle.state()), None);
    let on_state = handle.on_state(move |state| {
        if let ConnectionState::Closed(event)
        | ConnectionState::Reconnecting {
            cause: Disconnect::Closed(event),
            ..
        } = state
        {
            writers.close_event.try_set(Some(event.clone()));
        }
        writers.state.try_set(Some(state.clone()));
    });
    let weak = handle.downgrade();
    let on_message = handle.on_message(move |message| {
        let bound = options.get_history();
        let received = writers
            .inbox
            .try_update(|inbox| inbox.receive(message, writers.decode, bound));
        if let Some(Err(error)) = received {
            writers.error.try_set(Some(error));
            if let Some(handle) = weak.upgrade() {
                if let Err(error) = options.after_decode_error(&handle) {
                    writers.error.try_set(Some(error));
                }
            }
        }
    });
    Ok(Connection {
        _subscriptions: [on_state, on_message],
        handle,
    })
}
