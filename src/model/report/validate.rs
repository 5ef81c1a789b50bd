//! Consistency checks on [`ReportData`] before anything is drawn: equal lengths, values in range,
//! no NaN or infinity, so that a figure never silently shows a wrong curve.

use super::ReportError;
use super::data::{
    CalibrationPanel, DecisionPanel, LassoPath, Nomogram, ReportData, RocPanel, Table,
    VariableScale,
};

type Checked = Result<(), ReportError>;

/// Checks every section of `data`; the error names the first bad section and item.
pub fn validate(data: &ReportData) -> Checked {
    data.tables.iter().try_for_each(check_table)?;
    data.roc.iter().try_for_each(check_roc)?;
    data.lasso.as_ref().map_or(Ok(()), check_lasso)?;
    data.decision_curves.iter().try_for_each(check_decision)?;
    data.calibration.iter().try_for_each(check_calibration)?;
    data.nomogram.as_ref().map_or(Ok(()), check_nomogram)
}

fn check_table(table: &Table) -> Checked {
    let section = || format!("table \"{}\"", table.caption);
    match table
        .rows
        .iter()
        .position(|row| row.len() != table.header.len())
    {
        Some(i) => Err(ReportError::invalid(
            section(),
            format!(
                "row {} has {} cells, the header {}",
                i + 1,
                table.rows[i].len(),
                table.header.len()
            ),
        )),
        None => Ok(()),
    }
}

fn check_roc(panel: &RocPanel) -> Checked {
    for curve in &panel.curves {
        let section = format!("roc \"{}\" / \"{}\"", panel.set, curve.model);
        if curve.points.len() < 2 {
            return Err(ReportError::invalid(section, "fewer than 2 points"));
        }
        check_unit_pairs(
            &section,
            "point",
            ["fpr", "tpr"],
            curve.points.iter().copied(),
        )?;
    }
    Ok(())
}

fn check_lasso(lasso: &LassoPath) -> Checked {
    let n = lasso.lambdas.len();
    if n < 2 {
        return Err(ReportError::invalid("lasso", "fewer than 2 lambdas"));
    }
    check_positive("lasso", "lambdas", lasso.lambdas.iter().copied())?;
    check_len("lasso", "cv_mean", lasso.cv_mean.len(), n)?;
    check_len("lasso", "cv_se", lasso.cv_se.len(), n)?;
    check_finite("lasso", "cv_mean", &lasso.cv_mean)?;
    let non_negative = |v: f64| v >= 0.0 && v.is_finite();
    let se = lasso.cv_se.iter().copied();
    check_all("lasso", "cv_se", se, non_negative, "finite and >= 0")?;
    for path in &lasso.coefficients {
        let section = format!("lasso coefficients \"{}\"", path.feature);
        check_len(&section, "values", path.values.len(), n)?;
        check_finite(&section, "values", &path.values)?;
    }
    let chosen = [lasso.lambda_min, lasso.lambda_1se];
    check_positive("lasso", "lambda_min/lambda_1se", chosen.into_iter())
}

fn check_decision(panel: &DecisionPanel) -> Checked {
    let section = format!("decision curves \"{}\"", panel.set);
    let n = panel.thresholds.len();
    let open_unit = panel.thresholds.iter().all(|&t| t > 0.0 && t < 1.0);
    if n < 2 || !open_unit {
        return Err(ReportError::invalid(
            section,
            "thresholds: needs 2 or more, each in (0, 1)",
        ));
    }
    check_len(&section, "treat_all", panel.treat_all.len(), n)?;
    check_finite(&section, "treat_all", &panel.treat_all)?;
    for model in &panel.models {
        let section = format!("{section} / \"{}\"", model.model);
        check_len(&section, "values", model.values.len(), n)?;
        check_finite(&section, "values", &model.values)?;
    }
    Ok(())
}

fn check_calibration(panel: &CalibrationPanel) -> Checked {
    for curve in &panel.curves {
        let section = format!("calibration \"{}\" / \"{}\"", panel.set, curve.model);
        if curve.bins.is_empty() {
            return Err(ReportError::invalid(section, "no bins"));
        }
        let pairs = curve.bins.iter().map(|bin| (bin.predicted, bin.observed));
        check_unit_pairs(&section, "bin", ["predicted", "observed"], pairs)?;
    }
    Ok(())
}

fn check_nomogram(nomogram: &Nomogram) -> Checked {
    check_finite("nomogram", "intercept", &[nomogram.intercept])?;
    for variable in &nomogram.variables {
        let section = format!("nomogram variable \"{}\"", variable.name);
        check_finite(&section, "coefficient", &[variable.coefficient])?;
        match &variable.scale {
            VariableScale::Continuous { min, max } => {
                check_finite(&section, "min/max", &[*min, *max])?;
                if min >= max {
                    return Err(ReportError::invalid(section, "min is not below max"));
                }
            }
            VariableScale::Levels { levels } => {
                let values: Vec<f64> = levels.iter().map(|level| level.value).collect();
                check_finite(&section, "level values", &values)?;
                if levels.len() < 2 {
                    return Err(ReportError::invalid(section, "fewer than 2 levels"));
                }
            }
        }
    }
    if nomogram.variables.is_empty() {
        return Err(ReportError::invalid("nomogram", "no variables"));
    }
    Ok(())
}

fn check_len(section: &str, field: &str, len: usize, expected: usize) -> Checked {
    if len == expected {
        return Ok(());
    }
    Err(ReportError::invalid(
        section,
        format!("{field} has {len} values, expected {expected}"),
    ))
}

fn check_finite(section: &str, field: &str, values: &[f64]) -> Checked {
    check_all(
        section,
        field,
        values.iter().copied(),
        f64::is_finite,
        "finite",
    )
}

/// Fails on the first pair with a value outside [0, 1], naming the item's number and the value.
fn check_unit_pairs(
    section: &str,
    item: &str,
    names: [&str; 2],
    pairs: impl Iterator<Item = (f64, f64)>,
) -> Checked {
    for (i, (a, b)) in pairs.enumerate() {
        let outside = [(names[0], a), (names[1], b)]
            .into_iter()
            .find(|(_, v)| !(0.0..=1.0).contains(v));
        if let Some((name, value)) = outside {
            let message = format!("{item} {}: {name} is {value}, not in [0, 1]", i + 1);
            return Err(ReportError::invalid(section, message));
        }
    }
    Ok(())
}

fn check_positive(section: &str, field: &str, values: impl Iterator<Item = f64>) -> Checked {
    let positive = |v: f64| v > 0.0 && v.is_finite();
    check_all(section, field, values, positive, "finite and > 0")
}

/// Fails on the first value that is not `wanted` (as `ok` tells), naming its position.
fn check_all(
    section: &str,
    field: &str,
    values: impl Iterator<Item = f64>,
    ok: impl Fn(f64) -> bool,
    wanted: &str,
) -> Checked {
    match values.enumerate().find(|&(_, value)| !ok(value)) {
        Some((i, value)) => Err(ReportError::invalid(
            section,
            format!("{field} value {} is {value}, not {wanted}", i + 1),
        )),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::report::example::report_data;

    fn refused(data: &ReportData) -> String {
        validate(data).unwrap_err().to_string()
    }

    #[test]
    fn the_example_is_consistent() {
        validate(&report_data()).unwrap();
    }

    #[test]
    fn a_short_table_row_is_refused() {
        let mut data = report_data();
        data.tables[0].rows[1].pop();
        let caption = &data.tables[0].caption;
        let expected = format!("report data, table \"{caption}\": row 2 has 3 cells, the header 4");
        assert_eq!(refused(&data), expected);
    }

    #[test]
    fn lasso_lengths_and_lambdas_are_checked() {
        let mut data = report_data();
        data.lasso.as_mut().unwrap().cv_se.pop();
        assert_eq!(
            refused(&data),
            "report data, lasso: cv_se has 49 values, expected 50"
        );
        let mut data = report_data();
        data.lasso.as_mut().unwrap().lambdas[4] = 0.0;
        let expected = "report data, lasso: lambdas value 5 is 0, not finite and > 0";
        assert_eq!(refused(&data), expected);
    }

    #[test]
    fn thresholds_outside_the_open_unit_interval_are_refused() {
        let mut data = report_data();
        data.decision_curves[2].thresholds[0] = 0.0;
        let error = refused(&data);
        assert!(
            error.starts_with("report data, decision curves \"External\": thresholds"),
            "{error}"
        );
    }

    #[test]
    fn calibration_and_nomogram_ranges_are_checked() {
        let mut data = report_data();
        data.calibration[0].curves[0].bins[2].observed = 1.5;
        let expected = "report data, calibration \"Training\" / \"Clinical\": bin 3: observed is 1.5, not in [0, 1]";
        assert_eq!(refused(&data), expected);
        let mut data = report_data();
        let variable = &mut data.nomogram.as_mut().unwrap().variables[1];
        variable.scale = VariableScale::Continuous { min: 3.0, max: 3.0 };
        let expected = "report data, nomogram variable \"Ki-67 (%)\": min is not below max";
        assert_eq!(refused(&data), expected);
    }
}
