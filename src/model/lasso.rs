//! L1-penalised logistic regression, glmnet's way: inputs standardised (population SD, as
//! scikit-learn's `StandardScaler` and glmnet's internal standardisation), an unpenalised
//! intercept, and the objective
//!
//! ```text
//! −(1/n) Σ [yᵢ ηᵢ − log(1 + e^ηᵢ)] + λ Σⱼ |βⱼ|,   ηᵢ = β₀ + xᵢᵀβ,
//! ```
//!
//! minimised by proximal Newton: each outer step replaces the log-likelihood by its quadratic
//! approximation at the current fit (weights wᵢ = pᵢ(1 − pᵢ), working response
//! zᵢ = ηᵢ + (yᵢ − pᵢ)/wᵢ) and solves that weighted lasso by cyclic coordinate descent with
//! soft thresholding; a step that raises the objective is halved. The path and its
//! cross-validation are in [`super::lasso_cv`].

use nalgebra::{DMatrix, DVector};
use serde::Serialize;

use super::logit::sigmoid;

/// Newton stops when no coefficient moves by more than this (relative to 1 + max |β|).
const TOLERANCE: f64 = 1e-13;

/// Coordinate descent stops when no coordinate lowers the quadratic by more than about this:
/// max Gⱼⱼ Δβⱼ² < `DESCENT_TOLERANCE` (glmnet's criterion, far tighter than its 1e-7).
const DESCENT_TOLERANCE: f64 = 1e-26;

/// glmnet's floor on fitted probabilities (`pmin`), which bounds the weights p(1 − p) away
/// from 0; the fixed point does not depend on the weights, only the speed of reaching it.
const PROBABILITY_FLOOR: f64 = 1e-5;

/// Outer (Newton) steps at most per λ.
const MAX_NEWTON_STEPS: usize = 200;

/// Coordinate-descent sweeps (full or active-set) at most per Newton step.
const MAX_SWEEPS: usize = 100_000;

/// Columns centred and scaled to unit population SD, with the means and SDs used.
#[derive(Debug, Clone)]
pub struct Standardized {
    /// The standardised columns.
    pub columns: Vec<Vec<f64>>,
    /// Each column's mean.
    pub means: Vec<f64>,
    /// Each column's population SD (denominator n).
    pub sds: Vec<f64>,
}

/// Standardises each column: (x − mean) / SD with SD = √(Σ(x − mean)² / n). Columns must not
/// be constant (the table checks that).
pub fn standardize(columns: &[Vec<f64>]) -> Standardized {
    let mut result = Standardized {
        columns: Vec::new(),
        means: Vec::new(),
        sds: Vec::new(),
    };
    for column in columns {
        let n = column.len() as f64;
        let mean = column.iter().sum::<f64>() / n;
        let sd = (column.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n).sqrt();
        result
            .columns
            .push(column.iter().map(|v| (v - mean) / sd).collect());
        result.means.push(mean);
        result.sds.push(sd);
    }
    result
}

/// An L1 fit on standardised inputs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct L1Fit {
    /// The penalty λ.
    pub lambda: f64,
    /// β₀ (unpenalised).
    pub intercept: f64,
    /// β on the standardised scale, one per column.
    pub beta: Vec<f64>,
}

impl L1Fit {
    /// The linear predictor β₀ + xᵢᵀβ of each row of `columns` (standardised as the fit's).
    pub fn linear_predictor(&self, columns: &[Vec<f64>]) -> Vec<f64> {
        let n = columns.first().map_or(0, Vec::len);
        let mut eta = vec![self.intercept; n];
        for (column, &b) in columns.iter().zip(&self.beta).filter(|(_, b)| **b != 0.0) {
            for (e, x) in eta.iter_mut().zip(column) {
                *e += b * x;
            }
        }
        eta
    }

    /// The coefficients on the original scale: βⱼ / SDⱼ, and β₀ − Σ βⱼ meanⱼ / SDⱼ.
    pub fn original_scale(&self, scaling: &Standardized) -> (f64, Vec<f64>) {
        let beta: Vec<f64> = self
            .beta
            .iter()
            .zip(&scaling.sds)
            .map(|(b, s)| b / s)
            .collect();
        let shift: f64 = beta.iter().zip(&scaling.means).map(|(b, m)| b * m).sum();
        (self.intercept - shift, beta)
    }

    /// The objective −loglik/n + λ‖β‖₁ on `columns` and 0/1 outcomes `y`.
    pub fn objective(&self, columns: &[Vec<f64>], y: &[f64]) -> f64 {
        let eta = self.linear_predictor(columns);
        let log_lik: f64 = eta
            .iter()
            .zip(y)
            .map(|(&e, &y)| y * e - (e.max(0.0) + (-e.abs()).exp().ln_1p()))
            .sum();
        let l1: f64 = self.beta.iter().map(|b| b.abs()).sum();
        -log_lik / y.len() as f64 + self.lambda * l1
    }
}

/// The smallest λ at which every β is zero: maxⱼ |xⱼᵀ(y − ȳ)| / n.
pub fn lambda_max(columns: &[Vec<f64>], y: &[f64]) -> f64 {
    let n = y.len() as f64;
    let mean = y.iter().sum::<f64>() / n;
    columns
        .iter()
        .map(|x| {
            x.iter()
                .zip(y)
                .map(|(x, y)| x * (y - mean))
                .sum::<f64>()
                .abs()
                / n
        })
        .fold(0.0, f64::max)
}

/// The intercept-only fit, β₀ = logit(ȳ).
pub fn null_fit(y: &[f64], predictors: usize, lambda: f64) -> L1Fit {
    let mean = y.iter().sum::<f64>() / y.len() as f64;
    L1Fit {
        lambda,
        intercept: (mean / (1.0 - mean)).ln(),
        beta: vec![0.0; predictors],
    }
}

/// Minimises the objective at `lambda` by proximal Newton from `start` (a warm start, e.g.
/// the fit at the previous λ of a path).
pub fn fit_l1(columns: &[Vec<f64>], y: &[f64], lambda: f64, start: &L1Fit) -> L1Fit {
    let n = y.len();
    let x = DMatrix::from_fn(n, columns.len(), |i, j| columns[j][i]);
    let mut fit = L1Fit {
        lambda,
        ..start.clone()
    };
    let mut objective = fit.objective(columns, y);
    for _ in 0..MAX_NEWTON_STEPS {
        let proposal = newton_step(&x, y, &fit);
        let (next, next_objective) = damp(columns, y, &fit, proposal, objective);
        let change = largest_change(&fit, &next);
        (fit, objective) = (next, next_objective);
        let size = fit
            .beta
            .iter()
            .fold(fit.intercept.abs(), |m, b| m.max(b.abs()));
        if change < TOLERANCE * (1.0 + size) {
            break;
        }
    }
    fit
}

/// The largest move of any coefficient between two fits.
fn largest_change(a: &L1Fit, b: &L1Fit) -> f64 {
    let slopes = a.beta.iter().zip(&b.beta).map(|(x, y)| (x - y).abs());
    slopes.fold((a.intercept - b.intercept).abs(), f64::max)
}

/// `proposal`, or a point halfway towards it from `fit` (repeatedly) while the objective rises.
fn damp(
    columns: &[Vec<f64>],
    y: &[f64],
    fit: &L1Fit,
    mut proposal: L1Fit,
    objective: f64,
) -> (L1Fit, f64) {
    for _ in 0..50 {
        let value = proposal.objective(columns, y);
        if value <= objective {
            return (proposal, value);
        }
        proposal.intercept = (proposal.intercept + fit.intercept) / 2.0;
        for (b, old) in proposal.beta.iter_mut().zip(&fit.beta) {
            *b = (*b + old) / 2.0;
        }
    }
    (fit.clone(), objective)
}

/// The weighted lasso of one Newton step, solved by coordinate descent from `fit`.
///
/// Centring x and z by their w-weighted means removes the intercept (β₀ = z̄ − x̄ᵀβ), and the
/// remaining problem ½βᵀGβ − qᵀβ + λ‖β‖₁ needs only G = n⁻¹ X̃ᵀWX̃ and q = n⁻¹ X̃ᵀW z̃
/// (glmnet's "covariance" updates: O(p) per coordinate instead of O(n)).
fn newton_step(x: &DMatrix<f64>, y: &[f64], fit: &L1Fit) -> L1Fit {
    let n = y.len() as f64;
    let beta = DVector::from_column_slice(&fit.beta);
    let eta = x * &beta;
    let mut weights = Vec::with_capacity(y.len());
    let mut working = Vec::with_capacity(y.len());
    for (&e, &y) in eta.iter().zip(y) {
        let e = e + fit.intercept;
        let p = sigmoid(e);
        let clamped = p.clamp(PROBABILITY_FLOOR, 1.0 - PROBABILITY_FLOOR);
        let w = clamped * (1.0 - clamped);
        weights.push(w);
        working.push(e + (y - p) / w);
    }
    let total: f64 = weights.iter().sum();
    let x_mean = x.tr_mul(&DVector::from_column_slice(&weights)) / total;
    let z_mean = working
        .iter()
        .zip(&weights)
        .map(|(z, w)| z * w)
        .sum::<f64>()
        / total;
    let mut centred = x.clone();
    let mut z = DVector::zeros(y.len());
    for (i, mut row) in centred.row_iter_mut().enumerate() {
        let root_w = weights[i].sqrt();
        row -= x_mean.transpose();
        row *= root_w;
        z[i] = root_w * (working[i] - z_mean);
    }
    let gram = centred.tr_mul(&centred) / n;
    let q = centred.tr_mul(&z) / n;
    let beta = coordinate_descent(&gram, &q, fit.lambda, beta);
    L1Fit {
        lambda: fit.lambda,
        intercept: z_mean - x_mean.dot(&beta),
        beta: beta.iter().copied().collect(),
    }
}

/// Minimises ½βᵀGβ − qᵀβ + λ‖β‖₁ from `beta`: full sweeps, each followed by sweeps over the
/// nonzero coordinates until they settle, until a full sweep moves nothing.
fn coordinate_descent(
    gram: &DMatrix<f64>,
    q: &DVector<f64>,
    lambda: f64,
    mut beta: DVector<f64>,
) -> DVector<f64> {
    let mut sweeps = 0;
    while sweeps < MAX_SWEEPS {
        // g = q − Gβ, refreshed each full sweep so rounding cannot accumulate.
        let mut gradient = q - gram * &beta;
        sweeps += 1;
        if sweep(gram, lambda, &mut beta, &mut gradient, false) < DESCENT_TOLERANCE {
            break;
        }
        while sweeps < MAX_SWEEPS {
            sweeps += 1;
            if sweep(gram, lambda, &mut beta, &mut gradient, true) < DESCENT_TOLERANCE {
                break;
            }
        }
    }
    beta
}

/// One pass of βⱼ ← S(gⱼ + Gⱼⱼβⱼ, λ) / Gⱼⱼ over the coordinates (the nonzero ones only if
/// `active`), keeping g = q − Gβ current; returns the largest Gⱼⱼ Δβⱼ².
fn sweep(
    gram: &DMatrix<f64>,
    lambda: f64,
    beta: &mut DVector<f64>,
    gradient: &mut DVector<f64>,
    active: bool,
) -> f64 {
    let mut largest: f64 = 0.0;
    for j in 0..beta.len() {
        let old = beta[j];
        if active && old == 0.0 {
            continue;
        }
        let curvature = gram[(j, j)];
        let new = soft_threshold(gradient[j] + curvature * old, lambda) / curvature;
        if new != old {
            gradient.axpy(old - new, &gram.column(j), 1.0);
            beta[j] = new;
            largest = largest.max(curvature * (new - old).powi(2));
        }
    }
    largest
}

/// S(g, λ) = sign(g) · max(|g| − λ, 0).
fn soft_threshold(g: f64, lambda: f64) -> f64 {
    g.signum() * (g.abs() - lambda).max(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data() -> (Vec<Vec<f64>>, Vec<f64>) {
        let x1 = vec![0.5, 1.2, -0.3, 2.0, 0.1, -1.5, 0.9, 1.7, -0.8, 0.3];
        let x2 = vec![1.0, -0.4, 0.6, 0.2, -1.1, 0.8, -0.2, 0.4, 1.3, -0.9];
        let y = vec![1.0, 1.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 1.0];
        (standardize(&[x1, x2]).columns, y)
    }

    /// Karush–Kuhn–Tucker: g = xⱼᵀ(y − p)/n equals λ·sign(βⱼ) where βⱼ ≠ 0, |g| ≤ λ elsewhere,
    /// and the intercept's gradient is zero.
    #[test]
    fn fit_satisfies_optimality_conditions() {
        let (x, y) = data();
        let lambda = 0.3 * lambda_max(&x, &y);
        let fit = fit_l1(&x, &y, lambda, &null_fit(&y, 2, lambda));
        let residual: Vec<f64> = fit
            .linear_predictor(&x)
            .iter()
            .zip(&y)
            .map(|(e, y)| y - sigmoid(*e))
            .collect();
        assert!(residual.iter().sum::<f64>().abs() < 1e-10);
        for (column, b) in x.iter().zip(&fit.beta) {
            let g = column
                .iter()
                .zip(&residual)
                .map(|(x, r)| x * r)
                .sum::<f64>()
                / 10.0;
            if *b == 0.0 {
                assert!(g.abs() <= lambda + 1e-12);
            } else {
                assert!((g - lambda * b.signum()).abs() < 1e-10, "{g} {b}");
            }
        }
        assert!(fit.beta.iter().any(|&b| b != 0.0));
    }

    #[test]
    fn everything_is_zero_at_lambda_max() {
        let (x, y) = data();
        let lambda = lambda_max(&x, &y);
        let fit = fit_l1(&x, &y, lambda * 1.000001, &null_fit(&y, 2, lambda));
        assert!(fit.beta.iter().all(|&b| b == 0.0));
    }
}
