//! The Rust floor: raw web-sys with one closure per event, one copy into wasm memory, a queue.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;
use std::task::{Poll, Waker};

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::{now, Workload};

#[derive(Default)]
struct Queue {
    items: VecDeque<Vec<u8>>,
    waker: Option<Waker>,
    open: bool,
    ended: bool,
}

pub struct Raw {
    ws: web_sys::WebSocket,
    queue: Rc<RefCell<Queue>>,
    _on_message: Closure<dyn FnMut(web_sys::MessageEvent)>,
    _on_open: Closure<dyn FnMut()>,
    _on_close: Closure<dyn FnMut()>,
}

fn wake(queue: &RefCell<Queue>) {
    let waker = queue.borrow_mut().waker.take();
    if let Some(waker) = waker {
        waker.wake();
    }
}

impl Raw {
    pub async fn connect(url: &str) -> Result<Raw, JsValue> {
        let ws = web_sys::WebSocket::new(url)?;
        ws.set_binary_type(web_sys::BinaryType::Arraybuffer);
        let queue = Rc::new(RefCell::new(Queue::default()));
        let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new({
            let queue = queue.clone();
            move |event: web_sys::MessageEvent| {
                let data = event.data();
                let bytes = match data.dyn_ref::<js_sys::ArrayBuffer>() {
                    Some(buffer) => js_sys::Uint8Array::new(buffer).to_vec(),
                    None => data.as_string().unwrap_or_default().into_bytes(),
                };
                queue.borrow_mut().items.push_back(bytes);
                wake(&queue);
            }
        });
        let on_open = Closure::<dyn FnMut()>::new({
            let queue = queue.clone();
            move || {
                queue.borrow_mut().open = true;
                wake(&queue);
            }
        });
        let on_close = Closure::<dyn FnMut()>::new({
            let queue = queue.clone();
            move || {
                queue.borrow_mut().ended = true;
                wake(&queue);
            }
        });
        ws.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        ws.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        ws.set_onclose(Some(on_close.as_ref().unchecked_ref()));
        let raw = Raw {
            ws,
            queue,
            _on_message: on_message,
            _on_open: on_open,
            _on_close: on_close,
        };
        std::future::poll_fn(|cx| {
            let mut queue = raw.queue.borrow_mut();
            if queue.open {
                Poll::Ready(Ok(()))
            } else if queue.ended {
                Poll::Ready(Err(JsValue::from_str("connect failed")))
            } else {
                queue.waker = Some(cx.waker().clone());
                Poll::Pending
            }
        })
        .await?;
        Ok(raw)
    }

    pub async fn next(&self) -> Result<Vec<u8>, JsValue> {
        std::future::poll_fn(|cx| {
            let mut queue = self.queue.borrow_mut();
            if let Some(item) = queue.items.pop_front() {
                Poll::Ready(Ok(item))
            } else if queue.ended {
                Poll::Ready(Err(JsValue::from_str("ended")))
            } else {
                queue.waker = Some(cx.waker().clone());
                Poll::Pending
            }
        })
        .await
    }
}

impl Drop for Raw {
    fn drop(&mut self) {
        self.ws.set_onmessage(None);
        self.ws.set_onopen(None);
        self.ws.set_onclose(None);
        let _ = self.ws.close();
    }
}

pub async fn throughput(work: &Workload) -> Result<f64, JsValue> {
    let raw = Raw::connect(&work.url).await?;
    let (payload, text) = (work.payload(), work.text());
    let start = now();
    for _ in 0..work.count {
        if work.binary {
            raw.ws.send_with_u8_array(&payload)?;
        } else {
            raw.ws.send_with_str(&text)?;
        }
    }
    for _ in 0..work.count {
        raw.next().await?;
    }
    Ok(now() - start)
}

pub async fn round_trips(work: &Workload) -> Result<Vec<f64>, JsValue> {
    let raw = Raw::connect(&work.url).await?;
    let text = work.text();
    let mut latencies = Vec::with_capacity(work.count);
    for _ in 0..work.count {
        let start = now();
        raw.ws.send_with_str(&text)?;
        raw.next().await?;
        latencies.push(now() - start);
    }
    Ok(latencies)
}

pub async fn connect_cycles(work: &Workload) -> Result<f64, JsValue> {
    let start = now();
    for _ in 0..work.count {
        drop(Raw::connect(&work.url).await?);
    }
    Ok(now() - start)
}
