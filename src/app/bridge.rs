//! A Web Worker running the `worker` binary, with JSON messages both ways. A wasm worker can
//! only receive once its module has loaded, so messages wait in a queue until it says Ready.

use crate::protocol::{FromWorker, ToWorker};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use web_sys::{Blob, BlobPropertyBag, ErrorEvent, MessageEvent, Url, Worker};

#[derive(Clone)]
pub struct WorkerLink {
    inner: Rc<RefCell<Inner>>,
}

struct Inner {
    worker: Worker,
    ready: bool,
    queue: Vec<String>,
}

/// The worker's script: trunk builds `worker.js` (no-modules) and `worker_bg.wasm` beside the
/// page; a same-origin blob loads them.
fn spawn_worker() -> Result<Worker, JsValue> {
    let loc = web_sys::window().ok_or("no window")?.location();
    let base = format!("{}{}", loc.origin()?, loc.pathname()?.rsplit_once('/').map_or("", |p| p.0));
    let script = format!("importScripts('{base}/worker.js'); wasm_bindgen('{base}/worker_bg.wasm');");
    let parts = js_sys::Array::of1(&JsValue::from_str(&script));
    let opts = BlobPropertyBag::new();
    opts.set_type("text/javascript");
    let blob = Blob::new_with_str_sequence_and_options(&parts, &opts)?;
    Worker::new(&Url::create_object_url_with_blob(&blob)?)
}

impl WorkerLink {
    /// Starts a worker; `on_message` sees every message but Ready, and the worker's own
    /// errors (a script or wasm that fails to load) as `FromWorker::Error`.
    pub fn new(on_message: impl Fn(FromWorker) + 'static) -> Result<WorkerLink, String> {
        let worker = spawn_worker().map_err(|e| format!("cannot start a Web Worker: {e:?}"))?;
        let inner = Rc::new(RefCell::new(Inner { worker: worker.clone(), ready: false, queue: Vec::new() }));
        let on_message = Rc::new(on_message);
        let weak = Rc::downgrade(&inner);
        let deliver = on_message.clone();
        let handler = Closure::<dyn Fn(MessageEvent)>::new(move |e: MessageEvent| {
            let text = e.data().as_string().unwrap_or_default();
            let msg = serde_json::from_str::<FromWorker>(&text).unwrap_or_else(|err| FromWorker::Error {
                message: format!("bad message from the worker: {err}"),
            });
            if let FromWorker::Ready = msg {
                if let Some(inner) = weak.upgrade() {
                    let mut i = inner.borrow_mut();
                    i.ready = true;
                    for m in std::mem::take(&mut i.queue) {
                        i.worker.post_message(&JsValue::from_str(&m)).ok();
                    }
                }
                return;
            }
            deliver(msg);
        });
        worker.set_onmessage(Some(handler.as_ref().unchecked_ref()));
        handler.forget();
        let onerror = Closure::<dyn Fn(ErrorEvent)>::new(move |e: ErrorEvent| {
            let message = format!("the training worker failed: {}", e.message());
            web_sys::console::error_1(&message.clone().into());
            on_message(FromWorker::Error { message });
        });
        worker.set_onerror(Some(onerror.as_ref().unchecked_ref()));
        onerror.forget();
        Ok(WorkerLink { inner })
    }

    pub fn send(&self, msg: &ToWorker) {
        let text = serde_json::to_string(msg).expect("messages serialise");
        let mut i = self.inner.borrow_mut();
        if i.ready {
            i.worker.post_message(&JsValue::from_str(&text)).ok();
        } else {
            i.queue.push(text);
        }
    }

    /// Stops the worker at once (a cancelled sweep); the link is dead afterwards. Handlers go
    /// first: a worker stopped while loading reports the aborted load as an error.
    pub fn terminate(&self) {
        let w = &self.inner.borrow().worker;
        w.set_onmessage(None);
        w.set_onerror(None);
        w.terminate();
    }
}
