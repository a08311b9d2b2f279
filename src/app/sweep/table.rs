//! Every run of the sweep (the grid, then the confirmation on fresh seeds) in a sortable
//! table, and its CSV; the columns are the library's column table.

use super::{Results, SweepState};
use crate::experiment::summary::{csv, Column, Summary, COLUMNS, SORT_BY};
use leptos::prelude::*;

#[component]
pub fn SweepTable(s: SweepState) -> impl IntoView {
    let shown: Vec<Column> = COLUMNS.into_iter().filter(|c| c.table()).collect();
    let sort = RwSignal::new((SORT_BY, true));
    let sorted = move || {
        let (col, asc) = sort.get();
        let mut rows: Vec<(usize, usize, Summary)> =
            s.results.with(|r| r.as_ref().map_or(Vec::new(), Results::rows));
        rows.sort_by(|a, b| {
            let o = col.sort_key(&a.2).total_cmp(&col.sort_key(&b.2));
            if asc {
                o
            } else {
                o.reverse()
            }
        });
        rows
    };
    let download = move |_| {
        let rows: Vec<Summary> = s
            .results
            .with(|r| r.as_ref().map_or(Vec::new(), |r| r.rows().into_iter().map(|x| x.2).collect()));
        crate::app::download::download("gatelab-sweep.csv", "text/csv", &csv(&rows));
    };
    let metric = move || {
        s.results.with(|r| {
            r.as_ref().map_or(("metric", true), |r| {
                (r.config.task.about().metric_name, r.config.task.higher_is_better())
            })
        })
    };
    let header = shown.clone().into_iter().map(move |col| {
        let mark = move || {
            let (sk, asc) = sort.get();
            if sk == col { if asc { " ▲" } else { " ▼" } } else { "" }
        };
        let flip = move |_| sort.update(|s| *s = (col, if s.0 == col { !s.1 } else { true }));
        view! {
            <th><button class="sort" on:click=flip>{move || col.header(metric().0, metric().1)}{mark}</button></th>
        }
    });
    view! {
        <section class="panel" aria-label="Sweep table">
            <div class="panel-head">
                <h2>"All runs"</h2>
                <button id="sweep-csv" on:click=download>"Table (CSV)"</button>
            </div>
            <p class="hint">"Grid runs first, then (marked \"fresh\") the confirmation of each architecture's best setting on seeds the grid never used."</p>
            <div class="table-wrap" tabindex="0" role="region" aria-label="Results table">
                <table class="stats" id="sweep-table">
                    <thead><tr>{header.collect_view()}<th>"stage"</th></tr></thead>
                    <tbody>
                        <For each=sorted key=|(k, i, r)| (*k, *i, r.steps, r.state) let:row>
                            <tr data-arch=row.2.arch.name() data-hidden=row.2.hidden data-seed=row.2.seed data-len=row.2.len
                                data-lr=row.2.lr.to_string() data-state=row.2.state.name() data-stage=row.0
                                data-val=row.2.val_loss.to_string() data-metric=row.2.val_metric.to_string()>
                                {shown.iter().map(|c| view! { <td>{c.text(&row.2)}</td> }).collect_view()}
                                <td>{if row.0 == 0 { "grid" } else { "fresh" }}</td>
                            </tr>
                        </For>
                    </tbody>
                </table>
            </div>
        </section>
    }
}
