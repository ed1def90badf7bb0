//! `slz bench --plot FILE.svg`: speed (x, log scale) against ratio (y), one marker per codec and
//! level, slz's levels joined by a line, one panel per plan (whole files, each piece size), the
//! memory one open stream takes in the legend. SVG only, drawn with `plotters` (no system
//! libraries, no font files: text is left to the SVG viewer).

use std::path::Path;

use plotters::prelude::*;

use crate::bench::human_bytes;
use crate::codecs::Lib;

/// One codec at one level in one plan.
pub struct Point {
    pub lib: Lib,
    pub level: u32,
    pub label: String,
    pub mb_per_s: f64,
    pub ratio: f64,
    pub memory: Option<usize>,
}

/// One plan's results.
pub struct Panel {
    pub title: String,
    pub points: Vec<Point>,
}

/// The libraries in legend order, with their colours and names.
const LIBS: [(Lib, RGBColor, &str); 9] = [
    (Lib::Slz, RGBColor(200, 30, 30), "slz"),
    (Lib::Libslz, RGBColor(240, 110, 160), "libslz (C)"),
    (Lib::Isal, RGBColor(230, 130, 0), "ISA-L igzip"),
    (Lib::ZlibRs, RGBColor(30, 90, 200), "zlib-rs (flate2)"),
    (Lib::ZlibNg, RGBColor(0, 150, 150), "zlib-ng"),
    (Lib::Zlib, RGBColor(90, 90, 90), "zlib (C)"),
    (Lib::MinizOxide, RGBColor(140, 60, 170), "miniz_oxide"),
    (Lib::Libdeflate, RGBColor(40, 150, 40), "libdeflate"),
    (
        Lib::LibdeflatePieces,
        RGBColor(40, 150, 40),
        "libdeflate per piece (ceiling, not a stream)",
    ),
];

const PANEL_HEIGHT: u32 = 520;
const WIDTH: u32 = 1000;

pub fn draw(path: &Path, source: &str, panels: &[Panel]) -> Result<(), String> {
    let height = PANEL_HEIGHT * panels.len().max(1) as u32 + 40;
    let root = SVGBackend::new(path, (WIDTH, height)).into_drawing_area();
    root.fill(&WHITE).map_err(|e| e.to_string())?;
    let (top, rest) = root.split_vertically(40);
    top.draw(&Text::new(
        format!("slz bench, gzip: speed against ratio; {source}"),
        (10, 12),
        ("sans-serif", 15).into_font(),
    ))
    .map_err(|e| e.to_string())?;
    let areas = rest.split_evenly((panels.len().max(1), 1));
    for (area, panel) in areas.iter().zip(panels) {
        if let Err(e) = draw_panel(area, panel) {
            return Err(e.to_string());
        }
    }
    root.present().map_err(|e| e.to_string())
}

type Area<'a> = DrawingArea<SVGBackend<'a>, plotters::coord::Shift>;

fn draw_panel(area: &Area, panel: &Panel) -> Result<(), Box<dyn std::error::Error>> {
    let pts: Vec<&Point> = panel
        .points
        .iter()
        .filter(|p| p.mb_per_s.is_finite() && p.mb_per_s > 0.0 && p.ratio.is_finite())
        .collect();
    let xmin = pts.iter().map(|p| p.mb_per_s).fold(f64::INFINITY, f64::min);
    let xmax = pts.iter().map(|p| p.mb_per_s).fold(0.0, f64::max);
    let ymin = pts.iter().map(|p| p.ratio).fold(f64::INFINITY, f64::min);
    let ymax = pts.iter().map(|p| p.ratio).fold(0.0, f64::max);
    let (xmin, xmax) = if pts.is_empty() {
        (1.0, 10.0)
    } else {
        (xmin / 1.5, xmax * 2.0)
    };
    let (ymin, ymax) = if pts.is_empty() {
        (1.0, 2.0)
    } else {
        ((ymin - 0.1).max(0.0), ymax + 0.15)
    };
    let mut chart = ChartBuilder::on(area)
        .caption(&panel.title, ("sans-serif", 18))
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(55)
        .build_cartesian_2d((xmin..xmax).log_scale(), ymin..ymax)?;
    chart
        .configure_mesh()
        .x_desc("MB/s of input (log scale)")
        .y_desc("ratio (input / output)")
        .draw()?;
    for (lib, color, name) in LIBS {
        let mut mine: Vec<&&Point> = pts.iter().filter(|p| p.lib == lib).collect();
        if mine.is_empty() {
            continue;
        }
        mine.sort_by_key(|p| p.level);
        let mem = mine
            .iter()
            .filter_map(|p| p.memory)
            .max()
            .map(|m| format!(", {} per stream", human_bytes(m)))
            .unwrap_or_default();
        let legend = format!("{name}{mem}");
        let style = color.filled();
        let series = mine.iter().map(|p| (p.mb_per_s, p.ratio));
        // slz's levels joined by a line; every other codec as markers only.
        let anno = if lib == Lib::Slz {
            chart.draw_series(LineSeries::new(series, color.stroke_width(2)))?
        } else if lib == Lib::LibdeflatePieces {
            chart.draw_series(series.map(|(x, y)| Cross::new((x, y), 5, color.stroke_width(2))))?
        } else {
            chart.draw_series(series.map(|(x, y)| Circle::new((x, y), 5, style)))?
        };
        anno.label(legend).legend(move |(x, y)| {
            PathElement::new(vec![(x, y), (x + 18, y)], color.stroke_width(3))
        });
        if lib == Lib::Slz {
            chart.draw_series(
                mine.iter()
                    .map(|p| Circle::new((p.mb_per_s, p.ratio), 5, style)),
            )?;
        }
        chart.draw_series(mine.iter().map(|p| {
            Text::new(
                short_label(p),
                (p.mb_per_s, p.ratio),
                ("sans-serif", 11).into_font().color(&color),
            )
        }))?;
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .label_font(("sans-serif", 12))
        .draw()?;
    Ok(())
}

/// "-1", "igzip -2", "-12 piece": next to each marker.
fn short_label(p: &Point) -> String {
    let name = p.label.split(" (").next().unwrap_or_default();
    format!("  {name}")
}
