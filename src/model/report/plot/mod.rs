//! The report's figures, drawn with plotters' SVG backend into strings that the page inlines.
//!
//! This module holds what every figure shares: the SVG canvas, the palette, fonts and the axis
//! style; each figure has its own file.

mod calibration;
mod decision;
mod lasso;
mod nomogram;
mod roc;

pub use calibration::calibration_figure;
pub use decision::decision_figure;
pub use lasso::lasso_figure;
pub use nomogram::nomogram_figure;
pub use roc::roc_figure;

use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

use super::ReportError;

/// The result of drawing; plotters' errors are boxed and turned into [`ReportError::Draw`].
type Drawn = Result<(), Box<dyn std::error::Error>>;

/// A drawing area on the SVG canvas.
type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;

/// A chart with two f64 axes.
type Chart<'a, 'b> = ChartContext<'a, SVGBackend<'b>, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// Width and height of one panel of a multi-panel figure, in pixels.
const PANEL: (u32, u32) = (400, 400);

/// The font family of every figure.
const FONT: &str = "Helvetica, Arial, sans-serif";

/// Colour-blind-safe colours (Okabe & Ito) for models and features, in order of use.
const PALETTE: [RGBColor; 8] = [
    RGBColor(0, 114, 178),
    RGBColor(213, 94, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(230, 159, 0),
    RGBColor(86, 180, 233),
    RGBColor(120, 94, 240),
    RGBColor(140, 86, 75),
];

/// The `i`-th colour of the palette (cycling).
fn colour(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

/// A text style of `size` pixels in the figures' font.
fn font(size: u32) -> TextStyle<'static> {
    (FONT, size).into_font().color(&BLACK)
}

/// Draws a figure of `size` pixels on a white SVG canvas and returns the `<svg>` element.
fn svg(
    figure: &str,
    size: (u32, u32),
    draw: impl FnOnce(&Area) -> Drawn,
) -> Result<String, ReportError> {
    let mut out = String::new();
    let drawn = (|| -> Drawn {
        let root = SVGBackend::with_string(&mut out, size).into_drawing_area();
        root.fill(&WHITE)?;
        draw(&root)?;
        root.present()?;
        Ok(())
    })();
    drawn.map_err(|error| ReportError::Draw {
        figure: figure.to_string(),
        message: error.to_string(),
    })?;
    Ok(out)
}

/// Draws one panel per item side by side, each `PANEL` in size.
fn panels<T>(
    figure: &str,
    items: &[T],
    draw: impl Fn(&Area, &T) -> Drawn,
) -> Result<String, ReportError> {
    let size = (PANEL.0 * items.len() as u32, PANEL.1);
    svg(figure, size, |root| {
        let areas = root.split_evenly((1, items.len()));
        items
            .iter()
            .zip(&areas)
            .try_for_each(|(item, area)| draw(area, item))
    })
}

/// A chart over `x` × `y` with a title, room for tick labels, and the report's axis style.
fn chart<'a, 'b>(
    area: &'a Area<'b>,
    title: &str,
    (x, y): (std::ops::Range<f64>, std::ops::Range<f64>),
    (x_desc, y_desc): (&str, &str),
) -> Result<Chart<'a, 'b>, Box<dyn std::error::Error>> {
    let mut chart = ChartBuilder::on(area)
        .caption(title, font(17))
        .margin(12)
        .x_label_area_size(46)
        .y_label_area_size(56)
        .build_cartesian_2d(x, y)?;
    chart
        .configure_mesh()
        .x_desc(x_desc)
        .y_desc(y_desc)
        .axis_desc_style(font(15))
        .label_style(font(14))
        .bold_line_style(BLACK.mix(0.08))
        .light_line_style(TRANSPARENT)
        .axis_style(BLACK.mix(0.7))
        .x_labels(6)
        .y_labels(6)
        .draw()?;
    Ok(chart)
}

/// Draws the chart's legend in a white box at `position`.
fn legend<'a, 'b: 'a>(chart: &mut Chart<'a, 'b>, position: SeriesLabelPosition) -> Drawn {
    chart
        .configure_series_labels()
        .position(position)
        .label_font(font(13))
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK.mix(0.3))
        .margin(8)
        .legend_area_size(22)
        .draw()?;
    Ok(())
}

/// A short legend line in `style`, for [`SeriesAnno::legend`].
fn legend_line(style: ShapeStyle) -> impl Fn((i32, i32)) -> PathElement<(i32, i32)> {
    move |(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], style)
}

/// A dashed line through `points` (reference lines: chance, ideal calibration, chosen λ).
fn dashed(
    points: Vec<(f64, f64)>,
    style: ShapeStyle,
) -> DashedLineSeries<std::vec::IntoIter<(f64, f64)>, i32> {
    DashedLineSeries::new(points, 6, 4, style)
}

/// The smallest and largest of `values` (which are finite and not empty).
fn extent(values: impl Iterator<Item = f64>) -> (f64, f64) {
    values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    })
}

/// `(lo, hi)` widened by `fraction` of its width on each side (a flat range by ±0.5).
fn padded((lo, hi): (f64, f64), fraction: f64) -> std::ops::Range<f64> {
    let pad = if hi > lo { (hi - lo) * fraction } else { 0.5 };
    lo - pad..hi + pad
}
