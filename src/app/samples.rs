//! Text written by each architecture (one seed), side by side, refreshed as they train: the
//! text task's most direct evidence.

use super::controls::control;
use super::gates::SeedPicker;
use super::{arch_style, lab};
use crate::config::keys::key;
use leptos::prelude::*;

#[component]
pub fn Samples() -> impl IntoView {
    let lab = lab();
    let text_task = Memo::new(move |_| lab.cfg.with(|c| c.task.writes_text()));
    view! {
        <Show when=move || text_task.get()>
            <section class="panel" aria-label="Text samples">
                <div class="panel-head">
                    <h2>"What they write"</h2>
                    <div class="toggles"><SeedPicker/></div>
                </div>
                {control(key("temp").expect("the table has temp"))}
                <p class="hint">"Each network, after a newline, writes one character at a time, drawing from its own \
                    prediction; lower temperatures pick the likeliest characters more often."</p>
                <div class="samples" id="samples">
                    {move || lab.samples.get().into_iter().map(|(info, text)| view! {
                        <figure class="sample" data-arch=info.spec.arch.name() style=arch_style(info.spec.arch)>
                            <figcaption>{info.spec.arch.upper()}" · seed "{info.spec.seed}</figcaption>
                            <pre>{text}</pre>
                        </figure>
                    }).collect_view()}
                </div>
            </section>
        </Show>
    }
}
