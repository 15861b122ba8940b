//! Building a supervisor: the options and a fixed endpoint checked, every field's first value,
//! the page listeners, then the first attempt.

use std::cell::RefCell;
use std::rc::Rc;

use super::lifecycle;
use super::link::Inner;
use super::link::{abnormal, Link};
use super::Supervisor;
use crate::reconnect::endpoint::{Endpoint, Target};
use crate::reconnect::options::ReconnectOptions;
use crate::reconnect::queue::SendQueue;
use crate::reconnect::status::ConnectionState;
use crate::socket::conn::closed::Ending;
use crate::socket::protocols::validate_protocols;
use crate::util::handlers::HandlerList;
use crate::util::inbox::Inbox;
use crate::util::wakers::{WaiterKey, WakerSet};
use crate::Error;

impl Supervisor {
    /// Validates the options (and a fixed URL and subprotocols), then starts the first attempt.
    pub(crate) fn start(
        target: Target,
        options: ReconnectOptions,
    ) -> Result<Rc<Supervisor>, Error> {
        options.validate()?;
        let target = match target {
            Target::Fixed(endpoint) => Target::Fixed(resolve(&endpoint, &options)?),
            provider @ Target::Provider(_) => provider,
        };
        let url = match &target {
            Target::Fixed(endpoint) => endpoint.url().to_owned(),
            Target::Provider(_) => String::new(),
        };
        let supervisor = Rc::new(Supervisor {
            target,
            inner: RefCell::new(Inner {
                link: Link::Idle { last: abnormal() },
                reported: ConnectionState::Connecting { attempt: 0 },
                generation: 0,
                failures: 0,
                ever_opened: false,
                url,
                queue: SendQueue::new(options.queue),
                inbox: Inbox::default(),
                messages: HandlerList::default(),
                states: HandlerList::default(),
            }),
            options,
            ready_waiters: WakerSet::default(),
            ready_key: WaiterKey::default(),
            flush_key: WaiterKey::default(),
            ending: Rc::new(Ending::default()),
            watch: RefCell::default(),
        });
        *supervisor.watch.borrow_mut() = Some(lifecycle::watch(&supervisor));
        supervisor.attempt()?;
        Ok(supervisor)
    }
}

/// `endpoint` with its URL resolved, its subprotocols (or the options') checked.
pub(super) fn resolve(endpoint: &Endpoint, options: &ReconnectOptions) -> Result<Endpoint, Error> {
    let url = crate::socket::url::resolve(endpoint.url())?;
    let protocols = endpoint.get_protocols().unwrap_or(&options.protocols);
    let list: Vec<&str> = protocols.iter().map(String::as_str).collect();
    validate_protocols(&list)?;
    let resolved = Endpoint::new(url);
    Ok(match endpoint.get_protocols() {
        Some(protocols) => resolved.protocols(protocols.iter().cloned()),
        None => resolved,
    })
}
