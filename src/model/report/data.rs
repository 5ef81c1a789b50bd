//! The report's input: plain data that the modelling pipeline fills and `results.json` can hold.
//!
//! Every section is optional (an empty list or `None` leaves it out of the page). Curves are given
//! as computed; the report only lays them out.

use serde::{Deserialize, Serialize};

/// Everything one study report shows.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ReportData {
    /// The page's heading.
    pub title: String,
    /// Short paragraphs under the heading (cohort, outcome, software version).
    #[serde(default)]
    pub notes: Vec<String>,
    /// Tables shown before the figures (cohort characteristics, selected features, metrics …).
    #[serde(default)]
    pub tables: Vec<Table>,
    /// ROC curves, one panel per data set.
    #[serde(default)]
    pub roc: Vec<RocPanel>,
    /// The LASSO coefficient path and its cross-validation curve.
    #[serde(default)]
    pub lasso: Option<LassoPath>,
    /// Decision curves, one panel per data set.
    #[serde(default)]
    pub decision_curves: Vec<DecisionPanel>,
    /// Calibration plots, one panel per data set.
    #[serde(default)]
    pub calibration: Vec<CalibrationPanel>,
    /// The nomogram of one logistic model.
    #[serde(default)]
    pub nomogram: Option<Nomogram>,
}

/// A table of preformatted cells.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Table {
    /// The caption shown above the table.
    pub caption: String,
    /// Column headings.
    pub header: Vec<String>,
    /// Rows of cells, each as long as `header`.
    pub rows: Vec<Vec<String>>,
}

/// The ROC curves of several models on one data set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RocPanel {
    /// The data set's name ("Training", "Test", "External").
    pub set: String,
    /// One curve per model.
    pub curves: Vec<RocCurve>,
}

/// One model's ROC curve.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RocCurve {
    /// The model's name.
    pub model: String,
    /// The AUC as the legend shows it, e.g. "0.923 (0.884–0.962)".
    pub auc: String,
    /// The curve's points as (false positive rate, true positive rate), each in [0, 1].
    pub points: Vec<(f64, f64)>,
}

/// The LASSO coefficient path over λ, with its K-fold cross-validation curve.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LassoPath {
    /// The λ values of the path (positive).
    pub lambdas: Vec<f64>,
    /// Each feature's coefficient at each λ.
    pub coefficients: Vec<CoefficientPath>,
    /// Mean cross-validated deviance at each λ.
    pub cv_mean: Vec<f64>,
    /// Standard error of the cross-validated deviance at each λ.
    pub cv_se: Vec<f64>,
    /// The λ with the least mean deviance.
    pub lambda_min: f64,
    /// The largest λ whose mean deviance is within one SE of the minimum.
    pub lambda_1se: f64,
}

/// One feature's coefficients along the λ path.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CoefficientPath {
    /// The feature's name.
    pub feature: String,
    /// Its coefficient at each λ of [`LassoPath::lambdas`].
    pub values: Vec<f64>,
}

/// Decision curves of several models on one data set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DecisionPanel {
    /// The data set's name.
    pub set: String,
    /// Threshold probabilities, in (0, 1).
    pub thresholds: Vec<f64>,
    /// Net benefit of treating everyone at each threshold (treating no one is 0 everywhere).
    pub treat_all: Vec<f64>,
    /// Each model's net benefit at each threshold.
    pub models: Vec<NetBenefit>,
}

/// One model's net benefit along the thresholds of its panel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NetBenefit {
    /// The model's name.
    pub model: String,
    /// Net benefit TP/n − FP/n · t/(1−t) at each threshold t.
    pub values: Vec<f64>,
}

/// Calibration of several models on one data set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CalibrationPanel {
    /// The data set's name.
    pub set: String,
    /// One binned curve per model.
    pub curves: Vec<CalibrationCurve>,
}

/// One model's calibration: mean predicted against observed frequency per bin of predictions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CalibrationCurve {
    /// The model's name.
    pub model: String,
    /// The bins, in order of predicted probability.
    pub bins: Vec<CalibrationBin>,
}

/// One bin of a calibration curve.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CalibrationBin {
    /// Mean predicted probability of the bin's cases.
    pub predicted: f64,
    /// Observed frequency of the outcome among them.
    pub observed: f64,
    /// Number of cases in the bin.
    pub count: usize,
}

/// A logistic model drawn as a nomogram (as R's `rms::nomogram`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Nomogram {
    /// The model's name.
    pub model: String,
    /// What the probability scale predicts, e.g. "Risk of HER2-positive".
    pub outcome: String,
    /// The model's intercept.
    pub intercept: f64,
    /// The model's variables, in the order drawn.
    pub variables: Vec<NomogramVariable>,
}

/// One variable of a nomogram: its coefficient and the values its scale spans.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NomogramVariable {
    /// The variable's name.
    pub name: String,
    /// Its coefficient in the linear predictor, per unit of the values below.
    pub coefficient: f64,
    /// The values its scale spans.
    pub scale: VariableScale,
}

/// The values a nomogram variable's scale spans.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum VariableScale {
    /// A numeric variable over `[min, max]` (the training range).
    Continuous {
        /// The scale's lowest value.
        min: f64,
        /// The scale's highest value.
        max: f64,
    },
    /// A categorical variable: its levels and their coded values.
    Levels {
        /// The levels, each with the value it takes in the linear predictor.
        levels: Vec<Level>,
    },
}

/// One level of a categorical nomogram variable.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Level {
    /// The level's label.
    pub label: String,
    /// Its coded value in the linear predictor.
    pub value: f64,
}
