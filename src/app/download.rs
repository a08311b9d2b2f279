//! Files the page hands to the user: a text as a download, and the name each run's files get.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Blob, BlobPropertyBag, HtmlAnchorElement, Url};

pub fn click_download(href: &str, name: &str) {
    let a: HtmlAnchorElement = document().create_element("a").expect("a").unchecked_into();
    a.set_href(href);
    a.set_download(name);
    a.click();
}

pub fn download(name: &str, mime: &str, text: &str) {
    download_bytes(name, mime, text.as_bytes());
}

pub fn download_bytes(name: &str, mime: &str, bytes: &[u8]) {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let opts = BlobPropertyBag::new();
    opts.set_type(mime);
    if let Ok(url) = Blob::new_with_u8_array_sequence_and_options(&parts, &opts)
        .and_then(|b| Url::create_object_url_with_blob(&b))
    {
        click_download(&url, name);
        Url::revoke_object_url(&url).ok();
    }
}
