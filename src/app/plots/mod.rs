//! Drawing on canvases: line charts with plotters, heatmaps as scaled pixel images.

pub mod heatmap;
pub mod lines;

use web_sys::HtmlCanvasElement;

/// Gives the canvas as many pixels as it shows (CSS size times the screen's pixel ratio), so
/// text stays crisp and unstretched on every screen; `height` is its CSS height when the
/// stylesheet does not set one. Returns the ratio, by which drawings scale their sizes.
pub fn fit(canvas: &HtmlCanvasElement, height: u32) -> f64 {
    let ratio = web_sys::window().map_or(1.0, |w| w.device_pixel_ratio()).clamp(1.0, 4.0);
    let css_h = if canvas.client_height() > 0 { canvas.client_height() as u32 } else { height };
    let width = (canvas.client_width().max(200) as f64 * ratio).round() as u32;
    let height = (css_h as f64 * ratio).round() as u32;
    if canvas.width() != width {
        canvas.set_width(width);
    }
    if canvas.height() != height {
        canvas.set_height(height);
    }
    ratio
}
