//! The Atlas view (`#atlas`): the shipped `atlas.json` (fetched when the view first opens, read
//! back checked) as one square per cell, grouped by kind of problem with lengths down and sizes
//! across, coloured by which architecture is ahead and by how much, marked by the verdict.
//! A square's sentence shows on hover or focus; a click re-runs its search in the Search view.

use super::bridge::fetch_beside;
use super::{colors, lab};
use crate::experiment::atlas::{PROBLEMS, SIZES};
use crate::experiment::files::atlas::{AtlasFile, Call, CellResult};
use crate::experiment::files::MAX_FILE_BYTES;
use crate::nn::Arch;
use crate::stats::{number, times};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::HtmlInputElement;

/// Where the page finds the measured atlas, beside itself.
const ASSET: &str = "atlas.json";

/// The ratio that saturates the colour scale: 4x either way.
const FULL: f64 = 4.0;

/// The square's colour: white at no difference, the GRU's colour where the GRU is ahead, the
/// LSTM's where it is, by the log ratio up to `FULL`.
fn fill(c: &CellResult) -> String {
    let r = c.log_ratio();
    let t = if r.is_finite() { (r.abs() / FULL.ln()).min(1.0) } else { 0.0 };
    let (cr, cg, cb) = colors(if r < 0.0 { Arch::Gru } else { Arch::Lstm })[0];
    let mix = |x: u8| (255.0 + (x as f64 - 255.0) * t * 0.85).round() as u8;
    let rgb = [mix(cr), mix(cg), mix(cb)];
    format!("background:rgb({},{},{});color:{}", rgb[0], rgb[1], rgb[2], text_on(rgb))
}

/// Black or white, whichever reads better on `rgb` (WCAG's contrast: one of the two always
/// reaches 4.5:1).
fn text_on(rgb: [u8; 3]) -> &'static str {
    let lin = |c: u8| {
        let c = c as f64 / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    let l = 0.2126 * lin(rgb[0]) + 0.7152 * lin(rgb[1]) + 0.0722 * lin(rgb[2]);
    if (l + 0.05) / 0.05 >= 1.05 / (l + 0.05) {
        "#000"
    } else {
        "#fff"
    }
}

/// What a square says: its call, the ratio with its interval on both seed sets, the best
/// settings and their test metric.
pub fn sentence(c: &CellResult) -> String {
    let set = |k: usize| {
        let v = &c.verdicts[k];
        let [lo, hi] = c.seeds[k];
        let (r, a, b) = c.gru_over_lstm(k);
        format!(
            "seeds {lo}-{hi}: GRU/LSTM loss {} (95% interval {} to {}), sign test p = {}, {}",
            times(r),
            times(a),
            times(b),
            number(v.p),
            v.winner.0.map_or("no clear winner".to_string(), |w| format!("{} wins", w.upper()))
        )
    };
    let best: Vec<String> = c.verdicts[0]
        .best
        .iter()
        .map(|b| {
            format!(
                "{} {} cells ({} parameters), lr {}, test {}",
                b.arch.upper(),
                b.hidden,
                c.params.get(&b.arch).copied().unwrap_or(0),
                number(b.lr as f64),
                number(b.median_test_metric)
            )
        })
        .collect();
    format!(
        "{} ({}), len {}, {} parameters: {}. {}; {}. {}.",
        c.problem,
        c.kind,
        c.len,
        c.size,
        c.call.words(),
        set(0),
        set(1),
        best.join("; ")
    )
}

#[component]
fn Square(cell: CellResult, detail: RwSignal<String>) -> impl IntoView {
    let lab = lab();
    let sweep = expect_context::<super::sweep::SweepState>();
    let text = sentence(&cell);
    let (t1, t2) = (text.clone(), text.clone());
    let config = cell.config.clone();
    let open = move |_| {
        lab.follow(&format!("{config}#search"));
        sweep.autorun.set(true);
        window().scroll_to_with_x_and_y(0.0, 0.0);
    };
    let ratio = cell.log_ratio().exp();
    view! {
        <button
            class=format!("atlas-cell {}", match cell.call { Call::Unsettled => "unsettled", Call::NoClearWinner => "even", _ => "settled" })
            style=fill(&cell)
            data-id=cell.id.clone()
            aria-label=text
            on:mouseenter=move |_| detail.set(t1.clone())
            on:focus=move |_| detail.set(t2.clone())
            on:click=open
        >
            <span class="ratio">{times(ratio)}</span>
            <span class="call">{cell.call.mark()}</span>
        </button>
    }
}

/// One problem's squares: lengths down, sizes across.
fn group(f: &AtlasFile, name: &str, detail: RwSignal<String>) -> Option<impl IntoView> {
    let p = PROBLEMS.iter().find(|p| p.name == name)?;
    let mine: Vec<&CellResult> = f.cells.iter().filter(|c| c.problem == name).collect();
    if mine.is_empty() {
        return None;
    }
    let rows = p.lens.map(|len| {
        let squares = SIZES.map(|(size, _)| {
            mine.iter()
                .find(|c| c.len == len && c.size == size)
                .map(|c| view! { <Square cell=(*c).clone() detail/> }.into_any())
                .unwrap_or_else(|| view! { <span class="atlas-cell empty"></span> }.into_any())
        });
        view! { <span class="len">{len}</span>{squares.into_iter().collect_view()} }
    });
    Some(view! {
        <figure class="atlas-group">
            <figcaption><b>{p.kind}</b>" · "{p.name}</figcaption>
            <div class="atlas-grid">
                <span class="corner">"len"</span>
                {SIZES.map(|(s, _)| view! { <span class="size">{s}</span> }).into_iter().collect_view()}
                {rows.into_iter().collect_view()}
            </div>
        </figure>
    })
}

fn legend() -> impl IntoView {
    let key = |style: String, label: &'static str| {
        view! { <span class="key"><span class="swatch" style=style></span>{label}</span> }
    };
    let solid = |a: Arch| {
        let (r, g, b) = colors(a)[0];
        format!("background:rgb({r},{g},{b})")
    };
    view! {
        <p class="atlas-legend">
            {key(solid(Arch::Gru), "GRU ahead")}
            {key("background:#fff".into(), "even")}
            {key(solid(Arch::Lstm), "LSTM ahead")}
        </p>
        <p class="hint">"Colour and number: the GRU's validation loss over the LSTM's on the first seed set, in full \
            colour at 4× either way. Marks: "<b>"GRU"</b>" or "<b>"LSTM"</b>" (framed): it wins on both seed sets; "
            <b>"="</b>": no clear winner on either; "<b>"?"</b>" (dashed): unsettled, the two seed sets disagree."</p>
    }
}

fn map_view(f: AtlasFile) -> impl IntoView {
    let detail = RwSignal::new(String::from(
        "Hover over or focus a square for its numbers; click it to re-run its search here.",
    ));
    let groups: Vec<_> = PROBLEMS.iter().filter_map(|p| group(&f, p.name, detail)).collect();
    let minutes = f.seconds / 60.0;
    view! {
        {legend()}
        <div class="atlas-map" id="atlas-map">{groups}</div>
        <p class="atlas-detail" id="atlas-detail" aria-live="polite">{move || detail.get()}</p>
        <h3>"Read with the papers"</h3>
        <ul class="atlas-says" id="atlas-readings">
            {crate::readings::holding(&f).into_iter().map(|s| view! { <li>{s}</li> }).collect_view()}
        </ul>
        <h3>"What the map says, cell by cell"</h3>
        <ul class="atlas-says" id="atlas-says">
            {f.says.iter().map(|s| view! { <li>{s.clone()}</li> }).collect_view()}
        </ul>
        {f.arithmetic.caveat().map(|c| view! { <p class="notice" id="atlas-arithmetic">{c}</p> })}
        <p class="hint atlas-how">
            {format!("Measured with `gatelab atlas --out DIR` on {} in {minutes:.0} minutes. Every cell: ", f.machine)}
            <code>{f.search.clone()}</code>", with the cell's task, length, cells and steps."
        </p>
    }
}

/// Reads an atlas.json the user opens (their own `gatelab atlas --out`, a filter's or a
/// cluster's merge): shown in place of the map on success; on failure, said, and the map kept.
fn open_file(
    file: web_sys::File,
    shown: RwSignal<Option<Result<AtlasFile, String>>>,
    note: RwSignal<Option<String>>,
) {
    let name = file.name();
    if file.size() > MAX_FILE_BYTES as f64 {
        note.set(Some(format!("{name}: {} bytes; an atlas.json has at most {MAX_FILE_BYTES}", file.size())));
        return;
    }
    leptos::task::spawn_local(async move {
        let text = JsFuture::from(file.text()).await.ok().and_then(|t| t.as_string());
        match text.ok_or_else(|| "the file could not be read".to_string()).and_then(|t| AtlasFile::read(&t)) {
            // `try_set`: the view may have closed while the file was read.
            Ok((_, f)) => {
                note.try_set(Some(format!("Showing the file {name} ({} cells).", f.cells.len())));
                shown.try_set(Some(Ok(f)));
            }
            Err(e) => {
                note.try_set(Some(format!(
                    "{name} is not an atlas Gatelab can show: {e}. The map is unchanged."
                )));
            }
        }
    });
}

#[component]
pub fn AtlasView() -> impl IntoView {
    let loaded: RwSignal<Option<Result<AtlasFile, String>>> = RwSignal::new(None);
    let note: RwSignal<Option<String>> = RwSignal::new(None);
    leptos::task::spawn_local(async move {
        let file = fetch_beside(ASSET).await.and_then(|t| AtlasFile::read(&t).map(|(_, f)| f));
        // A file the user opened meanwhile stays; a view closed meanwhile (its signals gone)
        // takes nothing.
        if loaded.try_with_untracked(Option::is_none) == Some(true) {
            loaded.try_set(Some(file));
        }
    });
    let on_change = move |ev: web_sys::Event| {
        let input: HtmlInputElement = ev.target().expect("an input").unchecked_into();
        if let Some(file) = input.files().and_then(|f| f.get(0)) {
            open_file(file, loaded, note);
        }
        input.set_value("");
    };
    view! {
        <section class="panel atlas" id="atlas">
            <h2>"Atlas: when an LSTM, when a GRU"</h2>
            <p>"Seven kinds of problem, each at three lengths and three sizes (recurrent parameters; the GRU \
                gets the cells that match the LSTM's parameters). In every square, each architecture's learning \
                rate is searched with the same budget, its best trained again on 6 fresh seeds, which alone judge \
                the verdict, and then on 6 more that replicate it."</p>
            <p class="open-file">
                <label for="open-atlas">"Open an atlas.json (from "<code>"gatelab atlas --out"</code>" or a merge of shards): "</label>
                <input type="file" id="open-atlas" accept=".json,application/json" on:change=on_change/>
            </p>
            <Show when=move || note.get().is_some()>
                <p class="hint" id="atlas-note" role="status">{move || note.get()}</p>
            </Show>
            {move || match loaded.get() {
                None => view! { <p class="hint" id="atlas-loading">"Loading the measured atlas…"</p> }.into_any(),
                Some(Ok(f)) => map_view(f).into_any(),
                Some(Err(e)) => view! { <p class="refusal" id="atlas-error">{format!("The atlas did not load: {e}")}</p> }.into_any(),
            }}
        </section>
    }
}
