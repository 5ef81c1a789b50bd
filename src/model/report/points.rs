//! Nomogram arithmetic, as R's `rms::nomogram` defines it.
//!
//! Each variable's effect on the linear predictor is βx. The variable whose effect spans the widest
//! range R = max_j (max βx − min βx) gets 0–100 points; every other variable is scaled alike:
//! points_j(x) = 100 · (βx − min_x βx) / R. A case's total points T then give its linear predictor
//! lp(T) = β₀ + Σ_j min_x β_j x + T · R / 100, and its predicted probability 1 / (1 + e^(−lp)).

use plotters::coord::ranged1d::Ranged;
use plotters::coord::types::RangedCoordf64;
use serde::Serialize;

use super::data::{Nomogram, NomogramVariable, VariableScale};

/// Probabilities the risk scale marks, where they fall within the total-points range.
const RISK_TICKS: [f64; 15] = [
    0.001, 0.01, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 0.999,
];

/// The nomogram's scales: where each value lies in points, and how total points map to risk.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NomogramScales {
    /// One scale per variable, in the nomogram's order.
    pub variables: Vec<VariableAxis>,
    /// The largest possible total (the sum of each variable's most points).
    pub max_total: f64,
    /// Marked totals on the total-points scale.
    pub total_ticks: Vec<f64>,
    /// Marks of the linear predictor scale, as (total points, linear predictor).
    pub linear_predictor_ticks: Vec<(f64, f64)>,
    /// Marks of the risk scale, as (total points, probability).
    pub risk_ticks: Vec<(f64, f64)>,
}

/// One variable's scale: labelled values and their points.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VariableAxis {
    /// The variable's name.
    pub name: String,
    /// The most points the variable gives (its least effect gives 0).
    pub max_points: f64,
    /// The marked values, as (label, points), in order of value.
    pub ticks: Vec<(String, f64)>,
}

/// The total-points → linear predictor map: lp = `offset` + T · `lp_per_point`.
#[derive(Debug, Clone, Copy, PartialEq)]
struct PointsMap {
    offset: f64,
    lp_per_point: f64,
}

impl PointsMap {
    fn linear_predictor(self, total: f64) -> f64 {
        self.offset + total * self.lp_per_point
    }

    fn total_for(self, linear_predictor: f64) -> f64 {
        (linear_predictor - self.offset) / self.lp_per_point
    }
}

/// The values a variable's scale marks: every level, or round numbers across the range.
fn marked_values(variable: &NomogramVariable, tick_count: usize) -> Vec<(String, f64)> {
    match &variable.scale {
        VariableScale::Levels { levels } => levels
            .iter()
            .map(|level| (level.label.clone(), level.value))
            .collect(),
        VariableScale::Continuous { min, max } => RangedCoordf64::from(*min..*max)
            .key_points(tick_count.max(2))
            .into_iter()
            .map(|value| (format_tick(value), value))
            .collect(),
    }
}

/// The smallest and largest effect βx over the variable's scale.
fn effect_range(variable: &NomogramVariable) -> (f64, f64) {
    let values: Vec<f64> = match &variable.scale {
        VariableScale::Continuous { min, max } => vec![*min, *max],
        VariableScale::Levels { levels } => levels.iter().map(|level| level.value).collect(),
    };
    let effects = values.iter().map(|x| variable.coefficient * x);
    effects.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), e| {
        (lo.min(e), hi.max(e))
    })
}

/// A tick value as a short label (no trailing zeros).
pub fn format_tick(value: f64) -> String {
    let rounded = (value * 1e6).round() / 1e6;
    format!("{}", if rounded == 0.0 { 0.0 } else { rounded })
}

impl Nomogram {
    /// Lays out the nomogram's scales; fails if no variable has any effect (all ranges zero).
    pub fn scales(&self) -> Result<NomogramScales, super::ReportError> {
        let ranges: Vec<(f64, f64)> = self.variables.iter().map(effect_range).collect();
        let widest = ranges.iter().map(|(lo, hi)| hi - lo).fold(0.0, f64::max);
        if widest <= 0.0 || !widest.is_finite() {
            let message = "no variable changes the linear predictor";
            return Err(super::ReportError::invalid("nomogram", message));
        }
        let points_of = |variable: &NomogramVariable, low: f64, x: f64| {
            100.0 * (variable.coefficient * x - low) / widest
        };
        let variables = self
            .variables
            .iter()
            .zip(&ranges)
            .map(|(variable, &(low, high))| {
                let tick_count = ((10.0 * (high - low) / widest).round() as usize).max(4);
                let ticks = marked_values(variable, tick_count);
                let ticks = ticks
                    .into_iter()
                    .map(|(label, x)| (label, points_of(variable, low, x)));
                VariableAxis {
                    name: variable.name.clone(),
                    max_points: 100.0 * (high - low) / widest,
                    ticks: ticks.collect(),
                }
            });
        let variables: Vec<VariableAxis> = variables.collect();
        let max_total = variables.iter().map(|axis| axis.max_points).sum();
        let map = PointsMap {
            offset: self.intercept + ranges.iter().map(|(lo, _)| lo).sum::<f64>(),
            lp_per_point: widest / 100.0,
        };
        Ok(NomogramScales {
            variables,
            max_total,
            total_ticks: RangedCoordf64::from(0.0..max_total).key_points(10),
            linear_predictor_ticks: linear_predictor_ticks(map, max_total),
            risk_ticks: risk_ticks(map, max_total),
        })
    }
}

/// Round linear-predictor values over the total-points range, placed at their totals.
fn linear_predictor_ticks(map: PointsMap, max_total: f64) -> Vec<(f64, f64)> {
    let range = map.linear_predictor(0.0)..map.linear_predictor(max_total);
    let values = RangedCoordf64::from(range).key_points(8);
    values
        .into_iter()
        .map(|lp| (map.total_for(lp), lp))
        .collect()
}

/// The [`RISK_TICKS`] that fall within the total-points range, placed at their totals.
fn risk_ticks(map: PointsMap, max_total: f64) -> Vec<(f64, f64)> {
    let total_for_risk = |p: f64| map.total_for((p / (1.0 - p)).ln());
    RISK_TICKS
        .iter()
        .map(|&p| (total_for_risk(p), p))
        .filter(|&(total, _)| (0.0..=max_total).contains(&total))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::report::data::Level;

    fn continuous(name: &str, coefficient: f64, min: f64, max: f64) -> NomogramVariable {
        let scale = VariableScale::Continuous { min, max };
        NomogramVariable {
            name: name.into(),
            coefficient,
            scale,
        }
    }

    fn example() -> Nomogram {
        let levels = vec![
            Level {
                label: "No".into(),
                value: 0.0,
            },
            Level {
                label: "Yes".into(),
                value: 1.0,
            },
        ];
        Nomogram {
            model: "m".into(),
            outcome: "risk".into(),
            intercept: -1.5,
            variables: vec![
                continuous("score", 2.0, -1.0, 3.0),
                continuous("age", -0.05, 20.0, 80.0),
                NomogramVariable {
                    name: "flag".into(),
                    coefficient: 0.8,
                    scale: VariableScale::Levels { levels },
                },
            ],
        }
    }

    /// The widest effect (score: 2 · 4 = 8) spans 0–100; age's 3 spans 37.5; flag's 0.8 spans 10.
    #[test]
    fn widest_variable_spans_100_points_and_others_scale_alike() {
        let scales = example().scales().unwrap();
        assert!((scales.max_total - 147.5).abs() < 1e-12);
        let points = |axis: usize, label: &str| {
            let ticks = &scales.variables[axis].ticks;
            ticks.iter().find(|(l, _)| l == label).unwrap().1
        };
        assert!((points(0, "-1") - 0.0).abs() < 1e-12);
        assert!((points(0, "3") - 100.0).abs() < 1e-12);
        // A negative coefficient: the youngest age has the most points.
        assert!((points(1, "20") - 37.5).abs() < 1e-12);
        assert!((points(1, "80") - 0.0).abs() < 1e-12);
        assert!((points(2, "Yes") - 10.0).abs() < 1e-12);
    }

    /// A case's total points must give the same probability as its linear predictor directly.
    #[test]
    fn total_points_map_to_the_models_probability() {
        let nomogram = example();
        let scales = nomogram.scales().unwrap();
        // score 1, age 40, flag yes: lp = -1.5 + 2 - 2 + 0.8 = -0.7.
        let total = 100.0 * (2.0 - -2.0) / 8.0 + 100.0 * (-2.0 - -4.0) / 8.0 + 10.0;
        let lp = -0.7;
        let (at_half, half) = scales
            .risk_ticks
            .iter()
            .find(|(_, p)| *p == 0.5)
            .copied()
            .unwrap();
        assert_eq!(half, 0.5);
        // lp = 0 lies 0.7 / (8 / 100) = 8.75 points above this case's total.
        assert!((at_half - (total - lp / 0.08)).abs() < 1e-9);
        for &(t, lp_tick) in &scales.linear_predictor_ticks {
            assert!((lp + (t - total) * 0.08 - lp_tick).abs() < 1e-9);
        }
    }

    #[test]
    fn a_model_without_any_effect_is_an_error() {
        let mut nomogram = example();
        nomogram
            .variables
            .iter_mut()
            .for_each(|v| v.coefficient = 0.0);
        let error = nomogram.scales().unwrap_err().to_string();
        assert!(error.contains("no variable changes"), "{error}");
    }
}
