//! A line chart (plotters on a canvas): lines with optional min-max bands, dashed baselines,
//! highlighted points, linear or log axes with ticks from `figures::ticks`. The legend is HTML
//! beside the canvas (see `charts::chart_canvas`), so it never covers the data.

use crate::figures::ticks;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters_canvas::CanvasBackend;
use web_sys::HtmlCanvasElement;

#[derive(Clone)]
pub struct Line {
    pub label: String,
    pub color: (u8, u8, u8),
    pub points: Vec<(f64, f64)>,
    /// (x, low, high), drawn as a shaded band under the line.
    pub band: Vec<(f64, f64, f64)>,
    pub width: u32,
    pub dashed: bool,
    /// Lighter colour (secondary series such as one seed's curve or the training loss).
    pub faint: bool,
    /// Listed in the legend.
    pub legend: bool,
}

impl Line {
    pub fn new(label: String, color: (u8, u8, u8), points: Vec<(f64, f64)>) -> Line {
        Line { label, color, points, band: Vec::new(), width: 2, dashed: false, faint: false, legend: true }
    }
}

#[derive(Clone)]
pub struct Chart {
    pub x_label: String,
    pub y_label: String,
    pub lines: Vec<Line>,
    pub log_y: bool,
    pub log_x: bool,
    /// x values are whole numbers (steps, cells, lengths): integer ticks only.
    pub integer_x: bool,
    /// Horizontal dashed lines at their values (the task's chance level, the classical
    /// baselines on the user's data), each labelled in the legend and at its right end.
    pub baselines: Vec<(f64, String)>,
    /// Fixed y range; otherwise from the data.
    pub y_range: Option<(f64, f64)>,
    /// Highlighted points, e.g. the best cell count: (x, y, colour).
    pub markers: Vec<(f64, f64, (u8, u8, u8))>,
    /// Ticks at exactly these x values (a sweep's values), instead of round numbers.
    pub x_at: Vec<f64>,
    /// Points drawn as small dots (a search's trials): (x, y, colour).
    pub dots: Vec<(f64, f64, (u8, u8, u8))>,
    /// Said in the middle while there is nothing to draw.
    pub empty: &'static str,
}

impl Chart {
    pub fn new(x_label: &str, y_label: &str, lines: Vec<Line>) -> Chart {
        Chart {
            x_label: x_label.into(),
            y_label: y_label.into(),
            lines,
            log_y: false,
            log_x: false,
            integer_x: true,
            baselines: Vec::new(),
            y_range: None,
            markers: Vec::new(),
            x_at: Vec::new(),
            dots: Vec::new(),
            empty: "No data yet: press Play",
        }
    }
}

/// A legend entry as the page lists it under a chart: label, colour, dashed, faint.
pub type Entry = (String, (u8, u8, u8), bool, bool);

/// The chart's legend: its lines that have one, and the baseline.
pub fn legend(chart: &Chart) -> Vec<Entry> {
    let mut entries: Vec<Entry> = chart
        .lines
        .iter()
        .filter(|l| l.legend)
        .map(|l| (l.label.clone(), l.color, l.dashed, l.faint))
        .collect();
    for (k, (_, name)) in chart.baselines.iter().enumerate() {
        entries.push((name.clone(), baseline_color(k), true, false));
    }
    entries
}

/// The k-th baseline's colour: greys and browns, apart from the architectures' colours.
fn baseline_color(k: usize) -> (u8, u8, u8) {
    [(120, 120, 120), (150, 105, 50), (90, 120, 110), (160, 140, 40)][k % 4]
}

fn to_axis(log: bool, v: f64) -> f64 {
    if log {
        v.max(1e-12).log10()
    } else {
        v
    }
}

fn range(vals: impl Iterator<Item = f64>) -> Option<(f64, f64)> {
    vals.filter(|v| v.is_finite()).fold(None, |acc, v| match acc {
        None => Some((v, v)),
        Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
    })
}

/// The ticks of an axis over [lo, hi] (data units), and the axis-space positions.
fn axis_ticks(lo: f64, hi: f64, log: bool, integer: bool) -> Vec<(f64, String)> {
    let t = if log { ticks::log(lo, hi, 6) } else { ticks::linear(lo, hi, 6, integer) };
    t.into_iter().map(|(v, label)| (to_axis(log, v), label)).collect()
}

type Area = DrawingArea<CanvasBackend, plotters::coord::Shift>;

/// Draws the chart over the whole canvas, sizes scaled by `scale` (the screen's pixel ratio);
/// with `with_legend`, the legend too, in a strip below (for an exported image).
pub fn draw(canvas: &HtmlCanvasElement, chart: &Chart, scale: f64, with_legend: bool) -> Result<(), String> {
    let backend = CanvasBackend::with_canvas_object(canvas.clone()).ok_or("no 2d context")?;
    let root = backend.into_drawing_area();
    root.fill(&WHITE).map_err(|e| e.to_string())?;
    let entries = legend(chart);
    let rows = if with_legend { entries.len().div_ceil(2) } else { 0 };
    let (_, h) = root.dim_in_pixel();
    let strip = (rows as f64 * 18.0 * scale) as u32;
    let (plot, below) = root.split_vertically(h.saturating_sub(strip));
    if with_legend {
        draw_legend(&below, &entries, scale)?;
    }
    plot_area(&plot, chart, scale)?;
    root.present().map_err(|e| e.to_string())
}

fn draw_legend(area: &Area, entries: &[Entry], scale: f64) -> Result<(), String> {
    let (w, _) = area.dim_in_pixel();
    let px = |v: f64| (v * scale) as i32;
    let font = ("sans-serif", 12.0 * scale).into_font().color(&RGBColor(60, 60, 60));
    for (k, (label, (r, g, b), dashed, faint)) in entries.iter().enumerate() {
        let (x, y) = (px(12.0) + (k % 2) as i32 * (w as i32 / 2), px(9.0) + (k / 2) as i32 * px(18.0));
        let c = if *faint { RGBColor(r / 3 + 170, g / 3 + 170, b / 3 + 170) } else { RGBColor(*r, *g, *b) };
        let style = c.stroke_width((2.0 * scale) as u32);
        let pts = vec![(x, y), (x + px(22.0), y)];
        if *dashed {
            area.draw(&plotters::element::DashedPathElement::new(pts, px(5.0) as u32, px(4.0) as u32, style))
                .map_err(|e| e.to_string())?;
        } else {
            area.draw(&PathElement::new(pts, style)).map_err(|e| e.to_string())?;
        }
        let text =
            Text::new(label.clone(), (x + px(28.0), y), font.clone().pos(Pos::new(HPos::Left, VPos::Center)));
        area.draw(&text).map_err(|e| e.to_string())?;
    }
    Ok(())
}

type Plot<'a> = ChartContext<
    'a,
    CanvasBackend,
    Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
>;

/// The data's extent on each axis, widened so a flat line still has height, on nice ticks.
fn bounds(chart: &Chart) -> Option<((f64, f64), (f64, f64))> {
    let ly = chart.log_y;
    let finite = |v: f64| v.is_finite() && (!ly || v > 0.0);
    let dot_x = chart.dots.iter().map(|d| d.0);
    let (x0, x1) = range(chart.lines.iter().flat_map(|l| l.points.iter().map(|p| p.0)).chain(dot_x))?;
    let (y0, y1) = chart.y_range.or_else(|| {
        let data = chart.lines.iter().flat_map(|l| l.points.iter().map(|p| p.1));
        let bands = chart.lines.iter().flat_map(|l| l.band.iter().flat_map(|p| [p.1, p.2]));
        let bands = bands.chain(chart.dots.iter().map(|d| d.1));
        range(data.chain(bands).chain(chart.baselines.iter().map(|b| b.0)).filter(|v| finite(*v)))
    })?;
    let x1 = if x1 > x0 { x1 } else { x0 + 1.0 };
    let (y0, y1) = if y1 > y0 {
        (y0, y1)
    } else if ly {
        (y0 / 2.0, y1 * 2.0)
    } else {
        (y0 - 0.5, y1 + 0.5)
    };
    let y = if chart.y_range.is_some() { (y0, y1) } else { ticks::nice_range(y0, y1, ly, 6) };
    Some(((x0, x1), y))
}

/// The chart's frame on `root`: the axes and their names from plotters, over `xr` x `yr`.
fn frame<'a>(
    root: &'a Area,
    chart: &Chart,
    scale: f64,
    xr: std::ops::Range<f64>,
    yr: std::ops::Range<f64>,
) -> Result<Plot<'a>, String> {
    let px = |v: f64| (v * scale).round() as u32;
    let mut c = ChartBuilder::on(root)
        .margin(px(10.0))
        .x_label_area_size(px(38.0))
        .y_label_area_size(px(58.0))
        .build_cartesian_2d(xr, yr)
        .map_err(|e| e.to_string())?;
    c.configure_mesh()
        .disable_mesh()
        .x_labels(0)
        .y_labels(0)
        .x_desc(chart.x_label.as_str())
        .y_desc(chart.y_label.as_str())
        .axis_desc_style(("sans-serif", 13.0 * scale))
        .draw()
        .map_err(|e| e.to_string())?;
    Ok(c)
}

fn plot_area(root: &Area, chart: &Chart, scale: f64) -> Result<(), String> {
    let Some(((x0, x1), (y0, y1))) = bounds(chart) else {
        return empty(root, chart, scale);
    };
    let (lx, ly) = (chart.log_x, chart.log_y);
    let x_ticks = if chart.x_at.is_empty() {
        axis_ticks(x0, x1, lx, chart.integer_x)
    } else {
        chart.x_at.iter().map(|&v| (to_axis(lx, v), format!("{}", v as f32))).collect()
    };
    let y_ticks = axis_ticks(y0, y1, ly, false);
    let (ax0, ax1) = (to_axis(lx, x0), to_axis(lx, x1));
    let (ay0, ay1) = (to_axis(ly, y0), to_axis(ly, y1));
    let pad = (ay1 - ay0) * 0.05;
    let xpad = if lx { (ax1 - ax0) * 0.04 } else { 0.0 };
    let (xr, yr) = ((ax0 - xpad)..(ax1 + xpad), (ay0 - pad)..(ay1 + pad));
    let mut c = frame(root, chart, scale, xr, yr)?;
    draw_ticks(root, &mut c, &x_ticks, &y_ticks, scale)?;
    draw_data(root, &mut c, chart, scale, (ax0, ax1))
}

/// Grid lines and labels at the ticks (from `figures::ticks`) that fall inside the plot.
fn draw_ticks(
    root: &Area,
    c: &mut Plot,
    xs: &[(f64, String)],
    ys: &[(f64, String)],
    scale: f64,
) -> Result<(), String> {
    let (xr, yr) = (c.x_range(), c.y_range());
    let grid = RGBColor(232, 232, 232);
    let font = ("sans-serif", 12.0 * scale).into_font().color(&RGBColor(60, 60, 60));
    let gap = (5.0 * scale) as i32;
    for (x, label) in xs.iter().filter(|t| xr.contains(&t.0)) {
        c.draw_series(std::iter::once(PathElement::new(vec![(*x, yr.start), (*x, yr.end)], grid)))
            .map_err(|e| e.to_string())?;
        let (px, py) = c.backend_coord(&(*x, yr.start));
        let at = font.clone().pos(Pos::new(HPos::Center, VPos::Top));
        root.draw(&Text::new(label.clone(), (px, py + gap), at)).map_err(|e| e.to_string())?;
    }
    for (y, label) in ys.iter().filter(|t| yr.contains(&t.0)) {
        c.draw_series(std::iter::once(PathElement::new(vec![(xr.start, *y), (xr.end, *y)], grid)))
            .map_err(|e| e.to_string())?;
        let (px, py) = c.backend_coord(&(xr.start, *y));
        let at = font.clone().pos(Pos::new(HPos::Right, VPos::Center));
        root.draw(&Text::new(label.clone(), (px - gap, py), at)).map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// Bands, the baselines across `(ax0, ax1)`, lines (faint ones first), dots and markers.
fn draw_data(
    root: &Area,
    c: &mut Plot,
    chart: &Chart,
    scale: f64,
    (ax0, ax1): (f64, f64),
) -> Result<(), String> {
    let px = |v: f64| (v * scale).round() as u32;
    let (lx, ly) = (chart.log_x, chart.log_y);
    let finite = |v: f64| v.is_finite() && (!ly || v > 0.0);
    let pt = |x: f64, y: f64| (to_axis(lx, x), to_axis(ly, y));
    for l in chart.lines.iter().filter(|l| !l.band.is_empty()) {
        let (r, g, b) = l.color;
        let mut poly: Vec<(f64, f64)> = l.band.iter().filter(|p| finite(p.2)).map(|p| pt(p.0, p.2)).collect();
        poly.extend(l.band.iter().rev().filter(|p| finite(p.1)).map(|p| pt(p.0, p.1)));
        c.draw_series(std::iter::once(Polygon::new(poly, RGBColor(r, g, b).mix(0.16).filled())))
            .map_err(|e| e.to_string())?;
    }
    let font = ("sans-serif", 11.0 * scale).into_font();
    for (k, (v, name)) in chart.baselines.iter().enumerate().filter(|(_, b)| finite(b.0)) {
        let y = to_axis(ly, *v);
        let (r, g, b) = baseline_color(k);
        let style = RGBColor(r, g, b).stroke_width(px(1.0));
        c.draw_series(DashedLineSeries::new(vec![(ax0, y), (ax1, y)], px(6.0), px(4.0), style))
            .map_err(|e| e.to_string())?;
        let at = font.clone().color(&RGBColor(r, g, b)).pos(Pos::new(HPos::Right, VPos::Bottom));
        let label = format!("{} {}", name, crate::stats::number(*v));
        root.draw(&Text::new(label, c.backend_coord(&(ax1, y)), at)).map_err(|e| e.to_string())?;
    }
    let mut order: Vec<&Line> = chart.lines.iter().collect();
    order.sort_by_key(|l| !l.faint);
    for l in order {
        let (r, g, b) = l.color;
        let color = if l.faint { RGBColor(r / 3 + 170, g / 3 + 170, b / 3 + 170) } else { RGBColor(r, g, b) };
        let style = color.stroke_width(px(l.width as f64));
        let pts: Vec<(f64, f64)> = l.points.iter().filter(|p| finite(p.1)).map(|&(x, y)| pt(x, y)).collect();
        if l.dashed {
            c.draw_series(DashedLineSeries::new(pts, px(5.0), px(4.0), style)).map_err(|e| e.to_string())?;
        } else {
            c.draw_series(LineSeries::new(pts, style)).map_err(|e| e.to_string())?;
        }
    }
    for &(x, y, (r, g, b)) in chart.dots.iter().filter(|m| finite(m.1)) {
        let style = RGBColor(r, g, b).mix(0.75).filled();
        c.draw_series(std::iter::once(Circle::new(pt(x, y), px(3.5), style))).map_err(|e| e.to_string())?;
    }
    for &(x, y, (r, g, b)) in chart.markers.iter().filter(|m| finite(m.1)) {
        let style = RGBColor(r, g, b).stroke_width(px(2.0));
        c.draw_series(std::iter::once(Circle::new(pt(x, y), px(7.0), style))).map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// Axes with their names and a hint in the middle, for a chart with nothing to draw yet.
fn empty(root: &Area, chart: &Chart, scale: f64) -> Result<(), String> {
    let c = frame(root, chart, scale, 0.0..1.0, 0.0..1.0)?;
    let font = ("sans-serif", 14.0 * scale).into_font().color(&RGBColor(120, 120, 120));
    let (x, y) = c.backend_coord(&(0.5, 0.5));
    root.draw(&Text::new(chart.empty, (x, y), font.pos(Pos::new(HPos::Center, VPos::Center))))
        .map_err(|e| e.to_string())
}

/// A sparkline: the lines alone, fitted to the canvas, no axes (the toolbar's live curve).
pub fn spark(canvas: &HtmlCanvasElement, chart: &Chart, scale: f64) -> Result<(), String> {
    let backend = CanvasBackend::with_canvas_object(canvas.clone()).ok_or("no 2d context")?;
    let root = backend.into_drawing_area();
    root.fill(&WHITE).map_err(|e| e.to_string())?;
    let ly = chart.log_y;
    let ok = |v: f64| v.is_finite() && (!ly || v > 0.0);
    let pts = || chart.lines.iter().flat_map(|l| l.points.iter().copied()).filter(|p| ok(p.1));
    let (Some((x0, x1)), Some((y0, y1))) =
        (range(pts().map(|p| p.0)), range(pts().map(|p| to_axis(ly, p.1))))
    else {
        return root.present().map_err(|e| e.to_string());
    };
    let pad = ((y1 - y0) * 0.08).max(1e-9);
    let mut c = ChartBuilder::on(&root)
        .margin((2.0 * scale) as u32)
        .build_cartesian_2d(x0..x1.max(x0 + 1.0), (y0 - pad)..(y1 + pad))
        .map_err(|e| e.to_string())?;
    for l in chart.lines.iter().filter(|l| !l.faint) {
        let (r, g, b) = l.color;
        let line: Vec<(f64, f64)> =
            l.points.iter().filter(|p| ok(p.1)).map(|&(x, y)| (x, to_axis(ly, y))).collect();
        c.draw_series(LineSeries::new(line, RGBColor(r, g, b).stroke_width((2.0 * scale) as u32)))
            .map_err(|e| e.to_string())?;
    }
    root.present().map_err(|e| e.to_string())
}
