//! A line chart (plotters on a canvas): any number of series, optional log-y, a dashed
//! baseline, a legend.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters_canvas::CanvasBackend;
use web_sys::HtmlCanvasElement;

pub struct Line {
    pub label: String,
    pub color: (u8, u8, u8),
    pub points: Vec<(f64, f64)>,
    pub width: u32,
    pub dashed: bool,
    /// Lighter colour (for secondary series such as the training loss).
    pub faint: bool,
}

pub struct Chart {
    pub x_label: String,
    pub y_label: String,
    pub lines: Vec<Line>,
    pub log_y: bool,
    /// A horizontal dashed line (the task's chance level) with its label.
    pub baseline: Option<(f64, String)>,
    /// Fixed y range; otherwise from the data.
    pub y_range: Option<(f64, f64)>,
    /// Shaded spreads (x, low, high), e.g. over seeds.
    pub bands: Vec<Band>,
    /// Highlighted points, e.g. the best cell count.
    pub markers: Vec<Marker>,
    /// x values are drawn on a log10 axis.
    pub log_x: bool,
}

/// (x, y, colour) of a highlighted point.
pub type Marker = (f64, f64, (u8, u8, u8));

pub struct Band {
    pub color: (u8, u8, u8),
    pub points: Vec<(f64, f64, f64)>,
}

impl Chart {
    pub fn new(x_label: &str, y_label: &str, lines: Vec<Line>) -> Chart {
        Chart {
            x_label: x_label.into(),
            y_label: y_label.into(),
            lines,
            log_y: false,
            baseline: None,
            y_range: None,
            bands: Vec::new(),
            markers: Vec::new(),
            log_x: false,
        }
    }
}

fn ty(log: bool, y: f64) -> f64 {
    if log {
        y.max(1e-7).log10()
    } else {
        y
    }
}

fn range(vals: impl Iterator<Item = f64>) -> Option<(f64, f64)> {
    vals.filter(|v| v.is_finite()).fold(None, |acc, v| match acc {
        None => Some((v, v)),
        Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
    })
}

pub fn draw(canvas: &HtmlCanvasElement, chart: &Chart) -> Result<(), String> {
    let backend = CanvasBackend::with_canvas_object(canvas.clone()).ok_or("no 2d context")?;
    let root = backend.into_drawing_area();
    root.fill(&WHITE).map_err(|e| e.to_string())?;
    let (log, lx) = (chart.log_y, chart.log_x);
    let xs = range(chart.lines.iter().flat_map(|l| l.points.iter().map(|p| ty(lx, p.0))));
    let ys = chart.y_range.map(|(a, b)| (ty(log, a), ty(log, b))).or_else(|| {
        let data = chart.lines.iter().flat_map(|l| l.points.iter().map(|p| ty(log, p.1)));
        let bands =
            chart.bands.iter().flat_map(|b| b.points.iter().flat_map(|p| [ty(log, p.1), ty(log, p.2)]));
        range(data.chain(bands).chain(chart.baseline.iter().map(|b| ty(log, b.0))))
    });
    let (Some((x0, x1)), Some((y0, y1))) = (xs, ys) else {
        return root.present().map_err(|e| e.to_string());
    };
    let pad = ((y1 - y0) * 0.05).max(1e-3);
    let x1 = if x1 > x0 { x1 } else { x0 + 1.0 };
    let mut c = ChartBuilder::on(&root)
        .margin(10)
        .x_label_area_size(34)
        .y_label_area_size(56)
        .build_cartesian_2d(x0..x1, (y0 - pad)..(y1 + pad))
        .map_err(|e| e.to_string())?;
    let fmt_y = move |v: &f64| {
        if log {
            format!("{:.2e}", 10f64.powf(*v))
        } else {
            format!("{v:.3}")
        }
    };
    let mut mesh = c.configure_mesh();
    if lx {
        // Log axes label the data's own x values (cell counts, parameter counts), not 10^k.
        mesh.x_labels(0);
    }
    mesh.x_desc(chart.x_label.as_str())
        .y_desc(chart.y_label.as_str())
        .y_label_formatter(&fmt_y)
        .x_label_formatter(&|v| {
            if lx {
                format!("{:.0}", 10f64.powf(*v))
            } else {
                format!("{v}")
            }
        })
        .light_line_style(RGBColor(240, 240, 240))
        .label_style(("sans-serif", 12))
        .draw()
        .map_err(|e| e.to_string())?;
    if let Some((b, label)) = &chart.baseline {
        let y = ty(log, *b);
        let grey = RGBColor(120, 120, 120);
        c.draw_series(DashedLineSeries::new(vec![(x0, y), (x1, y)], 6, 4, grey.stroke_width(1)))
            .map_err(|e| e.to_string())?
            .label(label.as_str())
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], grey));
    }
    for b in &chart.bands {
        let (r, g, bl) = b.color;
        let mut poly: Vec<(f64, f64)> = b.points.iter().map(|p| (ty(lx, p.0), ty(log, p.2))).collect();
        poly.extend(b.points.iter().rev().map(|p| (ty(lx, p.0), ty(log, p.1))));
        c.draw_series(std::iter::once(Polygon::new(poly, RGBColor(r, g, bl).mix(0.18).filled())))
            .map_err(|e| e.to_string())?;
    }
    for l in &chart.lines {
        let (r, g, b) = l.color;
        let color = if l.faint { RGBColor(r / 2 + 127, g / 2 + 127, b / 2 + 127) } else { RGBColor(r, g, b) };
        let style = color.stroke_width(l.width);
        let pts: Vec<(f64, f64)> =
            l.points.iter().filter(|p| p.1.is_finite()).map(|&(x, y)| (ty(lx, x), ty(log, y))).collect();
        let legend = move |(x, y): (i32, i32)| PathElement::new(vec![(x, y), (x + 18, y)], style);
        if l.dashed {
            c.draw_series(DashedLineSeries::new(pts, 5, 4, style))
                .map_err(|e| e.to_string())?
                .label(l.label.as_str())
                .legend(legend);
        } else {
            c.draw_series(LineSeries::new(pts, style))
                .map_err(|e| e.to_string())?
                .label(l.label.as_str())
                .legend(legend);
        }
    }
    if lx {
        let mut xs: Vec<f64> = chart.lines.iter().flat_map(|l| l.points.iter().map(|p| p.0)).collect();
        xs.sort_by(f64::total_cmp);
        xs.dedup();
        let style = ("sans-serif", 12).into_font().color(&BLACK).pos(Pos::new(HPos::Center, VPos::Top));
        let y_low = y0 - pad;
        let mut last_px = i32::MIN;
        for x in xs {
            let (px, py) = c.backend_coord(&(ty(lx, x), y_low));
            if px - last_px > 28 {
                root.draw(&Text::new(format!("{x}"), (px, py + 4), style.clone()))
                    .map_err(|e| e.to_string())?;
                last_px = px;
            }
        }
    }
    for &(x, y, (r, g, b)) in &chart.markers {
        let style = RGBColor(r, g, b).stroke_width(2);
        c.draw_series(std::iter::once(Circle::new((ty(lx, x), ty(log, y)), 7, style)))
            .map_err(|e| e.to_string())?;
    }
    c.configure_series_labels()
        .background_style(WHITE.mix(0.85))
        .border_style(RGBColor(200, 200, 200))
        .label_font(("sans-serif", 12))
        .position(SeriesLabelPosition::UpperRight)
        .draw()
        .map_err(|e| e.to_string())?;
    root.present().map_err(|e| e.to_string())
}
