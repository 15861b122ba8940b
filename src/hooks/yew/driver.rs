//! The hook's state behind the handle: one driver per component instance, owning the
//! connection, and the immutable snapshot each render shows.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use ::yew::functional::UseForceUpdateHandle;

use crate::hooks::{is_live, Decode, Inbox, UseWebSocketOptions};
use crate::{
    CloseEvent, ConnectionState, Disconnect, Error, Message, ReconnectingHandle,
    ReconnectingWebSocket, State, SubscriptionGuard,
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

/// The live connection and the guards of the handlers that update the snapshot.
struct Live {
    socket: ReconnectingWebSocket,
    _guards: [SubscriptionGuard; 2],
}

/// Owned by the hook (one per component instance): the connection and the current snapshot.
pub(super) struct Driver<T> {
    url: RefCell<String>,
    pub(super) options: RefCell<UseWebSocketOptions>,
    decode: Decode<Rc<T>>,
    live: RefCell<Option<Live>>,
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
        self.live.borrow().as_ref().map(|live| live.socket.handle())
    }

    /// Starts a new connection to the current URL, replacing (and closing) any previous one.
    fn connect(self: &Rc<Self>) -> Result<(), Error> {
        self.disconnect();
        let url = self.url.borrow().clone();
        let opened = self.options.borrow().open(&url);
        let socket = match opened {
            Ok(socket) => socket,
            Err(error) => {
                self.update(|snapshot| {
                    *snapshot = Snapshot {
                        error: Some(error.clone()),
                        ..Snapshot::default()
                    };
                });
                return Err(error);
            }
        };
        let weak = Rc::downgrade(self);
        let on_state = socket.on_state(move |state| {
            if let Some(driver) = weak.upgrade() {
                driver.update(|snapshot| {
                    if let ConnectionState::Closed(event)
                    | ConnectionState::Reconnecting {
                        cause: Disconnect::Closed(event),
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
        let on_message = socket.on_message(move |message| {
            if let Some(driver) = weak.upgrade() {
                driver.receive(message);
            }
        });
        let state = socket.state();
        self.update(|snapshot| {
            *snapshot = Snapshot {
                state: Some(state),
                ..Snapshot::default()
            };
        });
        *self.live.borrow_mut() = Some(Live {
            socket,
            _guards: [on_state, on_message],
        });
        Ok(())
    }

    fn receive(&self, message: Message) {
        let bound = self.options.borrow().get_history();
        let mut failed = None;
        self.update(|snapshot| {
            failed = snapshot.inbox.receive(message, self.decode, bound).err();
            if let Some(error) = &failed {
                snapshot.error = Some(error.clone());
            }
        });
        if failed.is_some() {
            let closed = match self.handle() {
                Some(handle) => self.options.borrow().after_decode_error(&handle),
                None => Ok(()),
            };
            if let Err(error) = closed {
                self.update(|snapshot| snapshot.error = Some(error));
            }
        }
    }

    /// Closes the connection for good without reporting it (the component is going away or
    /// moving to another URL): the handlers are removed first.
    fn disconnect(&self) {
        let live = self.live.borrow_mut().take();
        if let Some(Live {
            socket,
            _guards: guards,
        }) = live
        {
            drop(guards);
            // Final: cancels any pending retry. Dropping the socket would close it too.
            let _ = socket.close();
            drop(socket);
        }
    }

    fn is_live(&self) -> bool {
        self.live
            .borrow()
            .as_ref()
            .is_some_and(|live| is_live(&live.socket.state()))
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

    /// Effect set-up: connects on mount or to carry a live connection over, else shows none.
    pub(super) fn start(self: &Rc<Self>, url: &str) {
        *self.url.borrow_mut() = url.to_owned();
        self.mounted.set(true);
        let moved = self.moved.take();
        if self.options.borrow().get_connect_on_mount() || moved == Some(true) {
            // A refused URL or decode-error close is in the snapshot's error.
            let _ = self.connect();
        } else if moved.is_some() {
            // The teardown dropped a connection that was closing, closed or absent without
            // reporting it: what the snapshot said of it is no longer true.
            self.update(|snapshot| *snapshot = Snapshot::default());
        }
    }

    /// Effect teardown (unmount, URL change): drops the connection, noting if it was live.
    pub(super) fn stop(&self) {
        self.mounted.set(false);
        self.moved.set(Some(self.is_live()));
        self.disconnect();
    }
}
