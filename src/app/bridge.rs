//! A Web Worker running the `worker` binary, with binary messages both ways. A wasm worker can
//! only receive once its module has loaded, so messages wait in a queue until it says Ready.

use crate::protocol::{decode, encode, FromWorker, ToWorker};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use web_sys::{Blob, BlobPropertyBag, ErrorEvent, MessageEvent, Url, Worker};

pub struct WorkerLink {
    inner: Rc<RefCell<Inner>>,
}

struct Inner {
    worker: Worker,
    ready: bool,
    queue: Vec<Vec<u8>>,
}

/// The folder the page was served from, as an absolute URL ending in '/': the page works from
/// any folder of any host.
pub fn base_url() -> Result<String, JsValue> {
    let href = web_sys::window().ok_or("no window")?.location().href()?;
    Ok(Url::new_with_base("./", &href)?.href())
}

/// A text file served beside the page (an asset), fetched when first needed.
pub async fn fetch_beside(name: &str) -> Result<String, String> {
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    let url = format!("{}{name}", base_url().map_err(|e| format!("{e:?}"))?);
    let window = web_sys::window().ok_or("no window")?;
    let resp = JsFuture::from(window.fetch_with_str(&url)).await.map_err(|e| format!("{e:?}"))?;
    let resp: web_sys::Response = resp.dyn_into().map_err(|_| "not a response")?;
    if !resp.ok() {
        return Err(format!("{url} answered {}", resp.status()));
    }
    let body =
        JsFuture::from(resp.text().map_err(|e| format!("{e:?}"))?).await.map_err(|e| format!("{e:?}"))?;
    body.as_string().ok_or_else(|| format!("{url} is not text"))
}

/// The worker's script: trunk builds `worker.js` (no-modules) and `worker_bg.wasm` beside the
/// page; a same-origin blob loads them. The URLs enter the script as JSON string literals, so
/// no character of a path can break out of them.
fn spawn_worker() -> Result<Worker, JsValue> {
    let base = base_url()?;
    let quote = |s: String| serde_json::to_string(&s).unwrap_or_default();
    let script = format!(
        "importScripts({}); wasm_bindgen({{ module_or_path: {} }});",
        quote(format!("{base}worker.js")),
        quote(format!("{base}worker_bg.wasm"))
    );
    let parts = js_sys::Array::of1(&JsValue::from_str(&script));
    let opts = BlobPropertyBag::new();
    opts.set_type("text/javascript");
    let blob = Blob::new_with_str_sequence_and_options(&parts, &opts)?;
    let url = Url::create_object_url_with_blob(&blob)?;
    let worker = Worker::new(&url);
    Url::revoke_object_url(&url).ok();
    worker
}

fn post(worker: &Worker, bytes: &[u8]) {
    let buf = js_sys::Uint8Array::from(bytes).buffer();
    worker.post_message_with_transfer(&buf, &js_sys::Array::of1(&buf)).ok();
}

/// The bytes of a message event's data (an ArrayBuffer).
pub fn bytes_of(e: &MessageEvent) -> Vec<u8> {
    js_sys::Uint8Array::new(&e.data()).to_vec()
}

impl WorkerLink {
    /// Starts a worker; `on_message` sees every message but Ready, and the worker's own
    /// failures (a script or wasm that fails to load, a trap) as `FromWorker::Error`.
    pub fn new(on_message: impl Fn(FromWorker) + 'static) -> Result<WorkerLink, String> {
        let worker = spawn_worker().map_err(|e| format!("cannot start a Web Worker: {e:?}"))?;
        let inner = Rc::new(RefCell::new(Inner { worker: worker.clone(), ready: false, queue: Vec::new() }));
        let on_message = Rc::new(on_message);
        let weak = Rc::downgrade(&inner);
        let deliver = on_message.clone();
        let handler = Closure::<dyn Fn(MessageEvent)>::new(move |e: MessageEvent| {
            let msg = decode::<FromWorker>(&bytes_of(&e)).unwrap_or_else(|err| FromWorker::Error {
                message: format!("bad message from a worker: {err}"),
            });
            if let FromWorker::Ready = msg {
                if let Some(inner) = weak.upgrade() {
                    let mut i = inner.borrow_mut();
                    i.ready = true;
                    for m in std::mem::take(&mut i.queue) {
                        post(&i.worker, &m);
                    }
                }
                return;
            }
            deliver(msg);
        });
        let onerror = Closure::<dyn Fn(ErrorEvent)>::new(move |e: ErrorEvent| {
            e.prevent_default();
            on_message(FromWorker::Error { message: format!("a training worker failed: {}", e.message()) });
        });
        worker.set_onmessage(Some(handler.as_ref().unchecked_ref()));
        worker.set_onerror(Some(onerror.as_ref().unchecked_ref()));
        // Leaked on purpose: a handler may terminate its own worker while it runs, and a
        // closure must outlive its last call. Two small closures per worker started.
        handler.forget();
        onerror.forget();
        Ok(WorkerLink { inner })
    }

    pub fn send(&self, msg: &ToWorker) {
        let bytes = encode(msg);
        let mut i = self.inner.borrow_mut();
        if i.ready {
            post(&i.worker, &bytes);
        } else {
            i.queue.push(bytes);
        }
    }

    /// Stops the worker at once; the link is dead afterwards. Handlers go first: a worker
    /// stopped while loading reports the aborted load as an error.
    pub fn terminate(&self) {
        let i = self.inner.borrow();
        i.worker.set_onmessage(None);
        i.worker.set_onerror(None);
        i.worker.terminate();
    }
}
