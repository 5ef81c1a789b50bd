//! Intraclass correlation coefficients from a two-way ANOVA of targets × raters, with F tests
//! and 95% confidence intervals, as `pingouin.intraclass_corr` (McGraw & Wong 1996; Shrout &
//! Fleiss 1979). Data must be complete and balanced: every target rated once by every rater.

use indexmap::IndexSet;
use serde::Serialize;
use statrs::distribution::{ContinuousCDF, FisherSnedecor};

use super::data::{Result, Table};

/// One ICC form with its F test and 95% CI.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Icc {
    /// The coefficient.
    pub icc: f64,
    /// The F statistic.
    pub f: f64,
    /// Numerator degrees of freedom.
    pub df1: f64,
    /// Denominator degrees of freedom.
    pub df2: f64,
    /// P(F > f).
    pub p: f64,
    /// 95% confidence interval.
    pub ci: [f64; 2],
}

/// The mean squares of the two-way ANOVA on `ratings` (n targets × k raters).
#[derive(Debug, Clone, Copy)]
struct MeanSquares {
    n: f64,
    k: f64,
    /// Between targets, SS / (n − 1).
    targets: f64,
    /// Between raters, SS / (k − 1).
    raters: f64,
    /// Residual, SS / ((n − 1)(k − 1)).
    error: f64,
    /// Within targets, (SS raters + SS residual) / (n (k − 1)).
    within: f64,
}

impl MeanSquares {
    fn new(ratings: &[Vec<f64>]) -> MeanSquares {
        let (n, k) = (ratings.len() as f64, ratings[0].len() as f64);
        let grand = ratings.iter().flatten().sum::<f64>() / (n * k);
        let row_means = ratings.iter().map(|row| row.iter().sum::<f64>() / k);
        let ss_targets = k * row_means.map(|m| (m - grand).powi(2)).sum::<f64>();
        let column_mean = |j: usize| ratings.iter().map(|row| row[j]).sum::<f64>() / n;
        let ss_raters = n
            * (0..ratings[0].len())
                .map(|j| (column_mean(j) - grand).powi(2))
                .sum::<f64>();
        let ss_total: f64 = ratings.iter().flatten().map(|v| (v - grand).powi(2)).sum();
        let ss_error = ss_total - ss_targets - ss_raters;
        MeanSquares {
            n,
            k,
            targets: ss_targets / (n - 1.0),
            raters: ss_raters / (k - 1.0),
            error: ss_error / ((n - 1.0) * (k - 1.0)),
            within: (ss_raters + ss_error) / (n * (k - 1.0)),
        }
    }
}

/// The upper 97.5% quantile of F(d1, d2).
fn f_975(d1: f64, d2: f64) -> f64 {
    FisherSnedecor::new(d1, d2)
        .expect("positive degrees of freedom")
        .inverse_cdf(0.975)
}

/// An F test P(F(d1, d2) > f).
fn f_test(f: f64, d1: f64, d2: f64) -> f64 {
    FisherSnedecor::new(d1, d2)
        .expect("positive degrees of freedom")
        .sf(f)
}

/// The six forms, in pingouin's order: ICC1 (one-way random), ICC2 (two-way random, absolute
/// agreement), ICC3 (two-way mixed, consistency), then their averages of k raters. `ratings`
/// holds one row per target, one column per rater (at least 2 × 2).
pub fn intraclass_correlations(ratings: &[Vec<f64>]) -> [(&'static str, Icc); 6] {
    let ms = MeanSquares::new(ratings);
    let (n, k) = (ms.n, ms.k);
    let df1 = n - 1.0;
    let (df_one_way, df_two_way) = (n * (k - 1.0), (n - 1.0) * (k - 1.0));
    let f_one_way = ms.targets / ms.within;
    let f_two_way = ms.targets / ms.error;
    // Case 1 and 3 intervals from the F bounds.
    let bounds = |f: f64, d2: f64| [f / f_975(df1, d2), f * f_975(d2, df1)];
    let single = |[lo, hi]: [f64; 2]| [(lo - 1.0) / (lo + k - 1.0), (hi - 1.0) / (hi + k - 1.0)];
    let average = |[lo, hi]: [f64; 2]| [1.0 - 1.0 / lo, 1.0 - 1.0 / hi];
    let (f1, f3) = (bounds(f_one_way, df_one_way), bounds(f_two_way, df_two_way));
    let icc2 = (ms.targets - ms.error)
        / (ms.targets + (k - 1.0) * ms.error + k * (ms.raters - ms.error) / n);
    let ci2 = agreement_interval(&ms, icc2);
    let entry = |icc: f64, one_way: bool, ci: [f64; 2]| {
        let (f, df2) = if one_way {
            (f_one_way, df_one_way)
        } else {
            (f_two_way, df_two_way)
        };
        Icc {
            icc,
            f,
            df1,
            df2,
            p: f_test(f, df1, df2),
            ci,
        }
    };
    let to_average = |r: f64| r * k / (1.0 + r * (k - 1.0));
    [
        (
            "ICC1",
            entry(
                (ms.targets - ms.within) / (ms.targets + (k - 1.0) * ms.within),
                true,
                single(f1),
            ),
        ),
        ("ICC2", entry(icc2, false, ci2)),
        (
            "ICC3",
            entry(
                (ms.targets - ms.error) / (ms.targets + (k - 1.0) * ms.error),
                false,
                single(f3),
            ),
        ),
        (
            "ICC1k",
            entry((ms.targets - ms.within) / ms.targets, true, average(f1)),
        ),
        (
            "ICC2k",
            entry(
                (ms.targets - ms.error) / (ms.targets + (ms.raters - ms.error) / n),
                false,
                ci2.map(to_average),
            ),
        ),
        (
            "ICC3k",
            entry((ms.targets - ms.error) / ms.targets, false, average(f3)),
        ),
    ]
}

/// The 95% CI of ICC2 by Satterthwaite's approximate degrees of freedom v (McGraw & Wong 1996,
/// case 2A).
fn agreement_interval(ms: &MeanSquares, icc2: f64) -> [f64; 2] {
    let (n, k) = (ms.n, ms.k);
    let fj = ms.raters / ms.error;
    let numerator =
        (n - 1.0) * (k - 1.0) * (k * icc2 * fj + n * (1.0 + (k - 1.0) * icc2) - k * icc2).powi(2);
    let denominator =
        (n - 1.0) * (k * icc2 * fj).powi(2) + (n * (1.0 + (k - 1.0) * icc2) - k * icc2).powi(2);
    let v = numerator / denominator;
    let (upper_f, lower_f) = (f_975(n - 1.0, v), f_975(v, n - 1.0));
    let spread = k * ms.raters + (k * n - k - n) * ms.error;
    [
        n * (ms.targets - upper_f * ms.error) / (upper_f * spread + n * ms.targets),
        n * (lower_f * ms.targets - ms.error) / (spread + n * lower_f * ms.targets),
    ]
}

/// The ratings of a long table (one row per target and rater) as a targets × raters matrix,
/// targets and raters in order of first appearance. Every target must be rated exactly once by
/// every rater (pingouin's default refuses missing ratings too); at least 2 of each.
pub fn ratings_matrix(
    table: &Table,
    target: &str,
    rater: &str,
    value: &str,
) -> Result<Vec<Vec<f64>>> {
    let (targets, raters) = (table.text(target)?, table.text(rater)?);
    let values = table.numbers(value)?;
    let target_ids: IndexSet<&String> = targets.iter().collect();
    let rater_ids: IndexSet<&String> = raters.iter().collect();
    if target_ids.len() < 2 || rater_ids.len() < 2 {
        let problem = "needs at least 2 targets and 2 raters";
        return Err(table.column_error(if target_ids.len() < 2 { target } else { rater }, problem));
    }
    let mut ratings = vec![vec![f64::NAN; rater_ids.len()]; target_ids.len()];
    for ((t, r), &v) in targets.iter().zip(raters).zip(&values) {
        let cell = &mut ratings[target_ids.get_index_of(t).expect("seen")]
            [rater_ids.get_index_of(r).expect("seen")];
        if !cell.is_nan() {
            return Err(
                table.column_error(value, format!("target '{t}' rated twice by rater '{r}'"))
            );
        }
        *cell = v;
    }
    for (t, row) in target_ids.iter().zip(&ratings) {
        if let Some(j) = row.iter().position(|v| v.is_nan()) {
            let problem = format!("target '{t}' has no rating by rater '{}'", rater_ids[j]);
            return Err(table.column_error(value, problem));
        }
    }
    Ok(ratings)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_raters_agree_perfectly() {
        let ratings: Vec<Vec<f64>> = [1.0, 4.0, 2.0, 8.0]
            .iter()
            .map(|&v| vec![v, v, v])
            .collect();
        // Perfect agreement leaves no residual: every ICC is 1.
        let mut ratings = ratings;
        ratings[0][0] += 1e-9;
        for (_, icc) in intraclass_correlations(&ratings) {
            assert!((icc.icc - 1.0).abs() < 1e-6);
        }
    }
}
