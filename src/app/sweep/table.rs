//! Every run of the sweep in a sortable table, and its CSV.

use super::SweepState;
use crate::summary::{csv, Summary};
use leptos::prelude::*;

#[component]
pub fn SweepTable(s: SweepState) -> impl IntoView {
    let sort = RwSignal::new((7usize, true));
    let sorted = move || {
        let (k, asc) = sort.get();
        let mut rows: Vec<(usize, Summary)> = s.results.with(|r| {
            r.as_ref()
                .map(|r| r.rows.iter().enumerate().filter_map(|(i, x)| Some((i, x.clone()?))).collect())
                .unwrap_or_default()
        });
        rows.sort_by(|a, b| {
            let o = a.1.column(k).0.total_cmp(&b.1.column(k).0);
            if asc {
                o
            } else {
                o.reverse()
            }
        });
        rows
    };
    let download = move |_| {
        let rows = s.results.with(|r| r.as_ref().map(|r| r.done()).unwrap_or_default());
        crate::app::download::download("gatelab-sweep.csv", "text/csv", &csv(&rows));
    };
    let header = Summary::COLUMNS.iter().enumerate().map(|(k, name)| {
        let mark = move || {
            let (sk, asc) = sort.get();
            if sk == k { if asc { " ▲" } else { " ▼" } } else { "" }
        };
        view! {
            <th><button class="sort" on:click=move |_| sort.update(|s| *s = (k, if s.0 == k { !s.1 } else { true }))>{*name}{mark}</button></th>
        }
    });
    view! {
        <section class="panel" aria-label="Sweep table">
            <div class="panel-head">
                <h2>"All runs"</h2>
                <button id="sweep-csv" on:click=download>"Table (CSV)"</button>
            </div>
            <div class="table-wrap">
                <table class="stats" id="sweep-table">
                    <thead><tr>{header.collect_view()}</tr></thead>
                    <tbody>
                        <For each=sorted key=|(i, r)| (*i, r.steps, r.state) let:row>
                            <tr data-arch=row.1.arch.name() data-hidden=row.1.hidden data-seed=row.1.seed data-len=row.1.len
                                data-lr=row.1.lr.to_string() data-state=row.1.state.name()
                                data-val=row.1.val_loss.to_string() data-metric=row.1.val_metric.to_string()>
                                {(0..Summary::COLUMNS.len()).map(|k| view! { <td>{row.1.column(k).1}</td> }).collect_view()}
                            </tr>
                        </For>
                    </tbody>
                </table>
            </div>
        </section>
    }
}
