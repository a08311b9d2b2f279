//! Drawing on canvases: line charts with plotters, heatmaps as scaled pixel images.

pub mod heatmap;
pub mod lines;

use web_sys::HtmlCanvasElement;

/// Gives the canvas as many pixels as it has CSS pixels, so text stays crisp and unstretched.
pub fn fit(canvas: &HtmlCanvasElement, height: u32) {
    let width = (canvas.client_width().max(200)) as u32;
    if canvas.width() != width {
        canvas.set_width(width);
    }
    if canvas.height() != height {
        canvas.set_height(height);
    }
}
