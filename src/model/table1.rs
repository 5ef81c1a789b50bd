//! Univariate comparisons of two groups for a study's "Table 1", each as SciPy computes it.
//!
//! - Numeric variables: normal when both groups have ≥ 8 values and D'Agostino–Pearson's K²
//!   test (`scipy.stats.normaltest`) gives p > 0.05 in each; then Student's t-test with pooled
//!   variance (`ttest_ind`, `equal_var=True`, as R's tableone and SPSS's first row report),
//!   otherwise Mann–Whitney U (`mannwhitneyu` two-sided, normal approximation with tie and
//!   continuity corrections; SciPy's exact small-sample method is not used).
//!   No Shapiro–Wilk test is used: no maintained Rust crate provides one.
//! - Categorical variables: Fisher's exact test (two-sided, `fisher_exact`) for a 2 × 2 table
//!   with an expected count below 5; Pearson's χ² test otherwise (`chi2_contingency`, Yates'
//!   correction when df = 1).

use serde::Serialize;
use statrs::distribution::{ChiSquared, ContinuousCDF, Discrete, Hypergeometric, StudentsT};

use super::ranks::{midranks, tie_sizes};
use super::roc::two_sided_normal_p;

/// Significance level of the normality screen.
const NORMALITY_ALPHA: f64 = 0.05;

/// Fewest values per group for the K² test (its skewness part needs 8).
const NORMALITY_MIN_N: usize = 8;

/// The outcome of one test.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct TestResult {
    /// Which test: "t-test", "mann-whitney", "chi-square" or "fisher".
    pub test: &'static str,
    /// t, U (of the first group), χ², or the sample odds ratio (Fisher).
    pub statistic: f64,
    /// Two-sided p-value.
    pub p: f64,
}

/// D'Agostino–Pearson's K² normality test's p-value (`scipy.stats.normaltest`): the squared
/// z-scores of skewness (D'Agostino 1970) and kurtosis (Anscombe & Glynn 1983) summed, against
/// χ²(2). Needs n ≥ 8.
pub fn normality_p(values: &[f64]) -> f64 {
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let moment = |k: i32| values.iter().map(|v| (v - mean).powi(k)).sum::<f64>() / n;
    let (m2, m3, m4) = (moment(2), moment(3), moment(4));
    let k2 = skewness_z(m3 / m2.powf(1.5), n).powi(2) + kurtosis_z(m4 / (m2 * m2), n).powi(2);
    ChiSquared::new(2.0).expect("df 2").sf(k2)
}

/// D'Agostino's z of the sample skewness b (scipy's `skewtest`).
fn skewness_z(b: f64, n: f64) -> f64 {
    let y = b * ((n + 1.0) * (n + 3.0) / (6.0 * (n - 2.0))).sqrt();
    let beta2 = 3.0 * (n * n + 27.0 * n - 70.0) * (n + 1.0) * (n + 3.0)
        / ((n - 2.0) * (n + 5.0) * (n + 7.0) * (n + 9.0));
    let w2 = -1.0 + (2.0 * (beta2 - 1.0)).sqrt();
    let delta = 1.0 / (0.5 * w2.ln()).sqrt();
    let alpha = (2.0 / (w2 - 1.0)).sqrt();
    let y = if y == 0.0 { 1.0 } else { y };
    delta * (y / alpha + ((y / alpha).powi(2) + 1.0).sqrt()).ln()
}

/// Anscombe & Glynn's z of the sample kurtosis b (Pearson's, scipy's `kurtosistest`).
fn kurtosis_z(b: f64, n: f64) -> f64 {
    let expected = 3.0 * (n - 1.0) / (n + 1.0);
    let variance = 24.0 * n * (n - 2.0) * (n - 3.0) / ((n + 1.0).powi(2) * (n + 3.0) * (n + 5.0));
    let x = (b - expected) / variance.sqrt();
    let root_beta1 = 6.0 * (n * n - 5.0 * n + 2.0) / ((n + 7.0) * (n + 9.0))
        * (6.0 * (n + 3.0) * (n + 5.0) / (n * (n - 2.0) * (n - 3.0))).sqrt();
    let a = 6.0 + 8.0 / root_beta1 * (2.0 / root_beta1 + (1.0 + 4.0 / root_beta1.powi(2)).sqrt());
    let term1 = 1.0 - 2.0 / (9.0 * a);
    let denominator = 1.0 + x * (2.0 / (a - 4.0)).sqrt();
    let term2 = denominator.signum() * ((1.0 - 2.0 / a) / denominator.abs()).cbrt();
    (term1 - term2) / (2.0 / (9.0 * a)).sqrt()
}

/// Whether a group passes the normality screen.
pub fn looks_normal(values: &[f64]) -> bool {
    values.len() >= NORMALITY_MIN_N && normality_p(values) > NORMALITY_ALPHA
}

/// Student's two-sample t-test with pooled variance, df = n₁ + n₂ − 2.
pub fn student_t(a: &[f64], b: &[f64]) -> TestResult {
    let (na, nb) = (a.len() as f64, b.len() as f64);
    let (mean_a, mean_b) = (mean(a), mean(b));
    let ss = |v: &[f64], m: f64| v.iter().map(|x| (x - m).powi(2)).sum::<f64>();
    let pooled = (ss(a, mean_a) + ss(b, mean_b)) / (na + nb - 2.0);
    let t = (mean_a - mean_b) / (pooled * (1.0 / na + 1.0 / nb)).sqrt();
    let distribution = StudentsT::new(0.0, 1.0, na + nb - 2.0).expect("df > 0");
    TestResult {
        test: "t-test",
        statistic: t,
        p: 2.0 * distribution.sf(t.abs()),
    }
}

/// The arithmetic mean.
fn mean(values: &[f64]) -> f64 {
    values.iter().sum::<f64>() / values.len() as f64
}

/// Mann–Whitney U of `a` against `b`: U₁ = R₁ − n₁(n₁ + 1)/2 from mid-ranks; p from
/// z = (max(U₁, U₂) − n₁n₂/2 − ½) / σ, σ² = n₁n₂/12 · (n + 1 − Σ(t³ − t)/(n(n − 1))).
pub fn mann_whitney(a: &[f64], b: &[f64]) -> TestResult {
    let (na, nb) = (a.len() as f64, b.len() as f64);
    let all = [a, b].concat();
    let rank_sum: f64 = midranks(&all)[..a.len()].iter().sum();
    let u1 = rank_sum - na * (na + 1.0) / 2.0;
    let u = u1.max(na * nb - u1);
    let n = na + nb;
    let ties: f64 = tie_sizes(&all)
        .iter()
        .map(|&t| (t as f64).powi(3) - t as f64)
        .sum();
    let sigma = (na * nb / 12.0 * ((n + 1.0) - ties / (n * (n - 1.0)))).sqrt();
    let z = (u - na * nb / 2.0 - 0.5) / sigma;
    TestResult {
        test: "mann-whitney",
        statistic: u1,
        p: two_sided_normal_p(z).min(1.0),
    }
}

/// The test for a numeric variable: t-test when both groups look normal, else Mann–Whitney.
pub fn compare_numeric(a: &[f64], b: &[f64]) -> TestResult {
    if looks_normal(a) && looks_normal(b) {
        student_t(a, b)
    } else {
        mann_whitney(a, b)
    }
}

/// The test for a contingency table (rows = levels, columns = groups): Fisher for a 2 × 2
/// table with an expected count below 5, else χ².
pub fn compare_counts(table: &[Vec<f64>]) -> TestResult {
    let expected = expected_counts(table);
    let small = expected.iter().flatten().any(|&e| e < 5.0);
    if table.len() == 2 && table[0].len() == 2 && small {
        fisher_exact(table)
    } else {
        chi_square(table, &expected)
    }
}

/// Row total × column total / grand total per cell.
fn expected_counts(table: &[Vec<f64>]) -> Vec<Vec<f64>> {
    let total: f64 = table.iter().flatten().sum();
    let column_totals: Vec<f64> = (0..table[0].len())
        .map(|j| table.iter().map(|row| row[j]).sum())
        .collect();
    table
        .iter()
        .map(|row| {
            let row_total: f64 = row.iter().sum();
            column_totals
                .iter()
                .map(|c| row_total * c / total)
                .collect()
        })
        .collect()
}

/// Pearson's χ² = Σ (O − E)²/E with df = (r − 1)(c − 1); for df = 1 each |O − E| is first
/// reduced by min(½, |O − E|) (Yates).
fn chi_square(table: &[Vec<f64>], expected: &[Vec<f64>]) -> TestResult {
    let df = ((table.len() - 1) * (table[0].len() - 1)) as f64;
    let statistic: f64 = table
        .iter()
        .flatten()
        .zip(expected.iter().flatten())
        .map(|(&o, &e)| {
            let gap = (o - e).abs();
            let gap = if df == 1.0 { gap - gap.min(0.5) } else { gap };
            gap * gap / e
        })
        .sum();
    TestResult {
        test: "chi-square",
        statistic,
        p: ChiSquared::new(df).expect("df ≥ 1").sf(statistic),
    }
}

/// Fisher's exact test of a 2 × 2 table [[a, b], [c, d]]: the sum of the hypergeometric
/// probabilities of all tables with the same margins that are no more likely than the observed
/// one (relative tolerance 1e-7, as R); statistic the sample odds ratio ad/(bc).
fn fisher_exact(table: &[Vec<f64>]) -> TestResult {
    let [a, b] = [table[0][0] as u64, table[0][1] as u64];
    let [c, d] = [table[1][0] as u64, table[1][1] as u64];
    let (total, first_column, first_row) = (a + b + c + d, a + c, a + b);
    let distribution = Hypergeometric::new(total, first_column, first_row).expect("valid margins");
    let observed = distribution.pmf(a);
    let low = first_row.saturating_sub(b + d);
    let high = first_row.min(first_column);
    let p: f64 = (low..=high)
        .map(|x| distribution.pmf(x))
        .filter(|&q| q <= observed * (1.0 + 1e-7))
        .sum();
    TestResult {
        test: "fisher",
        statistic: (a * d) as f64 / (b * c) as f64,
        p: p.min(1.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fisher_matches_the_tea_tasting_table() {
        // Fisher's lady tasting tea: [[3, 1], [1, 3]] has two-sided p = 34/70.
        let result = compare_counts(&[vec![3.0, 1.0], vec![1.0, 3.0]]);
        assert_eq!(result.test, "fisher");
        assert!((result.p - 34.0 / 70.0).abs() < 1e-12);
        assert_eq!(result.statistic, 9.0);
    }

    #[test]
    fn mann_whitney_u_counts_pairs() {
        // U₁ counts pairs with a above b: 3 > 1, 3 > 2, 4 > 1, 4 > 2, 2 > 1, and 2 = 2 counts half.
        let result = mann_whitney(&[3.0, 4.0, 2.0], &[1.0, 2.0]);
        assert_eq!(result.statistic, 5.5);
    }
}
