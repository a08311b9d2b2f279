//! A heatmap: a [rows][T] grid of values painted as one pixel per cell, then scaled onto the
//! canvas without smoothing. One `putImageData` and one `drawImage` per heatmap, however large.

pub use crate::figures::heat::Scale;
use wasm_bindgen::{Clamped, JsCast};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, ImageData};

/// Paints grid[row][t] (rows top to bottom); `dim[t]` greys out steps (e.g. no target there).
pub fn draw(
    canvas: &HtmlCanvasElement,
    grid: &[Vec<f32>],
    scale: Scale,
    dim: Option<&[bool]>,
) -> Result<(), String> {
    let rows = grid.len();
    let steps = grid.first().map_or(0, Vec::len);
    let ctx = context(canvas)?;
    ctx.clear_rect(0.0, 0.0, canvas.width() as f64, canvas.height() as f64);
    if rows == 0 || steps == 0 {
        return Ok(());
    }
    let mut px = vec![0u8; rows * steps * 4];
    for (r, row) in grid.iter().enumerate() {
        for (t, &v) in row.iter().enumerate() {
            let [red, g, b] = scale.rgb(v);
            let alpha = if dim.is_some_and(|d| d.get(t) == Some(&true)) { 70 } else { 255 };
            px[(r * steps + t) * 4..][..4].copy_from_slice(&[red, g, b, alpha]);
        }
    }
    let img = ImageData::new_with_u8_clamped_array_and_sh(Clamped(&px), steps as u32, rows as u32)
        .map_err(|e| format!("{e:?}"))?;
    let doc = web_sys::window().and_then(|w| w.document()).ok_or("no document")?;
    let tmp: HtmlCanvasElement = doc.create_element("canvas").map_err(|e| format!("{e:?}"))?.unchecked_into();
    tmp.set_width(steps as u32);
    tmp.set_height(rows as u32);
    context(&tmp)?.put_image_data(&img, 0.0, 0.0).map_err(|e| format!("{e:?}"))?;
    ctx.set_image_smoothing_enabled(false);
    ctx.draw_image_with_html_canvas_element_and_dw_and_dh(
        &tmp,
        0.0,
        0.0,
        canvas.width() as f64,
        canvas.height() as f64,
    )
    .map_err(|e| format!("{e:?}"))
}

/// A horizontal colour bar for a scale's legend.
pub fn legend(canvas: &HtmlCanvasElement, scale: Scale) -> Result<(), String> {
    let (lo, hi) = scale.range();
    let n = 64;
    let row: Vec<f32> = (0..n).map(|i| lo + (hi - lo) * i as f32 / (n - 1) as f32).collect();
    draw(canvas, &[row], scale, None)
}

fn context(canvas: &HtmlCanvasElement) -> Result<CanvasRenderingContext2d, String> {
    canvas
        .get_context("2d")
        .ok()
        .flatten()
        .map(|c| c.unchecked_into())
        .ok_or_else(|| "no 2d context".to_string())
}
