//! The supervisor's sockets: each one opened with the options' settings and its events handed
//! back tagged with their attempt's generation, the current one's handle, and what dropping the
//! supervisor leaves it to do.

use std::rc::Rc;

use super::timers::with;
use super::Supervisor;
use crate::reconnect::endpoint::Endpoint;
use crate::{Disconnect, Error, HandlerGuard, WebSocket, WebSocketHandle};

impl Supervisor {
    /// Opens a socket to `endpoint` (resolved) with the options' settings.
    pub(super) fn open_socket(&self, endpoint: &Endpoint) -> Result<WebSocket, Error> {
        let protocols: Vec<&str> = endpoint
            .get_protocols()
            .unwrap_or(&self.options.protocols)
            .iter()
            .map(String::as_str)
            .collect();
        let socket = WebSocket::open_with_protocols(endpoint.url(), &protocols)?;
        socket.set_binary_type(self.options.binary_type);
        socket.set_watermarks(self.options.watermarks);
        socket.set_max_message_size(self.options.max_message_size);
        Ok(socket)
    }

    /// The handlers that hand `socket`'s events, tagged `generation`, to the supervisor (held
    /// weakly): they live as long as the [`Attempt`](super::link::Attempt).
    pub(super) fn listen(
        self: &Rc<Self>,
        socket: &WebSocket,
        generation: u64,
    ) -> [HandlerGuard; 4] {
        let weak = Rc::downgrade(self);
        [
            socket.on_open(with(&weak, move |s| s.opened(generation))),
            socket.on_message({
                let weak = weak.clone();
                move |message| {
                    if let Some(s) = weak.upgrade() {
                        s.received(generation, message);
                    }
                }
            }),
            socket.on_failure({
                let weak = weak.clone();
                move |error| {
                    if let Some(s) = weak.upgrade() {
                        s.failed(generation, error);
                    }
                }
            }),
            socket.on_close({
                let weak = weak.clone();
                move |event| {
                    if let Some(s) = weak.upgrade() {
                        s.end(generation, Disconnect::Closed(event));
                    }
                }
            }),
        ]
    }

    /// The current socket (connecting, open or closing), if any.
    pub(crate) fn socket(&self) -> Option<WebSocketHandle> {
        let inner = self.inner.borrow();
        inner.socket().map(|socket| socket.handle.clone())
    }
}

impl Drop for Supervisor {
    /// The socket closes and the timers cancel as the fields drop; waiting `closed()` futures
    /// still resolve.
    fn drop(&mut self) {
        if self.ending.is_set() || Rc::strong_count(&self.ending) == 1 {
            return;
        }
        let inner = self.inner.get_mut();
        match inner.socket() {
            Some(socket) => self.ending.listen_after_drop(socket.handle.as_raw()),
            None => self.ending.set(inner.last()),
        }
    }
}
