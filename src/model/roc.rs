//! ROC analysis of scores against a binary outcome: the curve, the AUC with DeLong's standard
//! error and confidence interval, the operating point at the Youden threshold, and DeLong's
//! paired test of two AUCs.
//!
//! Higher scores mean positive (as scikit-learn's `roc_auc_score`); a score is never flipped.
//! DeLong's covariance uses the O(n log n) mid-rank algorithm of Sun & Xu (2014), which counts
//! ties half, as pROC's `ci.auc(method = "delong")` and `roc.test(method = "delong")`.

use nalgebra::DMatrix;
use serde::Serialize;
use statrs::distribution::{ContinuousCDF, Normal};

use super::ranks::midranks;

/// One point of an ROC curve: everything with `score >= threshold` is called positive.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct RocPoint {
    /// The cut; the first point has +∞ (nothing positive).
    pub threshold: f64,
    /// False positive rate, FP / negatives.
    pub fpr: f64,
    /// True positive rate (sensitivity), TP / positives.
    pub tpr: f64,
}

/// A cut with its confusion counts.
#[derive(Debug, Clone, Copy)]
struct Cut {
    threshold: f64,
    true_positives: usize,
    false_positives: usize,
}

/// The cuts at each distinct score, from the highest down, after the +∞ cut.
fn cuts(scores: &[f64], labels: &[bool]) -> Vec<Cut> {
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]));
    let mut cuts = vec![Cut {
        threshold: f64::INFINITY,
        true_positives: 0,
        false_positives: 0,
    }];
    let (mut tp, mut fp) = (0, 0);
    for group in order.chunk_by(|&a, &b| scores[a] == scores[b]) {
        let positives = group.iter().filter(|&&i| labels[i]).count();
        tp += positives;
        fp += group.len() - positives;
        cuts.push(Cut {
            threshold: scores[group[0]],
            true_positives: tp,
            false_positives: fp,
        });
    }
    cuts
}

/// The ROC curve: one point per distinct score (descending) after the (0, 0) point at +∞,
/// as scikit-learn's `roc_curve(drop_intermediate=False)`.
pub fn roc_curve(scores: &[f64], labels: &[bool]) -> Vec<RocPoint> {
    let positives = labels.iter().filter(|&&l| l).count() as f64;
    let negatives = labels.len() as f64 - positives;
    cuts(scores, labels)
        .iter()
        .map(|cut| RocPoint {
            threshold: cut.threshold,
            fpr: cut.false_positives as f64 / negatives,
            tpr: cut.true_positives as f64 / positives,
        })
        .collect()
}

/// The classification at one threshold.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct OperatingPoint {
    /// Cases with `score >= threshold` are called positive.
    pub threshold: f64,
    /// TP / positives.
    pub sensitivity: f64,
    /// TN / negatives.
    pub specificity: f64,
    /// (TP + TN) / n.
    pub accuracy: f64,
    /// TP / (TP + FP).
    pub ppv: f64,
    /// TN / (TN + FN); NaN (null in JSON) when every case is called positive.
    pub npv: f64,
}

/// The operating point that maximises Youden's J = sensitivity + specificity − 1, as pROC's
/// `coords(x = "best", best.method = "youden")` with its default weights (J compared exactly, in
/// integer counts). The candidate cuts lie between consecutive distinct scores, so no case sits
/// on a threshold; the threshold reported is the lowest score called positive (pROC reports the
/// midpoint to the next lower score, which classifies identically). Where several cuts reach the
/// maximum (pROC lists them all), the one with the lowest threshold (highest sensitivity) is
/// taken.
pub fn youden(scores: &[f64], labels: &[bool]) -> OperatingPoint {
    let positives = labels.iter().filter(|&&l| l).count();
    let negatives = labels.len() - positives;
    // J · positives · negatives = TP · negatives − FP · positives.
    let scaled_j = |cut: &Cut| {
        (cut.true_positives * negatives) as i128 - (cut.false_positives * positives) as i128
    };
    let cuts = cuts(scores, labels);
    // Cuts run from the highest threshold down; `max_by_key` keeps the last of equal maxima.
    let best = cuts[1..]
        .iter()
        .max_by_key(|cut| scaled_j(cut))
        .expect("at least one score");
    operating_point(best, positives, negatives)
}

/// The rates of a cut.
fn operating_point(cut: &Cut, positives: usize, negatives: usize) -> OperatingPoint {
    let tp = cut.true_positives as f64;
    let fp = cut.false_positives as f64;
    let tn = negatives as f64 - fp;
    let false_negatives = positives as f64 - tp;
    OperatingPoint {
        threshold: cut.threshold,
        sensitivity: tp / positives as f64,
        specificity: tn / negatives as f64,
        accuracy: (tp + tn) / (positives + negatives) as f64,
        ppv: tp / (tp + fp),
        npv: tn / (tn + false_negatives),
    }
}

/// DeLong's estimate for several scores on the same cases: their AUCs and the covariance
/// matrix of those AUCs.
#[derive(Debug, Clone)]
pub struct DeLong {
    /// The AUC of each score: P(score of a positive > score of a negative) + ½ P(tie).
    pub aucs: Vec<f64>,
    /// S = S10 / m + S01 / n (m positives, n negatives), S10 and S01 the sample covariances
    /// (denominator m − 1, n − 1) of the placement values.
    pub covariance: DMatrix<f64>,
}

/// DeLong's AUCs and covariance by Sun & Xu's algorithm. With `Tz` the mid-ranks among all
/// cases, `Tx` among positives and `Ty` among negatives, the placement values are
/// V10ᵢ = (Tzᵢ − Txᵢ) / n for positive i and V01ⱼ = 1 − (Tzⱼ − Tyⱼ) / m for negative j;
/// the AUC is the mean of V10.
pub fn delong(scores: &[&[f64]], labels: &[bool]) -> DeLong {
    let positive: Vec<usize> = (0..labels.len()).filter(|&i| labels[i]).collect();
    let negative: Vec<usize> = (0..labels.len()).filter(|&i| !labels[i]).collect();
    let (m, n) = (positive.len(), negative.len());
    let mut v10 = DMatrix::zeros(scores.len(), m);
    let mut v01 = DMatrix::zeros(scores.len(), n);
    for (k, score) in scores.iter().enumerate() {
        let x: Vec<f64> = positive.iter().map(|&i| score[i]).collect();
        let y: Vec<f64> = negative.iter().map(|&i| score[i]).collect();
        let tz = midranks(&[x.as_slice(), y.as_slice()].concat());
        let (tx, ty) = (midranks(&x), midranks(&y));
        for i in 0..m {
            v10[(k, i)] = (tz[i] - tx[i]) / n as f64;
        }
        for j in 0..n {
            v01[(k, j)] = 1.0 - (tz[m + j] - ty[j]) / m as f64;
        }
    }
    let aucs = v10.column_mean().iter().copied().collect();
    let covariance = row_covariance(&v10) / m as f64 + row_covariance(&v01) / n as f64;
    DeLong { aucs, covariance }
}

/// The sample covariance (denominator columns − 1) between the rows of `values`.
fn row_covariance(values: &DMatrix<f64>) -> DMatrix<f64> {
    let mean = values.column_mean();
    let mut centred = values.clone();
    for mut column in centred.column_iter_mut() {
        column -= &mean;
    }
    &centred * centred.transpose() / (values.ncols() as f64 - 1.0)
}

/// The two-sided 97.5% quantile of the standard normal, for 95% intervals.
pub fn z_975() -> f64 {
    Normal::standard().inverse_cdf(0.975)
}

/// The two-sided p-value of a standard normal statistic: 2 · P(Z > |z|).
pub fn two_sided_normal_p(z: f64) -> f64 {
    2.0 * Normal::standard().sf(z.abs())
}

/// A paired comparison of two AUCs.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PairedTest {
    /// (AUC_a − AUC_b) / √(S_aa + S_bb − 2 S_ab); NaN when the difference has no variance.
    pub z: f64,
    /// Two-sided p-value from the standard normal.
    pub p: f64,
}

impl DeLong {
    /// The standard error of score `k`'s AUC.
    pub fn se(&self, k: usize) -> f64 {
        self.covariance[(k, k)].sqrt()
    }

    /// The 95% CI of score `k`'s AUC, AUC ± z₀.₉₇₅ · SE, clipped to [0, 1] as pROC does.
    pub fn ci(&self, k: usize) -> [f64; 2] {
        let half_width = z_975() * self.se(k);
        let auc = self.aucs[k];
        [(auc - half_width).max(0.0), (auc + half_width).min(1.0)]
    }

    /// DeLong's paired test of scores `a` and `b`.
    pub fn paired_test(&self, a: usize, b: usize) -> PairedTest {
        let s = &self.covariance;
        let variance = s[(a, a)] + s[(b, b)] - 2.0 * s[(a, b)];
        let z = (self.aucs[a] - self.aucs[b]) / variance.sqrt();
        PairedTest {
            z,
            p: two_sided_normal_p(z),
        }
    }
}

/// One score's ROC summary.
#[derive(Debug, Clone, Serialize)]
pub struct ScoreSummary {
    /// AUC (higher scores mean positive).
    pub auc: f64,
    /// DeLong standard error.
    pub se: f64,
    /// 95% CI, clipped to [0, 1].
    pub ci: [f64; 2],
    /// The operating point at the Youden threshold.
    pub youden: OperatingPoint,
}

/// A paired DeLong test between two named scores.
#[derive(Debug, Clone, Serialize)]
pub struct NamedTest {
    /// First score.
    pub a: String,
    /// Second score.
    pub b: String,
    /// The test.
    #[serde(flatten)]
    pub test: PairedTest,
}

/// The ROC analysis of several scores on the same cases.
#[derive(Debug, Clone, Serialize)]
pub struct RocAnalysis {
    /// Per score, in input order.
    pub scores: indexmap::IndexMap<String, ScoreSummary>,
    /// DeLong's test for each pair (a before b in input order).
    pub delong: Vec<NamedTest>,
}

/// AUC, DeLong SE and CI, Youden point per score, and DeLong's test for every pair.
pub fn analyse(scores: &[(String, Vec<f64>)], labels: &[bool]) -> RocAnalysis {
    let columns: Vec<&[f64]> = scores.iter().map(|(_, s)| s.as_slice()).collect();
    let fit = delong(&columns, labels);
    let summaries = scores
        .iter()
        .enumerate()
        .map(|(k, (name, score))| {
            let summary = ScoreSummary {
                auc: fit.aucs[k],
                se: fit.se(k),
                ci: fit.ci(k),
                youden: youden(score, labels),
            };
            (name.clone(), summary)
        })
        .collect();
    let mut tests = Vec::new();
    for a in 0..scores.len() {
        for b in a + 1..scores.len() {
            let (name_a, name_b) = (scores[a].0.clone(), scores[b].0.clone());
            tests.push(NamedTest {
                a: name_a,
                b: name_b,
                test: fit.paired_test(a, b),
            });
        }
    }
    RocAnalysis {
        scores: summaries,
        delong: tests,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every (positive, negative) pair: 1 if the positive scores higher, ½ if tied.
    fn pairwise_auc(scores: &[f64], labels: &[bool]) -> f64 {
        let mut total = 0.0;
        let mut pairs = 0.0;
        for (&si, _) in scores.iter().zip(labels).filter(|(_, l)| **l) {
            for (&sj, _) in scores.iter().zip(labels).filter(|(_, l)| !**l) {
                total += if si > sj {
                    1.0
                } else if si == sj {
                    0.5
                } else {
                    0.0
                };
                pairs += 1.0;
            }
        }
        total / pairs
    }

    #[test]
    fn auc_counts_ties_half_and_never_flips() {
        let scores = [0.1, 0.4, 0.35, 0.8, 0.4, 0.2, 0.9];
        let labels = [false, false, true, true, true, false, false];
        let fit = delong(&[&scores], &labels);
        assert!((fit.aucs[0] - pairwise_auc(&scores, &labels)).abs() < 1e-15);
        // Reversing the score mirrors the AUC below ½ instead of flipping it back.
        let reversed: Vec<f64> = scores.iter().map(|s| -s).collect();
        let mirrored = delong(&[&reversed], &labels).aucs[0];
        assert!((mirrored - (1.0 - fit.aucs[0])).abs() < 1e-15 && mirrored < 0.5);
    }

    #[test]
    fn youden_takes_lowest_of_tied_thresholds() {
        // Cuts at 0.9 and 0.5 both give J = 0.5.
        let scores = [0.9, 0.7, 0.5, 0.3];
        let labels = [true, false, true, false];
        let point = youden(&scores, &labels);
        assert_eq!(point.threshold, 0.5);
        assert_eq!((point.sensitivity, point.specificity), (1.0, 0.5));
        let curve = roc_curve(&scores, &labels);
        assert_eq!(curve.len(), 5);
        assert_eq!(
            curve[2],
            RocPoint {
                threshold: 0.7,
                fpr: 0.5,
                tpr: 0.5
            }
        );
    }

    #[test]
    fn normal_quantile_is_exact() {
        assert!((z_975() - 1.959_963_984_540_054).abs() < 1e-13);
    }
}
