//! The `Sink` of a [`ReconnectingWebSocket`]: backpressure from the open socket, room in the
//! send queue otherwise, and a close that sends the queue first.

use std::pin::Pin;
use std::task::{Context, Poll};

use futures_sink::Sink;

use super::connection::ReconnectingWebSocket;
use super::supervisor::Supervisor;
use crate::{CloseCode, Error, Message, State};

impl Supervisor {
    fn closed_error(&self) -> Error {
        let inner = self.inner.borrow();
        Error::NotOpen(if inner.is_closed() {
            State::Closed
        } else {
            State::Closing
        })
    }

    /// Closing or closed: nothing more can be sent.
    fn is_done(&self) -> bool {
        self.inner.borrow().is_done()
    }

    /// The messages left in the queue, as the error of a flush or close that cannot send them.
    fn unsent(&self) -> Error {
        let inner = self.inner.borrow();
        Error::Unsent {
            queued_messages: inner.queue.len(),
            queued_bytes: inner.queue.bytes(),
        }
    }

    /// Open: the socket's high mark decides, else room in the queue; always registered here too,
    /// as the socket waited on may be dropped without waking anyone.
    fn poll_sink_ready(&self, cx: &mut Context<'_>) -> Poll<Result<(), Error>> {
        if self.is_done() {
            return Poll::Ready(Err(self.closed_error()));
        }
        let (open, room) = {
            let inner = self.inner.borrow();
            (
                inner.is_open() && inner.queue.is_empty(),
                inner.queue.has_room(),
            )
        };
        let socket = self.socket().filter(|_| open);
        let ready = match socket.map(|socket| socket.shared.poll_send_ready(cx)) {
            // The socket is going away: the message will be queued.
            Some(Poll::Ready(Err(_))) => Poll::Ready(Ok(())),
            Some(polled) => polled,
            None if room => Poll::Ready(Ok(())),
            None => Poll::Pending,
        };
        if ready.is_pending() {
            self.ready_waiters.register(&self.ready_key, cx.waker());
        } else {
            self.ready_waiters.remove(&self.ready_key);
        }
        ready
    }

    /// Done when the queue is empty and the socket's buffer at most the low mark; once closing
    /// or closed, [`Error::Unsent`] if anything is queued.
    fn poll_sink_flush(&self, cx: &mut Context<'_>) -> Poll<Result<(), Error>> {
        let done = self.is_done();
        let (open, queue_empty) = {
            let inner = self.inner.borrow();
            (inner.is_open(), inner.queue.is_empty())
        };
        if done {
            self.ready_waiters.remove(&self.flush_key);
            return Poll::Ready(if queue_empty {
                Ok(())
            } else {
                Err(self.unsent())
            });
        }
        if open && queue_empty {
            if let Some(socket) = self.socket() {
                if let Poll::Ready(Ok(())) = socket.shared.poll_send_flush(cx) {
                    self.ready_waiters.remove(&self.flush_key);
                    return Poll::Ready(Ok(()));
                }
            }
        }
        self.ready_waiters.register(&self.flush_key, cx.waker());
        Poll::Pending
    }

    /// Sends the queue first, then closes with 1000 and waits; fails, closing nothing, if the
    /// queue can no longer be sent.
    fn poll_sink_close(&self, cx: &mut Context<'_>) -> Poll<Result<(), Error>> {
        let queued = !self.inner.borrow().queue.is_empty();
        if queued {
            if self.is_done() {
                self.ready_waiters.remove(&self.flush_key);
                return Poll::Ready(Err(self.unsent()));
            }
            self.ready_waiters.register(&self.flush_key, cx.waker());
            return Poll::Pending;
        }
        self.ready_waiters.remove(&self.flush_key);
        self.close(CloseCode::NORMAL, "")?;
        self.ending
            .poll(&self.ending.sink_close_key, cx)
            .map(|_| Ok(()))
    }
}

impl Sink<Message> for ReconnectingWebSocket {
    type Error = Error;

    /// Open: waits while the socket buffers more than its high watermark. Not open: ready
    /// while the send queue has room, else waits for the next open.
    fn poll_ready(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<(), Error>> {
        self.handle.supervisor.poll_sink_ready(cx)
    }

    fn start_send(self: Pin<&mut Self>, item: Message) -> Result<(), Error> {
        self.handle.send(item).map(|_| ())
    }

    /// Waits until the queue is sent and the open socket buffers at most its low watermark.
    /// [`Error::Unsent`] once closing or closed with messages still queued.
    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<(), Error>> {
        self.handle.supervisor.poll_sink_flush(cx)
    }

    /// Sends what is queued (waiting for the next open if need be), then closes for good with
    /// 1000 and waits for the final close event. Never `Ok` with messages unsent: if the
    /// connection closes for good first (the retries run out, or
    /// [`close`](crate::ReconnectingHandle::close) was called), it fails with [`Error::Unsent`] and
    /// the messages stay queued, for [`take_queued`](crate::ReconnectingHandle::take_queued). To
    /// close at once whatever is queued, call [`close`](crate::ReconnectingHandle::close).
    fn poll_close(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<(), Error>> {
        self.handle.supervisor.poll_sink_close(cx)
    }
}
