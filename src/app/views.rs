//! The `views` binary: the Sweep, Search, Bench, Gate lab and Atlas views, mounted into the page's
//! `#views-root` once one of them first shows (see `handoff`). It keeps its own copy of the
//! experiment and view, in step with the page's through the handoff events.

use super::handoff::{self, AUTORUN, CHANGE, DATA_EVENT, ERROR, ROOT, STATE};
use super::{atlas, bench, cells, charts, search, sweep, Lab, View};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

pub fn start() {
    std::panic::set_hook(Box::new(super::panic_hook));
    // These views' own styles come with them, not with the start-up download.
    if let (Ok(style), Some(head)) = (document().create_element("style"), document().head()) {
        style.set_text_content(Some(include_str!("../../style/views.css")));
        head.append_child(&style).ok();
    }
    let Some(root) = document().get_element_by_id(ROOT) else { return };
    leptos::mount::mount_to(root.unchecked_into(), Views).forget();
}

#[component]
fn Views() -> impl IntoView {
    let loc = window().location();
    let lab = Lab::new(&loc.search().unwrap_or_default(), &loc.hash().unwrap_or_default());
    provide_context(lab);
    let s = sweep::SweepState::new();
    provide_context(s);
    charts::provide_drawn();
    // The last address heard from the page or sent to it: an echo is not news.
    let last = StoredValue::new(String::new());
    handoff::listen(STATE, move |text| {
        if text != last.get_value() {
            last.set_value(text.clone());
            lab.follow(&text);
        }
    });
    // A search finding opened from the gallery: its address, then start it when it shows.
    handoff::listen(AUTORUN, move |text| {
        last.set_value(text.clone());
        lab.follow(&text);
        s.autorun.set(true);
    });
    // The page's files: what they hold binds this module's experiment to them.
    let take = move || {
        if let Some((_, info)) = handoff::shared_files() {
            lab.data.take_info(info, lab.cfg);
        }
    };
    take();
    handoff::listen(DATA_EVENT, move |_| take());
    Effect::new(move |_| {
        let text = lab.address();
        if text != last.get_value() {
            last.set_value(text.clone());
            handoff::send(CHANGE, &text);
        }
    });
    Effect::new(move |_| {
        if let Some(e) = lab.error.get() {
            handoff::send(ERROR, &e);
            lab.error.set(None);
        }
    });
    move || match lab.view.get() {
        View::Compare => ().into_any(),
        View::Sweep => view! { <sweep::SweepView/> }.into_any(),
        View::Search => view! { <search::SearchView/> }.into_any(),
        View::Bench => view! { <bench::BenchView/> }.into_any(),
        View::Gatelab => view! { <cells::CellsView/> }.into_any(),
        View::Atlas => view! { <atlas::AtlasView/> }.into_any(),
    }
}
