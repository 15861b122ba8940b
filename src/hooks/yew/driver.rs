//! The hook's state behind the handle: one driver per component instance, owning the
//! connection, and the immutable snapshot each render shows.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use ::yew::functional::UseForceUpdateHandle;

use crate::hooks::shared::{self, Attach, Membership};
use crate::hooks::{is_live, Decode, Inbox, UseWebSocketOptions};
use crate::{
    CloseEvent, ConnectionState, Disconnect, Error, Message, ReconnectingHandle, State,
    SubscriptionGuard,
};

/// What the component sees: one immutable snapshot per change.
pub(super) struct Snapshot<T> {
    pub(super) state: Option<ConnectionState>,
    pub(super) inbox: Inbox<Rc<T>>,
    pub(super) close_event: Option<CloseEvent>,
    pub(super) error: Option<Error>,
}

impl<T> Clone for Snapshot<T> {
    fn clone(&self) -> Self {
        Snapshot {
            state: self.state.clone(),
            inbox: self.inbox.clone(),
            close_event: self.close_event.clone(),
            error: self.error.clone(),
        }
    }
}

impl<T> Default for Snapshot<T> {
    fn default() -> Self {
        Snapshot {
            state: None,
            inbox: Inbox::default(),
            close_event: None,
            error: None,
        }
    }
}

/// The connection this component follows and the guards of the handlers that update the
/// snapshot; `owned` unless it is a shared key's (then the last consumer closes it).
struct Live {
    handle: ReconnectingHandle,
    owned: bool,
    _guards: [SubscriptionGuard; 2],
}

/// Owned by the hook (one per component instance): the connection and the current snapshot.
pub(super) struct Driver<T> {
    url: RefCell<String>,
    pub(super) options: RefCell<UseWebSocketOptions<T>>,
    decode: Decode<Rc<T>>,
    live: RefCell<Option<Live>>,
    /// With a shared key: this component's place in it, from mount to unmount.
    membership: RefCell<Option<Membership>>,
    pub(super) snapshot: RefCell<Rc<Snapshot<T>>>,
    rerender: UseForceUpdateHandle,
    /// Between the effect's set-up and its teardown.
    mounted: Cell<bool>,
    /// Whether the teardown's dropped connection was live; `None` until a teardown.
    moved: Cell<Option<bool>>,
}

impl<T: 'static> Driver<T> {
    pub(super) fn new(decode: Decode<Rc<T>>, rerender: UseForceUpdateHandle) -> Self {
        Driver {
            url: RefCell::new(String::new()),
            options: RefCell::new(UseWebSocketOptions::default()),
            decode,
            live: RefCell::new(None),
            membership: RefCell::new(None),
            snapshot: RefCell::new(Rc::new(Snapshot::default())),
            rerender,
            mounted: Cell::new(false),
            moved: Cell::new(None),
        }
    }

    fn update(&self, change: impl FnOnce(&mut Snapshot<T>)) {
        {
            let mut snapshot = self.snapshot.borrow_mut();
            change(Rc::make_mut(&mut snapshot));
        }
        self.rerender.force_update();
    }

    pub(super) fn handle(&self) -> Option<ReconnectingHandle> {
        self.live.borrow().as_ref().map(|live| live.handle.clone())
    }

    /// Shows `error` in a fresh snapshot: no connection started.
    fn refused(&self, error: &Error) {
        self.update(|snapshot| {
            *snapshot = Snapshot {
                error: Some(error.clone()),
                ..Snapshot::default()
            };
        });
    }

    /// Starts a new connection to the current URL, replacing (and closing) any previous one;
    /// with a shared key, makes sure the key's connection is live and follows it.
    fn connect(self: &Rc<Self>) -> Result<(), Error> {
        let options = self.options.borrow().clone();
        if options.get_shared().is_some() {
            return self.connect_shared(&options);
        }
        self.disconnect();
        let url = self.url.borrow().clone();
        match options.open(&url) {
            Ok(handle) => {
                self.attach(&handle, true);
                Ok(())
            }
            Err(error) => {
                self.refused(&error);
                Err(error)
            }
        }
    }

    /// Joins the options' shared key (if not in it yet) and follows its live connection, or
    /// starts one that every consumer follows.
    fn connect_shared(self: &Rc<Self>, options: &UseWebSocketOptions<T>) -> Result<(), Error> {
        if let Err(error) = options.check() {
            self.refused(&error);
            return Err(error);
        }
        let key = self.join(options);
        if let Some(current) = shared::current(&key).filter(|handle| is_live(&handle.state())) {
            self.attach(&current, false);
            return Ok(());
        }
        shared::start(&key).inspect_err(|error| self.refused(error))
    }

    /// This component's shared key (joined now if it is not in it yet, with the options'
    /// key; the first consumer's URL and reconnect options win).
    fn join(self: &Rc<Self>, options: &UseWebSocketOptions<T>) -> String {
        if let Some(membership) = self.membership.borrow().as_ref() {
            return membership.key().to_owned();
        }
        let key = options.get_shared().unwrap_or_default().to_owned();
        let weak = Rc::downgrade(self);
        let attach: Attach = Rc::new(move |handle| {
            if let Some(driver) = weak.upgrade() {
                driver.attach(handle, false);
            }
        });
        let url = self.url.borrow().clone();
        let membership = Membership::join(&key, options.opener(&url), attach);
        *self.membership.borrow_mut() = Some(membership);
        key
    }

    /// Follows `handle` from now on: a fresh snapshot, handlers that update it.
    fn attach(self: &Rc<Self>, handle: &ReconnectingHandle, owned: bool) {
        let weak = Rc::downgrade(self);
        let on_state = handle.on_state(move |state| {
            if let Some(driver) = weak.upgrade() {
                driver.update(|snapshot| {
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
                        snapshot.close_event = Some(event.clone());
                    }
                    snapshot.state = Some(state.clone());
                });
            }
        });
        let weak = Rc::downgrade(self);
        let on_message = handle.on_message(move |message| {
            if let Some(driver) = weak.upgrade() {
                driver.receive(message);
            }
        });
        let state = handle.state();
        self.update(|snapshot| {
            *snapshot = Snapshot {
                state: Some(state),
                ..Snapshot::default()
            };
        });
        let old = self.live.borrow_mut().replace(Live {
            handle: handle.clone(),
            owned,
            _guards: [on_state, on_message],
        });
        // A shared key's previous connection: its handlers go, the registry closed it. An
        // owned one (the options became shared between renders) is closed here.
        if let Some(old) = old {
            if old.owned {
                let _ = old.handle.close();
            }
        }
    }

    fn receive(&self, message: Message) {
        let (bound, on_message) = {
            let options = self.options.borrow();
            (options.get_history(), options.callback())
        };
        let decoded = (self.decode)(message);
        // No borrow is held while the application's callback runs.
        if let (Ok(value), Some(on_message)) = (&decoded, on_message) {
            on_message(&**value);
        }
        let mut failed = None;
        self.update(|snapshot| {
            failed = snapshot.inbox.keep(decoded, bound).err();
            if let Some(error) = &failed {
                snapshot.error = Some(error.clone());
            }
        });
        if failed.is_some() {
            let options = self.options.borrow().clone();
            let closed = match self.handle() {
                Some(handle) => options.after_decode_error(&handle),
                None => Ok(()),
            };
            if let Err(error) = closed {
                self.update(|snapshot| snapshot.error = Some(error));
            }
        }
    }

    /// Stops following the connection without reporting it (the component is going away or
    /// moving to another URL): the handlers are removed first, then an owned connection is
    /// closed for good (a shared one is closed by its last consumer).
    fn disconnect(&self) {
        let live = self.live.borrow_mut().take();
        if let Some(Live {
            handle,
            owned,
            _guards: guards,
        }) = live
        {
            drop(guards);
            if owned {
                // Final: cancels any pending retry.
                let _ = handle.close();
            }
        }
    }

    fn is_live(&self) -> bool {
        self.handle().is_some_and(|handle| is_live(&handle.state()))
    }

    pub(super) fn open(self: &Rc<Self>) -> Result<(), Error> {
        if !self.mounted.get() {
            return Err(Error::NotOpen(State::Closed));
        }
        if self.is_live() {
            return Ok(());
        }
        self.connect()
    }

    /// Effect set-up: connects on mount or to carry a live connection over, else shows none
    /// (with a shared key: joins it and follows its connection, if it has one).
    pub(super) fn start(self: &Rc<Self>, url: &str) {
        *self.url.borrow_mut() = url.to_owned();
        self.mounted.set(true);
        let moved = self.moved.take();
        let options = self.options.borrow().clone();
        if options.get_connect_on_mount() || moved == Some(true) {
            // A refused URL or decode-error close is in the snapshot's error.
            let _ = self.connect();
        } else if options.get_shared().is_some() {
            let key = self.join(&options);
            match shared::current(&key) {
                Some(current) => self.attach(&current, false),
                None if moved.is_some() => self.update(|snapshot| *snapshot = Snapshot::default()),
                None => {}
            }
        } else if moved.is_some() {
            // The teardown dropped a connection that was closing, closed or absent without
            // reporting it: what the snapshot said of it is no longer true.
            self.update(|snapshot| *snapshot = Snapshot::default());
        }
    }

    /// Effect teardown (unmount, URL change): drops the connection, noting if it was live, and
    /// leaves a shared key (the last consumer closes its connection).
    pub(super) fn stop(&self) {
        self.mounted.set(false);
        self.moved.set(Some(self.is_live()));
        self.disconnect();
        let membership = self.membership.borrow_mut().take();
        drop(membership);
    }
}
