//! Calibration plots: observed frequency against mean predicted probability per bin, one panel
//! per data set; each bin's marker area is proportional to its number of cases.

use plotters::prelude::*;

use super::{Area, Drawn, chart, colour, dashed, legend, legend_line, panels};
use crate::model::report::ReportError;
use crate::model::report::data::CalibrationPanel;

/// Marker radius of the largest bin, in pixels.
const MAX_RADIUS: f64 = 7.0;

/// The calibration figure: the panels side by side.
pub fn calibration_figure(sets: &[CalibrationPanel]) -> Result<String, ReportError> {
    panels("calibration", sets, draw_panel)
}

fn draw_panel(area: &Area, panel: &CalibrationPanel) -> Drawn {
    let unit = (-0.01..1.01, -0.01..1.01);
    let axes = ("Predicted probability", "Observed frequency");
    let mut chart = chart(area, &panel.set, unit, axes)?;
    let ideal = BLACK.mix(0.4).stroke_width(1);
    chart
        .draw_series(dashed(vec![(0.0, 0.0), (1.0, 1.0)], ideal))?
        .label("Ideal")
        .legend(legend_line(ideal));
    let bins = panel.curves.iter().flat_map(|curve| &curve.bins);
    let largest = bins.map(|bin| bin.count).max().unwrap_or(0).max(1) as f64;
    for (i, curve) in panel.curves.iter().enumerate() {
        let style = colour(i).stroke_width(2);
        let points = curve.bins.iter().map(|bin| (bin.predicted, bin.observed));
        chart
            .draw_series(LineSeries::new(points, style))?
            .label(curve.model.clone())
            .legend(legend_line(style));
        let marker = |count: usize| (MAX_RADIUS * (count as f64 / largest).sqrt()).max(1.5);
        let markers = curve.bins.iter().map(|bin| {
            let at = (bin.predicted, bin.observed);
            Circle::new(at, marker(bin.count), colour(i).mix(0.75).filled())
        });
        chart.draw_series(markers)?;
    }
    legend(&mut chart, SeriesLabelPosition::UpperLeft)
}
