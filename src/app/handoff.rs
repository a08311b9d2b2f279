//! The page is two wasm modules of this crate: the page itself (the `app` binary: the Compare
//! view, the controls, the gallery) and the many-run views (the `views` binary: Sweep, Search,
//! Bench, Gate lab), fetched only when one of those views first shows, so the start-up download stays
//! small. They share the DOM and talk through window events that carry the experiment's text
//! form (`?query#view`, the address); each keeps its own signals. The user's data files are
//! handed over on the window too: the bytes never leave this page.

use super::bridge::base_url;
use crate::archive::Files;
use crate::datafile::DataInfo;
use crate::protocol::{decode, encode};
use js_sys::{Array, Reflect, Uint8Array};
use leptos::prelude::*;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use web_sys::{CustomEvent, CustomEventInit, HtmlScriptElement};

/// The page's experiment and view, sent to the views whenever either changes.
pub const STATE: &str = "gatelab-state";
/// The views changed the experiment or the view (a chip, a range, an opened file).
pub const CHANGE: &str = "gatelab-change";
/// A worker of the views failed: the page shows it with its own.
pub const ERROR: &str = "gatelab-error";
/// Start the search once its view shows (a search finding opened from the gallery).
pub const AUTORUN: &str = "gatelab-autorun";
/// The page took the user's data files (on the window, see `share_data`).
pub const DATA_EVENT: &str = "gatelab-data";
/// Where the views mount, and the window property holding the user's data.
pub const ROOT: &str = "views-root";
const DATA: &str = "gatelabData";

pub fn send(event: &str, detail: &str) {
    let init = CustomEventInit::new();
    init.set_detail(&JsValue::from_str(detail));
    if let Ok(e) = CustomEvent::new_with_event_init_dict(event, &init) {
        window().dispatch_event(&e).ok();
    }
}

/// Calls `f` with the text of every `event` from now on.
pub fn listen(event: &str, f: impl Fn(String) + 'static) {
    let cb = Closure::<dyn Fn(CustomEvent)>::new(move |e: CustomEvent| {
        f(e.detail().as_string().unwrap_or_default())
    });
    window().add_event_listener_with_callback(event, cb.as_ref().unchecked_ref()).ok();
    cb.forget();
}

/// The page's side: the user's files and what they hold, for the views' workers.
pub fn share_data(files: &Files, info: &DataInfo) {
    let list = Array::new();
    for (name, bytes) in files {
        list.push(&Array::of2(&JsValue::from_str(name), &Uint8Array::from(bytes.as_slice())));
    }
    list.push(&Uint8Array::from(encode(info).as_slice()));
    Reflect::set(&window(), &DATA.into(), &list).ok();
    send(DATA_EVENT, "");
}

/// The views' side: the files the page holds and what they hold, if any.
pub fn shared_files() -> Option<(Files, DataInfo)> {
    let list: Array = Reflect::get(&window(), &DATA.into()).ok()?.dyn_into().ok()?;
    let last = list.length().checked_sub(1)?;
    let info: DataInfo = decode(&Uint8Array::new(&list.get(last)).to_vec()).ok()?;
    let files = (0..last)
        .filter_map(|k| {
            let p: Array = list.get(k).dyn_into().ok()?;
            Some((p.get(0).as_string()?, Uint8Array::new(&p.get(1)).to_vec()))
        })
        .collect();
    Some((files, info))
}

enum Load {
    Idle,
    Loading(Vec<Box<dyn FnOnce()>>),
    Ready,
}

thread_local! {
    static LOAD: RefCell<Load> = const { RefCell::new(Load::Idle) };
}

/// The page's side: fetches and starts the views module once (`views.js`, no-modules, and
/// `views_bg.wasm` beside the page), then runs `then`; `failed` hears why it could not load
/// (and the next call tries again).
pub fn load_views(then: impl FnOnce() + 'static, failed: impl Fn(String) + 'static) {
    let fetch = LOAD.with_borrow_mut(|l| match l {
        Load::Idle => {
            *l = Load::Loading(vec![Box::new(then)]);
            None
        }
        Load::Loading(q) => {
            q.push(Box::new(then));
            Some(None)
        }
        Load::Ready => Some(Some(then)),
    });
    match fetch {
        None => {
            let failed = Rc::new(move |e: String| {
                LOAD.set(Load::Idle);
                failed(e)
            });
            if let Err(e) = fetch_views(failed.clone()) {
                failed(format!("the Sweep, Search, Bench and Gate lab views did not load: {e:?}"));
            }
        }
        Some(Some(then)) => then(),
        Some(None) => {}
    }
}

fn fetch_views(failed: Rc<dyn Fn(String)>) -> Result<(), JsValue> {
    let base = base_url()?;
    let script: HtmlScriptElement = document().create_element("script")?.unchecked_into();
    script.set_src(&format!("{base}views.js"));
    let on_error = failed.clone();
    let loaded = Closure::once_into_js(move || {
        // The no-modules glue declares `wasm_bindgen` in the global scope, not on window.
        let wasm = serde_json::to_string(&format!("{base}views_bg.wasm")).unwrap_or_default();
        let init =
            js_sys::Function::new_no_args(&format!("return wasm_bindgen({{ module_or_path: {wasm} }})"));
        leptos::task::spawn_local(async move {
            let started = match init.call0(&JsValue::NULL) {
                Ok(p) => wasm_bindgen_futures::JsFuture::from(js_sys::Promise::from(p)).await.map(|_| ()),
                Err(e) => Err(e),
            };
            match started {
                Ok(()) => {
                    let queued = LOAD.with_borrow_mut(|l| match std::mem::replace(l, Load::Ready) {
                        Load::Loading(q) => q,
                        _ => Vec::new(),
                    });
                    queued.into_iter().for_each(|f| f());
                }
                Err(e) => failed(format!("the Sweep, Search, Bench and Gate lab views did not start: {e:?}")),
            }
        });
    });
    let errored = Closure::once_into_js(move || {
        on_error("the Sweep, Search, Bench and Gate lab views did not load (views.js)".into())
    });
    script.set_onload(Some(loaded.unchecked_ref()));
    script.set_onerror(Some(errored.unchecked_ref()));
    document().body().ok_or("no body")?.append_child(&script)?;
    Ok(())
}
