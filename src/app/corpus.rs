//! The text task's corpus: fetched from beside the page the first time that task is chosen (it
//! is not part of the page's start-up download), installed for the page's own baseline, and
//! handed to every worker before its first text run.

use super::bridge::fetch_beside;
use crate::tasks::text;
use std::sync::OnceLock;

static TEXT: OnceLock<String> = OnceLock::new();

/// The corpus if it has been fetched.
pub fn loaded() -> Option<&'static str> {
    TEXT.get().map(String::as_str)
}

/// Fetches and installs the corpus (once), then calls `then` with it or with what went wrong.
pub fn with_corpus(then: impl FnOnce(Result<&'static str, String>) + 'static) {
    if let Some(t) = loaded() {
        then(Ok(t));
        return;
    }
    leptos::task::spawn_local(async move {
        let result = match fetch_beside(text::ASSET).await {
            Ok(t) => text::install(&t).map(|()| TEXT.get_or_init(|| t).as_str()),
            Err(e) => Err(e),
        };
        then(result.map_err(|e| format!("the text corpus did not load: {e}")));
    });
}
