//! The supervisor's state: [`Inner`], its [`Link`], the socket of the moment ([`Attempt`]), and
//! what [`Inner`] answers about them.

use super::subscribers::{MessageHandler, StateHandler};
use super::HeartbeatRun;
use crate::reconnect::queue::SendQueue;
use crate::util::handlers::HandlerList;
use crate::util::inbox::Inbox;
use crate::util::task::Task;
use crate::{
    CloseCode, CloseEvent, ConnectionState, Disconnect, Error, HandlerGuard, Message,
    WebSocketHandle,
};
use gloo_timers::callback::Timeout;

/// One socket and what lives exactly as long as it.
pub(super) struct Attempt {
    pub(super) handle: WebSocketHandle,
    pub(super) _guards: [HandlerGuard; 4],
    /// Payload bytes handed to this socket: with `bufferedAmount`, what has left the browser.
    pub(super) sent_bytes: f64,
    /// A message was refused as too big: its close is [`crate::Disconnect::MessageTooBig`].
    pub(super) refused: bool,
}

impl Attempt {
    /// Payload bytes that have left the browser: handed over, less what `bufferedAmount` holds.
    pub(super) fn drained(&self) -> f64 {
        self.sent_bytes - f64::from(self.handle.buffered_amount())
    }
}

/// The connection's lifecycle: the socket it has, if any, and what goes with that state.
pub(super) enum Link {
    /// No socket: the first is about to be opened, or the policy is deciding what follows the
    /// ending whose event is `last` (1006 for a timeout, which has none).
    Idle { last: CloseEvent },
    /// The URL provider runs (`task`, dropped with this state), bounded by the connect timeout.
    Providing {
        _task: Task,
        _timer: Option<Timeout>,
        last: CloseEvent,
    },
    /// A handshake is under way, aborted by `timer` if it takes too long.
    Attempting {
        socket: Attempt,
        timer: Option<Timeout>,
    },
    /// The socket is open since `since` (`Date.now()`), watched by its heartbeat.
    Open {
        socket: Attempt,
        since: f64,
        heartbeat: Option<HeartbeatRun>,
    },
    /// No socket: waiting for the retry timer (the state reported says how long and why);
    /// `last`: the event of the ending before, `cause` why it ended.
    Waiting {
        _timer: Timeout,
        last: CloseEvent,
        cause: Disconnect,
    },
    /// No socket, no timer: the browser is offline; the next attempt waits for `online`.
    Offline { last: CloseEvent },
    /// `close()` was called: the socket is closing.
    Closing { socket: Attempt },
    /// Closed for good.
    Closed(CloseEvent),
}

/// The supervisor's mutable state, behind one `RefCell`: never borrowed while application code
/// runs.
pub(crate) struct Inner {
    pub(super) link: Link,
    /// The state last reported to the application: what `state()` says.
    pub(super) reported: ConnectionState,
    /// Tags the current socket's events: any other generation is an abandoned socket's.
    pub(super) generation: u64,
    /// Failed attempts in a row (see
    /// [`ReconnectContext::failures`](crate::ReconnectContext::failures)).
    pub(super) failures: u32,
    /// Once any socket opened, an unclean final ending is a lost connection, not a failed connect.
    pub(super) ever_opened: bool,
    /// The resolved URL of the latest attempt (empty before a provider returned one).
    pub(crate) url: String,
    pub(crate) queue: SendQueue,
    pub(crate) inbox: Inbox<Result<Message, Error>>,
    pub(super) messages: HandlerList<MessageHandler>,
    pub(super) states: HandlerList<StateHandler>,
}

impl Inner {
    /// What the connection is doing, as last reported.
    pub(crate) fn state(&self) -> &ConnectionState {
        &self.reported
    }

    /// Whether messages sent now go straight to the network.
    pub(crate) fn is_open(&self) -> bool {
        matches!(self.link, Link::Open { .. })
    }

    /// Closing or closed: nothing more can be sent.
    pub(crate) fn is_done(&self) -> bool {
        matches!(self.link, Link::Closing { .. } | Link::Closed(_))
    }

    pub(crate) fn is_closed(&self) -> bool {
        matches!(self.link, Link::Closed(_))
    }

    /// The open socket and its heartbeat's run, while the link is open with a heartbeat.
    pub(super) fn heartbeat_mut(&mut self) -> Option<(&mut Attempt, &mut HeartbeatRun)> {
        match &mut self.link {
            Link::Open {
                socket,
                heartbeat: Some(run),
                ..
            } => Some((socket, run)),
            _ => None,
        }
    }

    /// The socket, while there is one.
    pub(super) fn socket(&self) -> Option<&Attempt> {
        match &self.link {
            Link::Attempting { socket, .. }
            | Link::Open { socket, .. }
            | Link::Closing { socket } => Some(socket),
            Link::Idle { .. }
            | Link::Providing { .. }
            | Link::Waiting { .. }
            | Link::Offline { .. }
            | Link::Closed(_) => None,
        }
    }

    pub(super) fn socket_mut(&mut self) -> Option<&mut Attempt> {
        match &mut self.link {
            Link::Attempting { socket, .. }
            | Link::Open { socket, .. }
            | Link::Closing { socket } => Some(socket),
            Link::Idle { .. }
            | Link::Providing { .. }
            | Link::Waiting { .. }
            | Link::Offline { .. }
            | Link::Closed(_) => None,
        }
    }

    /// Whether `generation` tags the attempt there is now (its provider call or its socket).
    pub(super) fn is_current(&self, generation: u64) -> bool {
        self.generation == generation
            && (self.socket().is_some() || matches!(self.link, Link::Providing { .. }))
    }

    /// The event of the last ending, for a close while no socket exists.
    pub(super) fn last(&self) -> CloseEvent {
        match &self.link {
            Link::Idle { last }
            | Link::Providing { last, .. }
            | Link::Waiting { last, .. }
            | Link::Offline { last }
            | Link::Closed(last) => last.clone(),
            _ => abnormal(),
        }
    }
}

/// The close event reported when no browser event exists (an aborted attempt, a timeout).
pub(super) fn abnormal() -> CloseEvent {
    CloseEvent {
        code: CloseCode::ABNORMAL,
        reason: String::new(),
        was_clean: false,
    }
}
