//! Maximum-likelihood logistic regression by Newton's method (IRLS), with Wald statistics and
//! odds ratios, as statsmodels' `Logit(y, add_constant(X)).fit()`.

use nalgebra::{DMatrix, DVector};
use serde::Serialize;

use super::data::{ModelError, Result};
use super::roc::{two_sided_normal_p, z_975};

/// The name of the intercept term.
pub const INTERCEPT: &str = "(Intercept)";

/// Newton steps before the fit is declared divergent (statsmodels converges in < 10 on
/// well-posed data).
const MAX_ITERATIONS: usize = 100;

/// Convergence: the largest change of a coefficient in one step.
const STEP_TOLERANCE: f64 = 1e-12;

/// One fitted coefficient.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Coefficient {
    /// β.
    pub estimate: f64,
    /// √((XᵀWX)⁻¹)ⱼⱼ at the optimum.
    pub se: f64,
    /// Wald z = β / SE.
    pub z: f64,
    /// Two-sided p-value of z under the standard normal.
    pub p: f64,
    /// exp(β).
    pub or: f64,
    /// exp(β ± z₀.₉₇₅ · SE).
    pub or_ci: [f64; 2],
}

/// A fitted logistic regression.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LogitFit {
    /// Number of cases.
    pub n: usize,
    /// The intercept, then one coefficient per variable, in input order.
    pub coefficients: indexmap::IndexMap<String, Coefficient>,
    /// The maximised log-likelihood.
    #[serde(skip)]
    pub log_likelihood: f64,
}

/// The logistic function 1 / (1 + e^(−η)).
pub fn sigmoid(eta: f64) -> f64 {
    1.0 / (1.0 + (-eta).exp())
}

/// The Bernoulli log-likelihood Σ y·η − log(1 + e^η), computed without overflow.
pub fn log_likelihood(eta: &DVector<f64>, y: &DVector<f64>) -> f64 {
    eta.iter()
        .zip(y.iter())
        .map(|(&e, &y)| y * e - (e.max(0.0) + (-e.abs()).exp().ln_1p()))
        .sum()
}

/// The design matrix: a column of ones, then the variables.
fn design(columns: &[Vec<f64>]) -> DMatrix<f64> {
    let n = columns[0].len();
    DMatrix::from_fn(n, columns.len() + 1, |i, j| {
        if j == 0 { 1.0 } else { columns[j - 1][i] }
    })
}

/// Fits P(y = 1) = σ(β₀ + Σ βⱼ xⱼ) by Newton–Raphson from β = 0 (halving a step that lowers
/// the likelihood). Perfect or quasi-complete separation (no finite maximum: the steps never
/// shrink or the information matrix becomes singular) is an error naming the variable most
/// responsible: one that alone separates the classes, else the largest |βⱼ|·SD(xⱼ).
pub fn fit_logit(names: &[String], columns: &[Vec<f64>], labels: &[bool]) -> Result<LogitFit> {
    let x = design(columns);
    let y = DVector::from_iterator(labels.len(), labels.iter().map(|&l| f64::from(u8::from(l))));
    check_full_rank(&x, names)?;
    let mut beta = DVector::zeros(x.ncols());
    let mut log_lik = log_likelihood(&(&x * &beta), &y);
    for _ in 0..MAX_ITERATIONS {
        let Some(step) = newton_step(&x, &y, &beta) else {
            break;
        };
        let (next, next_log_lik) = halve_until_better(&x, &y, &beta, &step, log_lik);
        let change = (&next - &beta).amax();
        (beta, log_lik) = (next, next_log_lik);
        if change < STEP_TOLERANCE * (1.0 + beta.amax()) {
            return summarise(&x, &beta, names, log_lik);
        }
    }
    Err(separation_error(names, columns, labels, &beta))
}

/// The information matrix XᵀWX, W = diag(p(1 − p)).
fn information(x: &DMatrix<f64>, beta: &DVector<f64>) -> DMatrix<f64> {
    let p = (x * beta).map(sigmoid);
    let mut weighted = x.clone();
    for (mut row, p) in weighted.row_iter_mut().zip(p.iter()) {
        row *= p * (1.0 - p);
    }
    x.transpose() * weighted
}

/// The Newton step (XᵀWX)⁻¹ Xᵀ(y − p); `None` when XᵀWX is numerically singular.
fn newton_step(x: &DMatrix<f64>, y: &DVector<f64>, beta: &DVector<f64>) -> Option<DVector<f64>> {
    let p = (x * beta).map(sigmoid);
    let gradient = x.transpose() * (y - p);
    information(x, beta).cholesky()?.solve(&gradient).into()
}

/// β + step, halved (up to 30 times) while the log-likelihood falls.
fn halve_until_better(
    x: &DMatrix<f64>,
    y: &DVector<f64>,
    beta: &DVector<f64>,
    step: &DVector<f64>,
    log_lik: f64,
) -> (DVector<f64>, f64) {
    let mut scale = 1.0;
    loop {
        let next = beta + step * scale;
        let next_log_lik = log_likelihood(&(x * &next), y);
        if next_log_lik >= log_lik || scale < 1e-9 {
            return (next, next_log_lik);
        }
        scale /= 2.0;
    }
}

/// Rejects collinear variables (XᵀX singular), naming the first that depends on earlier ones.
fn check_full_rank(x: &DMatrix<f64>, names: &[String]) -> Result<()> {
    for j in 2..=x.ncols() {
        let leading = x.columns(0, j);
        let gram = leading.transpose() * leading;
        let scale = gram.diagonal().amax();
        let smallest = gram.symmetric_eigenvalues().amin();
        if smallest <= 1e-12 * scale {
            return Err(ModelError::Variable {
                variable: names[j - 2].clone(),
                problem: "collinear with the intercept or earlier variables".into(),
            });
        }
    }
    Ok(())
}

/// Coefficients with Wald statistics and odds ratios at the optimum.
fn summarise(
    x: &DMatrix<f64>,
    beta: &DVector<f64>,
    names: &[String],
    log_likelihood: f64,
) -> Result<LogitFit> {
    let covariance = information(x, beta)
        .try_inverse()
        .ok_or_else(|| ModelError::Invalid("singular information matrix".into()))?;
    let labels = std::iter::once(INTERCEPT).chain(names.iter().map(String::as_str));
    let coefficients = labels
        .enumerate()
        .map(|(j, name)| (name.to_owned(), wald(beta[j], covariance[(j, j)].sqrt())))
        .collect();
    Ok(LogitFit {
        n: x.nrows(),
        coefficients,
        log_likelihood,
    })
}

/// Wald z, p and the odds ratio with its 95% CI for an estimate and its SE.
fn wald(estimate: f64, se: f64) -> Coefficient {
    let z = estimate / se;
    let half_width = z_975() * se;
    Coefficient {
        estimate,
        se,
        z,
        p: two_sided_normal_p(z),
        or: estimate.exp(),
        or_ci: [(estimate - half_width).exp(), (estimate + half_width).exp()],
    }
}

/// Whether one variable alone separates the classes (all positives ≥ all negatives, or ≤).
fn separates(values: &[f64], labels: &[bool]) -> bool {
    let range = |class: bool| {
        let picked = values.iter().zip(labels).filter(|&(_, &l)| l == class);
        picked.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), (&v, _)| {
            (lo.min(v), hi.max(v))
        })
    };
    let (positive, negative) = (range(true), range(false));
    positive.0 >= negative.1 || positive.1 <= negative.0
}

/// The separation error, naming the variable most responsible.
fn separation_error(
    names: &[String],
    columns: &[Vec<f64>],
    labels: &[bool],
    beta: &DVector<f64>,
) -> ModelError {
    let alone = (0..names.len()).find(|&j| separates(&columns[j], labels));
    let spread = |j: usize| {
        let n = columns[j].len() as f64;
        let mean = columns[j].iter().sum::<f64>() / n;
        let variance = columns[j].iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n;
        (beta[j + 1] * variance.sqrt()).abs()
    };
    let largest = (0..names.len()).max_by(|&a, &b| spread(a).total_cmp(&spread(b)));
    ModelError::Variable {
        variable: names[alone.or(largest).unwrap_or(0)].clone(),
        problem: "perfect or quasi-complete separation of the outcome: \
                  the maximum-likelihood estimate does not exist"
            .into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separated_variable_is_named() {
        let names = vec!["noise".to_string(), "cut".to_string()];
        let labels = [false, false, false, true, true, true];
        let columns = vec![
            vec![1.0, 3.0, 2.0, 2.5, 1.5, 3.5],
            vec![0.1, 0.2, 0.3, 0.7, 0.8, 0.9],
        ];
        let message = fit_logit(&names, &columns, &labels)
            .unwrap_err()
            .to_string();
        assert!(message.starts_with("variable 'cut': perfect"), "{message}");
    }

    #[test]
    fn one_binary_variable_has_closed_form() {
        // 2×2 table: x=0 → 3 of 4 negative; x=1 → 3 of 4 positive. log OR = ln 9.
        let labels = [false, false, false, true, true, true, true, false];
        let columns = vec![vec![0.0, 0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 1.0]];
        let fit = fit_logit(&["x".into()], &columns, &labels).unwrap();
        let x = &fit.coefficients["x"];
        assert!((x.estimate - 9f64.ln()).abs() < 1e-12);
        // SE of a log odds ratio: √(1/a + 1/b + 1/c + 1/d).
        assert!((x.se - (4.0f64 / 3.0 + 4.0 / 3.0).sqrt()).abs() < 1e-12);
    }
}
