//! The text task's corpus: fetched from beside the page the first time that task is chosen (it
//! is not part of the page's start-up download), installed for the page's own baseline, and
//! handed to every worker before its first text run.

use super::bridge::base_url;
use crate::tasks::text;
use std::sync::OnceLock;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

static TEXT: OnceLock<String> = OnceLock::new();

/// The corpus if it has been fetched.
pub fn loaded() -> Option<&'static str> {
    TEXT.get().map(String::as_str)
}

async fn fetch() -> Result<String, String> {
    let url = format!("{}{}", base_url().map_err(|e| format!("{e:?}"))?, text::ASSET);
    let window = web_sys::window().ok_or("no window")?;
    let resp = JsFuture::from(window.fetch_with_str(&url)).await.map_err(|e| format!("{e:?}"))?;
    let resp: web_sys::Response = resp.dyn_into().map_err(|_| "not a response")?;
    if !resp.ok() {
        return Err(format!("{url} answered {}", resp.status()));
    }
    let body =
        JsFuture::from(resp.text().map_err(|e| format!("{e:?}"))?).await.map_err(|e| format!("{e:?}"))?;
    body.as_string().ok_or_else(|| "the corpus is not text".into())
}

/// Fetches and installs the corpus (once), then calls `then` with it or with what went wrong.
pub fn with_corpus(then: impl FnOnce(Result<&'static str, String>) + 'static) {
    if let Some(t) = loaded() {
        then(Ok(t));
        return;
    }
    leptos::task::spawn_local(async move {
        let result = match fetch().await {
            Ok(t) => text::install(&t).map(|()| TEXT.get_or_init(|| t).as_str()),
            Err(e) => Err(e),
        };
        then(result.map_err(|e| format!("the text corpus did not load: {e}")));
    });
}
