//! Sending: straight to the open socket, or into the queue, which is flushed in order on
//! open.

use super::{Link, Supervisor};
use crate::reconnect::status::Delivery;
use crate::{Error, Message, State, WebSocketHandle};

impl Supervisor {
    pub(crate) fn send(&self, message: Message) -> Result<Delivery, Error> {
        {
            let mut inner = self.inner.borrow_mut();
            if inner.is_done() {
                let state = if inner.is_closed() {
                    State::Closed
                } else {
                    State::Closing
                };
                return Err(Error::NotOpen(state));
            }
            if !(inner.is_open() && inner.queue.is_empty()) {
                return inner.queue.push(message).map(|()| Delivery::Queued);
            }
        };
        match self.hand_over(message) {
            Ok(()) => Ok(Delivery::Sent),
            // The socket is going away before its close event: keep it for the next connection.
            Err(message) => self
                .inner
                .borrow_mut()
                .queue
                .push(message)
                .map(|()| Delivery::Queued),
        }
    }

    /// Sends the queue oldest first; stops, keeping the rest, if the socket refuses one.
    pub(super) fn flush_queue(&self) {
        loop {
            let Some(message) = self.inner.borrow_mut().queue.pop_front() else {
                break;
            };
            if let Err(message) = self.hand_over(message) {
                self.inner.borrow_mut().queue.push_front(message);
                break;
            }
        }
    }

    /// Sends on the open socket, counting the bytes; hands the message back if none or refused.
    pub(super) fn hand_over(&self, message: Message) -> Result<(), Message> {
        let handle = {
            let inner = self.inner.borrow();
            match &inner.link {
                Link::Open { socket, .. } => socket.handle.clone(),
                _ => return Err(message),
            }
        };
        let bytes = message.len() as f64;
        send_now(&handle, message)?;
        if let Some(socket) = self.inner.borrow_mut().socket_mut() {
            socket.sent_bytes += bytes;
        }
        Ok(())
    }
}

/// Sends on an open socket by reference, handing the message back if the socket refuses it.
fn send_now(handle: &WebSocketHandle, message: Message) -> Result<(), Message> {
    let sent = match &message {
        Message::Text(text) => handle.send_text(text),
        Message::Binary(bytes) => handle.send_bytes(bytes),
    };
    sent.map_err(|_| message)
}
