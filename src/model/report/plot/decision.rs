//! Decision curves: net benefit over threshold probability per model, with treat-all and
//! treat-none, one panel per data set. Net benefit below the axis' floor is cut off there.

use plotters::chart::SeriesAnno;
use plotters::prelude::*;

use super::{Area, Chart, Drawn, chart, colour, extent, legend, legend_line, panels};
use crate::model::report::ReportError;
use crate::model::report::data::DecisionPanel;

/// The decision-curve figure: the panels side by side.
pub fn decision_figure(sets: &[DecisionPanel]) -> Result<String, ReportError> {
    panels("decision curves", sets, draw_panel)
}

fn draw_panel(area: &Area, panel: &DecisionPanel) -> Drawn {
    let x = extent(panel.thresholds.iter().copied());
    let values = panel.models.iter().flat_map(|m| m.values.iter().copied());
    let top = extent(values.chain(panel.treat_all.iter().copied()).chain([0.0])).1;
    // The floor: a little below zero, where treat-all and poor models leave the chart.
    let floor = -0.1 * top.max(0.05);
    let y = floor..top * 1.08 + 0.01;
    let axes = ("Threshold probability", "Net benefit");
    let mut chart = chart(area, &panel.set, (x.0..x.1, y), axes)?;
    let series = |values: &[f64]| above(&panel.thresholds, values, floor);
    let none = BLACK.stroke_width(1);
    chart
        .draw_series(LineSeries::new([(x.0, 0.0), (x.1, 0.0)], none))?
        .label("Treat none")
        .legend(legend_line(none));
    let all = BLACK.mix(0.4).stroke_width(2);
    draw_segments(&mut chart, series(&panel.treat_all), all)?
        .label("Treat all")
        .legend(legend_line(all));
    for (i, model) in panel.models.iter().enumerate() {
        let style = colour(i).stroke_width(2);
        draw_segments(&mut chart, series(&model.values), style)?
            .label(model.model.clone())
            .legend(legend_line(style));
    }
    legend(&mut chart, SeriesLabelPosition::UpperRight)
}

/// Draws each segment as a line; the series' legend entry belongs to the returned annotation.
fn draw_segments<'c, 'a, 'b>(
    chart: &'c mut Chart<'a, 'b>,
    segments: Vec<Vec<(f64, f64)>>,
    style: ShapeStyle,
) -> Result<&'c mut SeriesAnno<'a, SVGBackend<'b>>, Box<dyn std::error::Error>> {
    let lines = segments
        .into_iter()
        .map(|points| PathElement::new(points, style));
    Ok(chart.draw_series(lines)?)
}

/// The parts of the curve (x, y) that lie at or above `floor`, as separate polylines; where the
/// curve crosses the floor, the crossing point (linearly interpolated) ends or starts a part.
fn above(x: &[f64], y: &[f64], floor: f64) -> Vec<Vec<(f64, f64)>> {
    let mut parts: Vec<Vec<(f64, f64)>> = vec![Vec::new()];
    for i in 0..x.len() {
        let inside = y[i] >= floor;
        if i > 0 && inside != (y[i - 1] >= floor) {
            let t = (floor - y[i - 1]) / (y[i] - y[i - 1]);
            let crossing = (x[i - 1] + t * (x[i] - x[i - 1]), floor);
            parts.last_mut().expect("never empty").push(crossing);
            if !inside {
                parts.push(Vec::new());
            }
        }
        if inside {
            parts.last_mut().expect("never empty").push((x[i], y[i]));
        }
    }
    parts.retain(|part| part.len() > 1);
    parts
}

#[cfg(test)]
mod tests {
    use super::above;

    #[test]
    fn curves_are_cut_at_the_floor_with_interpolated_ends() {
        let x = [0.0, 1.0, 2.0, 3.0, 4.0];
        let y = [1.0, -1.0, -3.0, 1.0, 2.0];
        let parts = above(&x, &y, 0.0);
        assert_eq!(
            parts,
            vec![
                vec![(0.0, 1.0), (0.5, 0.0)],
                vec![(2.75, 0.0), (3.0, 1.0), (4.0, 2.0)]
            ]
        );
    }

    #[test]
    fn a_curve_wholly_above_the_floor_is_one_part() {
        assert_eq!(
            above(&[0.1, 0.2], &[0.3, 0.2], -0.05),
            vec![vec![(0.1, 0.3), (0.2, 0.2)]]
        );
    }
}
