//! Radiomics feature selection for one feature group, fitted on the training set only:
//! z-score scaler, variance threshold, Pearson correlation filter, LASSO-CV, optional RFE.

use serde::Serialize;

use crate::model::config::{LambdaChoice, SelectionConfig};
use crate::model::data::{ModelError, Result};
use crate::model::lasso_cv::{CvPath, cross_validate};
use crate::model::logit::fit_logit;
use crate::model::report::{CoefficientPath, LassoPath};

/// A z-score transform: (x − mean) / SD with the population SD, as scikit-learn's
/// `StandardScaler`, fitted on the training rows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scaler {
    /// Each column's training mean.
    pub means: Vec<f64>,
    /// Each column's training SD (population).
    pub sds: Vec<f64>,
}

impl Scaler {
    /// Fits the scaler on `columns` (the training rows).
    pub fn fit(columns: &[Vec<f64>]) -> Scaler {
        let (means, sds) = columns.iter().map(|c| mean_and_sd(c)).unzip();
        Scaler { means, sds }
    }

    /// `columns` transformed with the fitted means and SDs.
    pub fn apply(&self, columns: &[Vec<f64>]) -> Vec<Vec<f64>> {
        let scale =
            |(c, (m, s)): (&Vec<f64>, (&f64, &f64))| c.iter().map(|v| (v - m) / s).collect();
        columns
            .iter()
            .zip(self.means.iter().zip(&self.sds))
            .map(scale)
            .collect()
    }
}

/// The mean and population SD of `values`.
pub fn mean_and_sd(values: &[f64]) -> (f64, f64) {
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let variance = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n;
    (mean, variance.sqrt())
}

/// Pearson's correlation of two columns.
pub fn pearson(a: &[f64], b: &[f64]) -> f64 {
    let ((ma, sa), (mb, sb)) = (mean_and_sd(a), mean_and_sd(b));
    let covariance: f64 = a
        .iter()
        .zip(b)
        .map(|(x, y)| (x - ma) * (y - mb))
        .sum::<f64>();
    covariance / (a.len() as f64 * sa * sb)
}

/// What the selection kept of one group, step by step.
#[derive(Debug, Clone, Serialize)]
pub struct GroupSelection {
    /// The group's column prefix.
    pub group: String,
    /// Feature columns of the group.
    pub candidates: usize,
    /// Left after the variance threshold.
    pub after_variance: usize,
    /// Left after the correlation filter.
    pub after_correlation: usize,
    /// Left after LASSO-CV.
    pub after_lasso: usize,
    /// The selected features, in column order.
    pub selected: Vec<String>,
    /// The LASSO path and CV curve (standardised coefficients).
    #[serde(skip)]
    pub lasso: LassoPath,
}

/// Runs the selection on a group's training columns (`names[i]` ↔ `columns[i]`). LASSO-CV may
/// keep no feature of a group; the group then adds none to the Rad-score.
pub fn select_group(
    group: &str,
    names: &[String],
    columns: &[Vec<f64>],
    labels: &[bool],
    settings: &SelectionConfig,
    folds: usize,
    seed: u64,
) -> Result<GroupSelection> {
    let varied: Vec<usize> = (0..columns.len())
        .filter(|&i| mean_and_sd(&columns[i]).1.powi(2) > settings.variance_threshold)
        .collect();
    let kept = correlation_filter(columns, &varied, settings.correlation);
    let kept_columns: Vec<Vec<f64>> = kept.iter().map(|&i| columns[i].clone()).collect();
    let no_feature =
        |step: &str| ModelError::Invalid(format!("group '{group}': no feature left after {step}"));
    if kept.is_empty() {
        return Err(no_feature("the variance and correlation filters"));
    }
    let cv = cross_validate(&kept_columns, labels, folds, seed)
        .map_err(|e| ModelError::Invalid(format!("group '{group}': LASSO-CV: {e}")))?;
    let chosen = match settings.lambda {
        LambdaChoice::Min => cv.min,
        LambdaChoice::OneSe => cv.one_se,
    };
    let mut lasso_kept: Vec<usize> = (0..kept.len())
        .filter(|&j| cv.points[chosen].fit.beta[j] != 0.0)
        .collect();
    let after_lasso = lasso_kept.len();
    let kept_names: Vec<String> = kept.iter().map(|&i| names[i].clone()).collect();
    if let Some(target) = settings.rfe.filter(|_| !lasso_kept.is_empty()) {
        lasso_kept = eliminate(&kept_names, &kept_columns, &lasso_kept, labels, target)?;
    }
    Ok(GroupSelection {
        group: group.to_string(),
        candidates: columns.len(),
        after_variance: varied.len(),
        after_correlation: kept.len(),
        after_lasso,
        selected: lasso_kept.iter().map(|&j| kept_names[j].clone()).collect(),
        lasso: lasso_path(&cv, &kept_names),
    })
}

/// Keeps, in column order, each of `candidates` whose |r| with every feature kept before it is
/// at most `threshold`.
pub fn correlation_filter(
    columns: &[Vec<f64>],
    candidates: &[usize],
    threshold: f64,
) -> Vec<usize> {
    let mut kept: Vec<usize> = Vec::new();
    for &i in candidates {
        if kept
            .iter()
            .all(|&k| pearson(&columns[i], &columns[k]).abs() <= threshold)
        {
            kept.push(i);
        }
    }
    kept
}

/// Recursive feature elimination: refits a logistic model on the z-scored features and drops
/// the one with the smallest |β| until `target` remain (scikit-learn's `RFE` with step 1).
fn eliminate(
    names: &[String],
    columns: &[Vec<f64>],
    start: &[usize],
    labels: &[bool],
    target: usize,
) -> Result<Vec<usize>> {
    let mut kept = start.to_vec();
    while kept.len() > target.max(1) {
        let picked: Vec<Vec<f64>> = kept.iter().map(|&j| columns[j].clone()).collect();
        let scaled = Scaler::fit(&picked).apply(&picked);
        let picked_names: Vec<String> = kept.iter().map(|&j| names[j].clone()).collect();
        let fit = fit_logit(&picked_names, &scaled, labels)?;
        let weakest = (0..kept.len())
            .min_by(|&a, &b| {
                let size = |k: usize| fit.coefficients[k + 1].estimate.abs();
                size(a).total_cmp(&size(b))
            })
            .expect("at least two features");
        kept.remove(weakest);
    }
    Ok(kept)
}

/// The CV path in the report's form.
fn lasso_path(cv: &CvPath, names: &[String]) -> LassoPath {
    let coefficients = names
        .iter()
        .enumerate()
        .map(|(j, name)| CoefficientPath {
            feature: name.clone(),
            values: cv.points.iter().map(|p| p.fit.beta[j]).collect(),
        })
        .collect();
    LassoPath {
        lambdas: cv.points.iter().map(|p| p.lambda).collect(),
        coefficients,
        cv_mean: cv.points.iter().map(|p| p.cv_deviance).collect(),
        cv_se: cv.points.iter().map(|p| p.cv_se).collect(),
        lambda_min: cv.points[cv.min].lambda,
        lambda_1se: cv.points[cv.one_se].lambda,
    }
}
