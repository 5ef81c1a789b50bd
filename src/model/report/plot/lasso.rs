//! LASSO figures as glmnet draws them, over log(λ): (a) the cross-validated deviance with ±1 SE
//! bars, (b) each feature's coefficient path with its key; dashed lines mark λ_min and λ_1se.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{Area, Chart, Drawn, PANEL, chart, colour, dashed, extent, font, padded, svg};
use crate::model::report::ReportError;
use crate::model::report::data::LassoPath;

/// Most features named in the path's key; a longer path is drawn without one.
const MAX_KEY: usize = 16;
/// Width of the key beside the coefficient path, in pixels.
const KEY_WIDTH: u32 = 270;

/// The LASSO figure: the CV curve, the coefficient path and the path's key side by side.
pub fn lasso_figure(lasso: &LassoPath) -> Result<String, ReportError> {
    let size = (PANEL.0 * 3, PANEL.1 + 40);
    svg("LASSO", size, |root| {
        let (charts, key) = root.split_horizontally(size.0 - KEY_WIDTH);
        let (left, right) = charts.split_horizontally((size.0 - KEY_WIDTH) / 2);
        draw_cv(&left, lasso)?;
        draw_path(&right, lasso)?;
        draw_key(&key, lasso)
    })
}

fn log_lambdas(lasso: &LassoPath) -> impl Iterator<Item = f64> + Clone + '_ {
    lasso.lambdas.iter().map(|l| l.ln())
}

fn draw_cv(area: &Area, lasso: &LassoPath) -> Drawn {
    let x = padded(extent(log_lambdas(lasso)), 0.03);
    let bars = lasso.cv_mean.iter().zip(&lasso.cv_se);
    let y = padded(extent(bars.clone().flat_map(|(m, s)| [m - s, m + s])), 0.05);
    let axes = ("log(λ)", "Binomial deviance");
    let mut chart = chart(area, "(a) Cross-validation", (x, y.clone()), axes)?;
    let points = log_lambdas(lasso).zip(bars);
    let grey = BLACK.mix(0.45).stroke_width(1);
    chart.draw_series(
        points
            .clone()
            .map(|(x, (m, s))| ErrorBar::new_vertical(x, m - s, *m, m + s, grey, 4)),
    )?;
    let red = RGBColor(200, 30, 30).filled();
    chart.draw_series(points.map(|(x, (m, _))| Circle::new((x, *m), 3, red)))?;
    mark_chosen(&mut chart, lasso, y)
}

fn draw_path(area: &Area, lasso: &LassoPath) -> Drawn {
    let x = padded(extent(log_lambdas(lasso)), 0.03);
    let values = lasso
        .coefficients
        .iter()
        .flat_map(|path| path.values.iter().copied());
    let y = padded(extent(values.chain([0.0])), 0.05);
    let axes = ("log(λ)", "Coefficient");
    let mut chart = chart(area, "(b) Coefficient path", (x, y.clone()), axes)?;
    for (i, path) in lasso.coefficients.iter().enumerate() {
        let style = colour(i).stroke_width(2);
        let line = LineSeries::new(log_lambdas(lasso).zip(path.values.iter().copied()), style);
        chart.draw_series(line)?;
    }
    mark_chosen(&mut chart, lasso, y)
}

/// The coefficient path's key: a line in each feature's colour and its name, top to bottom.
fn draw_key(area: &Area, lasso: &LassoPath) -> Drawn {
    if lasso.coefficients.len() > MAX_KEY {
        return Ok(());
    }
    let name_style = font(13).pos(Pos::new(HPos::Left, VPos::Center));
    for (i, path) in lasso.coefficients.iter().enumerate() {
        let y = 60 + 20 * i as i32;
        area.draw(&PathElement::new(
            vec![(4, y), (24, y)],
            colour(i).stroke_width(2),
        ))?;
        area.draw(&Text::new(
            path.feature.clone(),
            (30, y),
            name_style.clone(),
        ))?;
    }
    Ok(())
}

/// Vertical dashed lines at λ_min and λ_1se, each labelled at the top.
fn mark_chosen(chart: &mut Chart, lasso: &LassoPath, y: std::ops::Range<f64>) -> Drawn {
    // λ_min lies left of λ_1se: its label goes left of its line, λ_1se's right of its own.
    let marks = [
        ("λmin", lasso.lambda_min, HPos::Right, -4),
        ("λ1se", lasso.lambda_1se, HPos::Left, 4),
    ];
    for (name, lambda, side, shift) in marks {
        let x = lambda.ln();
        let style = BLACK.mix(0.55).stroke_width(1);
        chart.draw_series(dashed(vec![(x, y.start), (x, y.end)], style))?;
        let label_style = font(12).pos(Pos::new(side, VPos::Top));
        let label = EmptyElement::at((x, y.end)) + Text::new(name, (shift, 2), label_style);
        chart.draw_series([label])?;
    }
    Ok(())
}
