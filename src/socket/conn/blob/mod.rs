//! Blob mode: received Blobs are read into memory in batches, and every event passes through
//! the ordered [`Pipeline`], so binary messages keep their place
//! among text messages and the close.
//!
//! In ArrayBuffer mode every event is complete when the browser fires it and is delivered at
//! once. The socket reaches this module only through the [`BlobMode`] that
//! [`set_binary_type(Blob)`](crate::WebSocketHandle::set_binary_type) installs
//! ([`Shared::enable_blob_mode`]), so an application that never chooses Blob mode links
//! neither the reader nor the pipeline.

pub(crate) mod pipeline;
pub(crate) mod reader;

use std::cell::RefMut;
use std::rc::Rc;

use js_sys::Uint8Array;

use crate::error::js::js_name_and_message;
use crate::socket::conn::blob::pipeline::{Incoming, Pipeline, Ticket};
use crate::socket::conn::blob::reader::BlobReader;
use crate::socket::conn::Shared;
use crate::{CloseEvent, Error, JsMessage};

/// How a socket in Blob mode takes in events; see [`Shared::enable_blob_mode`].
pub(crate) struct BlobMode {
    /// Queues a received Blob for reading, in its pipeline slot.
    pub(crate) read: fn(&Rc<Shared>, web_sys::Blob),
    /// Queues any other event behind the Blobs still being read.
    pub(crate) intake: fn(&Rc<Shared>, Incoming),
}

static BLOB_MODE: BlobMode = BlobMode {
    read: Shared::read_blob,
    intake: Shared::intake_in_order,
};

/// One socket's Blob-mode state: the ordered pipeline, the received Blobs being read and
/// those waiting for the next read, and the reader.
#[derive(Default)]
pub(crate) struct BlobState {
    pipeline: Pipeline,
    /// The batch being read (empty when no read runs).
    reading: Vec<(Ticket, web_sys::Blob)>,
    /// The Blobs that arrived since, read together next. The two lists swap at each read, so
    /// that batches reuse their storage.
    waiting: Vec<(Ticket, web_sys::Blob)>,
    /// Created by the first read.
    reader: Option<BlobReader>,
    /// The browser's close event as soon as it fires, while earlier messages are still being
    /// read: kept for the `closed()` futures in case the socket is dropped before it is
    /// delivered.
    pub(crate) raw_close: Option<CloseEvent>,
}

/// What a Blob that arrives without Blob mode becomes: an error in its place in the stream
/// (the connection goes on). It can only happen when `binaryType` was set to `"blob"` on the
/// raw socket, around browser-ws.
pub(crate) fn blob_without_blob_mode() -> Error {
    Error::BlobRead {
        message: "binaryType was set to \"blob\" on the raw socket; use set_binary_type".to_owned(),
    }
}

impl Shared {
    /// Lets this socket read received Blobs, and from now on (whatever the binary type) orders
    /// every event behind them. The pipeline is empty until then: events were delivered as
    /// they came.
    pub(crate) fn enable_blob_mode(&self) {
        self.blob_mode.set(Some(&BLOB_MODE));
    }

    /// This socket's Blob-mode state, created by its first use.
    fn blob_state(&self) -> RefMut<'_, BlobState> {
        RefMut::map(self.inner_mut(), |inner| inner.blob_state.get_or_default())
    }

    fn intake_in_order(self: &Rc<Self>, event: Incoming) {
        let mut state = self.blob_state();
        if let Incoming::Close(close) = &event {
            state.raw_close = Some(close.clone());
        }
        state.pipeline.push(event);
        drop(state);
        self.drain();
    }

    /// Delivers every ready event at the head of the pipeline, in order. No borrow is held
    /// while user code runs, so handlers may freely use the socket. There is deliberately no
    /// "already draining" flag: a handler that lets a JS exception unwind through it would
    /// leave such a flag set and wedge the socket for good. It stops when a handler dropped the
    /// socket's last handle ([`still_held`](Shared::still_held)), even within a batch.
    fn drain(self: &Rc<Self>) {
        while self.still_held() {
            let next = self.blob_state().pipeline.pop_ready();
            let Some(event) = next else { break };
            self.deliver(event);
        }
    }

    /// Queues a Blob message for reading; its pipeline slot holds every later event back until
    /// the read finishes. One read runs at a time, and the Blobs that arrive meanwhile are read
    /// together next, as one concatenated Blob (concatenation does not copy), then split by
    /// size: under load that is one asynchronous read per batch instead of per message, and
    /// still one copy per message.
    fn read_blob(self: &Rc<Self>, blob: web_sys::Blob) {
        {
            let mut state = self.blob_state();
            let ticket = state.pipeline.reserve();
            state.waiting.push((ticket, blob));
        }
        self.read_waiting_blobs();
    }

    /// Starts reading the waiting Blobs as one batch, unless a read is running or none waits.
    /// Its result comes back through the socket's [`BlobReader`]: no task, future or closure
    /// per batch, and the batch lists keep their storage.
    fn read_waiting_blobs(self: &Rc<Self>) {
        let (port, blobs) = {
            let mut state = self.blob_state();
            let state = &mut *state;
            if !state.reading.is_empty() || state.waiting.is_empty() {
                return;
            }
            std::mem::swap(&mut state.reading, &mut state.waiting);
            let blobs = match state.reading.as_slice() {
                [(_, single)] => wasm_bindgen::JsValue::from(single),
                several => several
                    .iter()
                    .map(|(_, blob)| blob.clone())
                    .collect::<js_sys::Array>()
                    .into(),
            };
            let reader = state.reader.get_or_insert_with(|| {
                let weak = Rc::downgrade(self);
                BlobReader::new(move |result| {
                    if let Some(shared) = weak.upgrade() {
                        shared.blob_batch_read(result);
                    }
                })
            });
            (reader.port(), blobs)
        };
        // Outside the borrow: nothing of the socket's is borrowed while JS runs.
        crate::util::glue::read_blobs(&port, &blobs);
    }

    /// A batch's read finished: fills its slots, starts the next batch, delivers what is ready.
    fn blob_batch_read(
        self: &Rc<Self>,
        result: Result<wasm_bindgen::JsValue, wasm_bindgen::JsValue>,
    ) {
        {
            let mut state = self.blob_state();
            let state = &mut *state;
            fill_batch(&mut state.pipeline, &state.reading, result);
            state.reading.clear();
        }
        self.read_waiting_blobs();
        self.drain();
    }
}

/// Fills a batch's slots from its read: each Blob's bytes, cut from the one buffer by size, or
/// the read's error in every slot.
fn fill_batch(
    pipeline: &mut Pipeline,
    batch: &[(Ticket, web_sys::Blob)],
    result: Result<wasm_bindgen::JsValue, wasm_bindgen::JsValue>,
) {
    match result {
        Ok(buffer) => {
            let bytes = Uint8Array::new(&buffer);
            let mut offset = 0u32;
            for (ticket, blob) in batch {
                // Blob sizes are integral and the batch fitted in one ArrayBuffer.
                let end = offset.saturating_add(blob.size() as u32);
                let message = JsMessage::Binary(bytes.subarray(offset, end));
                offset = end;
                pipeline.fill(*ticket, Incoming::Message(Ok(message)));
            }
        }
        Err(thrown) => {
            let message = js_name_and_message(&thrown).1;
            for (ticket, _) in batch {
                let error = Error::BlobRead {
                    message: message.clone(),
                };
                pipeline.fill(*ticket, Incoming::Message(Err(error)));
            }
        }
    }
}
