//! ROC curves: one panel per data set, one curve per model, the chance diagonal for reference.

use plotters::prelude::*;

use super::{Area, Drawn, chart, colour, dashed, legend, legend_line, panels};
use crate::model::report::ReportError;
use crate::model::report::data::RocPanel;

/// The ROC figure: the panels side by side.
pub fn roc_figure(sets: &[RocPanel]) -> Result<String, ReportError> {
    panels("ROC curves", sets, draw_panel)
}

fn draw_panel(area: &Area, panel: &RocPanel) -> Drawn {
    let unit = (-0.01..1.01, -0.01..1.01);
    let mut chart = chart(area, &panel.set, unit, ("1 − Specificity", "Sensitivity"))?;
    chart.draw_series(dashed(
        vec![(0.0, 0.0), (1.0, 1.0)],
        BLACK.mix(0.4).stroke_width(1),
    ))?;
    for (i, curve) in panel.curves.iter().enumerate() {
        let style = colour(i).stroke_width(2);
        chart
            .draw_series(LineSeries::new(curve.points.iter().copied(), style))?
            .label(format!("{}: AUC {}", curve.model, curve.auc))
            .legend(legend_line(style));
    }
    legend(&mut chart, SeriesLabelPosition::LowerRight)
}
