//! glmnet's λ path for the L1 logistic model and its K-fold cross-validation (`cv.glmnet` with
//! `family = "binomial"`, `type.measure = "deviance"`).
//!
//! - Path: `nlambda` = 100 values, geometric from λ_max (the smallest λ with every β zero) down
//!   to λ_max · `lambda.min.ratio`, the ratio 1e-4 when n > p and 1e-2 otherwise (glmnet's
//!   defaults). As glmnet, the path stops early (after at least 5 λ) once the fraction of
//!   deviance explained exceeds 0.999 or grows by less than 1e-5 from one λ to the next
//!   (`devmax`, `fdev`, `mnlam`).
//! - Folds: stratified and deterministic from the seed: positives and negatives are each
//!   shuffled (Fisher–Yates driven by SplitMix64) and dealt round-robin, positives first.
//! - Each fold standardises its own training part and fits the full data's λ sequence; a fold
//!   whose path stopped early predicts with its last fit beyond that (as `cv.glmnet`).
//! - CV deviance per λ: the mean binomial deviance −2/nₖ Σ [y log p + (1 − y) log(1 − p)] of
//!   each held-out fold, averaged with fold-size weights; its SE is
//!   √(Σₖ wₖ (devₖ − mean)² / Σ wₖ / (K − 1)).
//! - λ_min is the largest λ at the minimum mean deviance; λ_1se the largest λ whose mean is
//!   within one SE of the minimum (at or below mean + SE at λ_min).

use serde::Serialize;

use super::data::{ModelError, Result};
use super::lasso::{L1Fit, fit_l1, lambda_max, null_fit, standardize};

/// glmnet's `nlambda`.
pub const PATH_LENGTH: usize = 100;

/// glmnet's `devmax`: stop the path when the deviance explained exceeds this.
const DEVIANCE_EXPLAINED_MAX: f64 = 0.999;

/// glmnet's `mnlam`: the path never stops before this many λ.
const MIN_PATH_LENGTH: usize = 5;

/// glmnet's `fdev`: stop when the fraction of deviance explained grows by less than this.
const DEVIANCE_EXPLAINED_MIN_GAIN: f64 = 1e-5;

/// glmnet's default λ sequence for `n` cases and `p` predictors from λ_max.
pub fn lambda_sequence(lambda_max: f64, n: usize, p: usize) -> Vec<f64> {
    let ratio: f64 = if n > p { 1e-4 } else { 1e-2 };
    let last = (PATH_LENGTH - 1) as f64;
    (0..PATH_LENGTH)
        .map(|k| lambda_max * ratio.powf(k as f64 / last))
        .collect()
}

/// The binomial deviance −2 Σ [y log p + (1 − y) log(1 − p)] of predictions `eta`.
pub fn deviance(eta: &[f64], y: &[f64]) -> f64 {
    let log_lik: f64 = eta
        .iter()
        .zip(y)
        .map(|(&e, &y)| y * e - (e.max(0.0) + (-e.abs()).exp().ln_1p()))
        .sum();
    -2.0 * log_lik
}

/// The fits along `lambdas` with warm starts, stopped early as glmnet does.
pub fn fit_path(columns: &[Vec<f64>], y: &[f64], lambdas: &[f64]) -> Vec<L1Fit> {
    let null = null_fit(y, columns.len(), lambdas[0]);
    let null_deviance = deviance(&null.linear_predictor(columns), y);
    let mut fits: Vec<L1Fit> = Vec::new();
    let mut explained_before = 0.0;
    for &lambda in lambdas {
        // At λ_max the solution is the null fit exactly (glmnet does not iterate there).
        let fit = match fits.last() {
            None if lambda >= lambda_max(columns, y) => L1Fit {
                lambda,
                ..null.clone()
            },
            previous => fit_l1(columns, y, lambda, previous.unwrap_or(&null)),
        };
        let explained = 1.0 - deviance(&fit.linear_predictor(columns), y) / null_deviance;
        fits.push(fit);
        let gain = explained - explained_before;
        let stop = explained > DEVIANCE_EXPLAINED_MAX || gain < DEVIANCE_EXPLAINED_MIN_GAIN;
        if fits.len() >= MIN_PATH_LENGTH && stop {
            break;
        }
        explained_before = explained;
    }
    fits
}

/// One λ of the cross-validated path.
#[derive(Debug, Clone, Serialize)]
pub struct PathPoint {
    /// λ.
    pub lambda: f64,
    /// Mean held-out binomial deviance per case.
    pub cv_deviance: f64,
    /// Its standard error across folds.
    pub cv_se: f64,
    /// The full-data fit at this λ (standardised scale).
    #[serde(skip)]
    pub fit: L1Fit,
}

/// A cross-validated path with glmnet's two choices of λ.
#[derive(Debug, Clone)]
pub struct CvPath {
    /// The path, λ descending.
    pub points: Vec<PathPoint>,
    /// Index of λ_min in `points`.
    pub min: usize,
    /// Index of λ_1se in `points`.
    pub one_se: usize,
}

/// Stratified folds: the fold (0..k) of each case.
pub fn stratified_folds(labels: &[bool], k: usize, seed: u64) -> Vec<usize> {
    let mut next = splitmix64(seed);
    let mut folds = vec![0; labels.len()];
    let mut dealt = 0;
    for class in [true, false] {
        let mut members: Vec<usize> = (0..labels.len()).filter(|&i| labels[i] == class).collect();
        for i in (1..members.len()).rev() {
            members.swap(i, (next() % (i as u64 + 1)) as usize);
        }
        for case in members {
            folds[case] = dealt % k;
            dealt += 1;
        }
    }
    folds
}

/// SplitMix64 (Steele, Lea & Flood 2014): each call returns the next 64-bit value.
fn splitmix64(seed: u64) -> impl FnMut() -> u64 {
    let mut state = seed;
    move || {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

/// Cross-validates the L1 path on raw (unstandardised) `columns` with `k` stratified folds.
/// Each class needs at least `k` cases, so every training part holds both.
pub fn cross_validate(
    columns: &[Vec<f64>],
    labels: &[bool],
    k: usize,
    seed: u64,
) -> Result<CvPath> {
    let events = labels.iter().filter(|&&l| l).count();
    let fewest = events.min(labels.len() - events);
    if k < 2 || fewest < k {
        return Err(ModelError::Invalid(format!(
            "{k} folds need at least {k} cases of each class; the rarer class has {fewest}"
        )));
    }
    let y: Vec<f64> = labels.iter().map(|&l| f64::from(u8::from(l))).collect();
    let scaled = standardize(columns);
    let lambdas = lambda_sequence(lambda_max(&scaled.columns, &y), y.len(), columns.len());
    let fits = fit_path(&scaled.columns, &y, &lambdas);
    let folds = stratified_folds(labels, k, seed);
    let per_fold: Vec<(f64, Vec<f64>)> = (0..k)
        .map(|fold| fold_deviances(columns, &y, &folds, fold, &lambdas[..fits.len()]))
        .collect();
    let points: Vec<PathPoint> = fits
        .into_iter()
        .enumerate()
        .map(|(i, fit)| summarise_lambda(&per_fold, i, fit))
        .collect();
    let (min, one_se) = choose_lambdas(&points);
    Ok(CvPath {
        points,
        min,
        one_se,
    })
}

/// Fits the path on all folds but `fold` and returns the held-out size and its mean deviance
/// per λ.
fn fold_deviances(
    columns: &[Vec<f64>],
    y: &[f64],
    folds: &[usize],
    fold: usize,
    lambdas: &[f64],
) -> (f64, Vec<f64>) {
    let pick = |held_out: bool| -> (Vec<Vec<f64>>, Vec<f64>) {
        let rows: Vec<usize> = (0..y.len())
            .filter(|&i| (folds[i] == fold) == held_out)
            .collect();
        let x = columns
            .iter()
            .map(|c| rows.iter().map(|&i| c[i]).collect())
            .collect();
        (x, rows.iter().map(|&i| y[i]).collect())
    };
    let ((train_x, train_y), (test_x, test_y)) = (pick(false), pick(true));
    let scaled = standardize(&train_x);
    let fits = fit_path(&scaled.columns, &train_y, lambdas);
    let deviances = (0..lambdas.len())
        .map(|i| {
            let (intercept, beta) = fits[i.min(fits.len() - 1)].original_scale(&scaled);
            let original = L1Fit {
                lambda: lambdas[i],
                intercept,
                beta,
            };
            deviance(&original.linear_predictor(&test_x), &test_y) / test_y.len() as f64
        })
        .collect();
    (test_y.len() as f64, deviances)
}

/// The weighted mean deviance and its SE at λ index `i`.
fn summarise_lambda(per_fold: &[(f64, Vec<f64>)], i: usize, fit: L1Fit) -> PathPoint {
    let total: f64 = per_fold.iter().map(|(w, _)| w).sum();
    let mean = per_fold.iter().map(|(w, d)| w * d[i]).sum::<f64>() / total;
    let spread = per_fold
        .iter()
        .map(|(w, d)| w * (d[i] - mean).powi(2))
        .sum::<f64>()
        / total;
    PathPoint {
        lambda: fit.lambda,
        cv_deviance: mean,
        cv_se: (spread / (per_fold.len() as f64 - 1.0)).sqrt(),
        fit,
    }
}

/// λ_min and λ_1se as indices (the path runs from the largest λ down, so the first index that
/// qualifies is the largest λ).
fn choose_lambdas(points: &[PathPoint]) -> (usize, usize) {
    let lowest = points
        .iter()
        .map(|p| p.cv_deviance)
        .fold(f64::INFINITY, f64::min);
    let min = points
        .iter()
        .position(|p| p.cv_deviance <= lowest)
        .unwrap_or(0);
    let bound = points[min].cv_deviance + points[min].cv_se;
    let one_se = points
        .iter()
        .position(|p| p.cv_deviance <= bound)
        .unwrap_or(min);
    (min, one_se)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_are_stratified_and_seeded() {
        let labels: Vec<bool> = (0..23).map(|i| i % 3 == 0).collect();
        let folds = stratified_folds(&labels, 4, 7);
        for fold in 0..4 {
            let positives = (0..23).filter(|&i| folds[i] == fold && labels[i]).count();
            assert!((1..=2).contains(&positives));
        }
        assert_eq!(folds, stratified_folds(&labels, 4, 7));
        assert_ne!(folds, stratified_folds(&labels, 4, 8));
    }

    #[test]
    fn sequence_is_geometric_from_lambda_max() {
        let lambdas = lambda_sequence(2.0, 50, 10);
        assert_eq!((lambdas[0], lambdas.len()), (2.0, 100));
        assert!((lambdas[99] - 2e-4).abs() < 1e-15);
        assert!((lambdas[1] / lambdas[0] - lambdas[2] / lambdas[1]).abs() < 1e-12);
        assert!((lambda_sequence(2.0, 5, 10)[99] - 2e-2).abs() < 1e-15);
    }
}
