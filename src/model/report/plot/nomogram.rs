//! The nomogram, laid out as R's `rms::nomogram` draws it: a 0–100 points scale on top, one
//! scale per variable beneath it, then total points and, on the same total-points positions, the
//! linear predictor and the predicted risk.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{Area, Drawn, font, svg};
use crate::model::report::ReportError;
use crate::model::report::points::{NomogramScales, format_tick};

/// Figure width, and the x where every scale starts and ends, in pixels.
const WIDTH: u32 = 1100;
const SCALE_START: f64 = 230.0;
const SCALE_END: f64 = 1060.0;
/// Height of one scale's row, and the space above the first row.
const ROW: u32 = 58;
const TOP: u32 = 20;

/// One horizontal scale: its name, where its line runs, and its labelled marks (pixel x, text).
struct Scale {
    name: String,
    line: (f64, f64),
    marks: Vec<(f64, String)>,
}

/// The nomogram figure.
pub fn nomogram_figure(outcome: &str, scales: &NomogramScales) -> Result<String, ReportError> {
    let rows = layout(outcome, scales);
    let height = TOP + ROW * rows.len() as u32 + 10;
    svg("nomogram", (WIDTH, height), |root| {
        draw_points_grid(root, scales.variables.len() + 1)?;
        rows.iter()
            .enumerate()
            .try_for_each(|(i, scale)| draw_scale(root, i, scale))
    })
}

/// The scales from top to bottom: points, each variable, total points, linear predictor, risk.
fn layout(outcome: &str, scales: &NomogramScales) -> Vec<Scale> {
    let width = SCALE_END - SCALE_START;
    let at_points = |p: f64| SCALE_START + p / 100.0 * width;
    let at_total = |t: f64| SCALE_START + t / scales.max_total * width;
    let points = (0..=10).map(|i| f64::from(i) * 10.0);
    let mut rows = vec![Scale {
        name: "Points".into(),
        line: (at_points(0.0), at_points(100.0)),
        marks: points.map(|p| (at_points(p), format_tick(p))).collect(),
    }];
    rows.extend(scales.variables.iter().map(|axis| {
        Scale {
            name: axis.name.clone(),
            line: (at_points(0.0), at_points(axis.max_points)),
            marks: axis
                .ticks
                .iter()
                .map(|(label, p)| (at_points(*p), label.clone()))
                .collect(),
        }
    }));
    let whole = (at_total(0.0), at_total(scales.max_total));
    let on_total = |marks: &[(f64, f64)]| -> Vec<(f64, String)> {
        marks
            .iter()
            .map(|&(t, value)| (at_total(t), format_tick(value)))
            .collect()
    };
    let totals: Vec<(f64, f64)> = scales.total_ticks.iter().map(|&t| (t, t)).collect();
    rows.push(Scale {
        name: "Total points".into(),
        line: whole,
        marks: on_total(&totals),
    });
    let lp = on_total(&scales.linear_predictor_ticks);
    rows.push(Scale {
        name: "Linear predictor".into(),
        line: whole,
        marks: lp,
    });
    let risk = on_total(&scales.risk_ticks);
    rows.push(Scale {
        name: outcome.into(),
        line: whole,
        marks: risk,
    });
    rows
}

/// The y of row `i`'s scale line.
fn row_y(i: usize) -> i32 {
    (TOP + ROW * i as u32 + ROW - 16) as i32
}

/// Faint vertical lines every 10 points from the points scale through the variables' rows.
fn draw_points_grid(root: &Area, rows: usize) -> Drawn {
    let style = BLACK.mix(0.08).stroke_width(1);
    for i in 0..=10 {
        let x = (SCALE_START + f64::from(i) / 10.0 * (SCALE_END - SCALE_START)).round() as i32;
        root.draw(&PathElement::new(
            vec![(x, row_y(0)), (x, row_y(rows - 1))],
            style,
        ))?;
    }
    Ok(())
}

/// One scale: its name on the left, its line, a tick per mark and the mark's label above.
fn draw_scale(root: &Area, i: usize, scale: &Scale) -> Drawn {
    let y = row_y(i);
    let name_style = font(16).pos(Pos::new(HPos::Left, VPos::Center));
    root.draw(&Text::new(scale.name.clone(), (16, y), name_style))?;
    let line = BLACK.stroke_width(1);
    let (from, to) = (scale.line.0.round() as i32, scale.line.1.round() as i32);
    root.draw(&PathElement::new(vec![(from, y), (to, y)], line))?;
    let label_style = font(14).pos(Pos::new(HPos::Center, VPos::Bottom));
    for (x, label) in &scale.marks {
        let x = x.round() as i32;
        root.draw(&PathElement::new(vec![(x, y), (x, y - 6)], line))?;
        root.draw(&Text::new(label.clone(), (x, y - 9), label_style.clone()))?;
    }
    Ok(())
}
