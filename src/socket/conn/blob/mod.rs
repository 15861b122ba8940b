//! Blob mode: received Blobs are read in batches, and every event passes through the ordered
//! [`Pipeline`], so binary messages keep their place among text messages and the close. The
//! socket reaches it only through the [`BlobMode`] that [`Shared::enable_blob_mode`] installs
//! (ARCHITECTURE.md, Size techniques).

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

/// One socket's Blob-mode state: the pipeline, the Blobs being read and waiting, the reader.
#[derive(Default)]
pub(crate) struct BlobState {
    pipeline: Pipeline,
    /// The batch being read (empty when no read runs).
    reading: Vec<(Ticket, web_sys::Blob)>,
    /// The Blobs that arrived since, read together next (the lists swap, keeping their storage).
    waiting: Vec<(Ticket, web_sys::Blob)>,
    /// Created by the first read.
    reader: Option<BlobReader>,
    /// The close event as it fires, for `closed()` futures if the socket drops before delivery.
    pub(crate) raw_close: Option<CloseEvent>,
}

/// The error taking the place of a Blob received without Blob mode (`binaryType` set on the raw
/// socket); the connection goes on.
pub(crate) fn blob_without_blob_mode() -> Error {
    Error::BlobRead {
        message: "binaryType was set to \"blob\" on the raw socket; use set_binary_type".to_owned(),
    }
}

impl Shared {
    /// Reads received Blobs and from now on, whatever the binary type, orders events behind them.
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

    /// Delivers the ready head events while [`still_held`](Shared::still_held); no "draining"
    /// flag, which a JS exception would leave set (ARCHITECTURE.md, Re-entrancy).
    fn drain(self: &Rc<Self>) {
        while self.still_held() {
            let next = self.blob_state().pipeline.pop_ready();
            let Some(event) = next else { break };
            self.deliver(event);
        }
    }

    /// Queues a Blob, its slot holding later events back; Blobs arriving during a read are read
    /// next as one concatenated Blob (no copy), split by size.
    fn read_blob(self: &Rc<Self>, blob: web_sys::Blob) {
        {
            let mut state = self.blob_state();
            let ticket = state.pipeline.reserve();
            state.waiting.push((ticket, blob));
        }
        self.read_waiting_blobs();
    }

    /// Reads the waiting Blobs as one batch, unless a read runs or none waits; the result comes
    /// through the socket's one [`BlobReader`].
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

/// Fills a batch's slots: each Blob's bytes cut from the one buffer by size, or the error in each.
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
