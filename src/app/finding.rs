//! The gallery's finding beside the results: when the experiment on the page is a finding's,
//! its sentence and held-out odds stay in view, and once every seed has finished the page
//! checks the finding's own claim on the runs it has just trained.

use super::lab;
use crate::experiment::summary::Summary;
use crate::presets::matching;
use leptos::prelude::*;

#[component]
pub fn Finding() -> impl IntoView {
    let lab = lab();
    let preset = Memo::new(move |_| lab.cfg.with(matching).map(|p| p.name));
    let check = move || {
        let p = lab.cfg.with(matching)?;
        let rows: Option<Vec<Summary>> = lab.runs.with(|v| v.iter().map(|r| r.summary.clone()).collect());
        Some(match rows.filter(|r| !r.is_empty()) {
            Some(rows) => {
                let (held, of) = p.check(&rows);
                format!("This run: the claim holds on {held} of {of} seeds.")
            }
            None => "This run: the claim is checked on each seed when every run has finished.".to_string(),
        })
    };
    move || {
        preset.get()?;
        let p = lab.cfg.with_untracked(matching)?;
        Some(view! {
            <div class="finding" id="finding" aria-live="polite">
                <strong>"Finding: "{p.name}</strong>
                <p>{p.shows}" It "{p.odds_text()}"."</p>
                <p class="finding-check" id="finding-check">{check}</p>
            </div>
        })
    }
}
