//! Neighbouring Grey Tone Difference Matrix features (PyRadiomics `ngtdm`), on an [`NgtdmMatrix`].
//!
//! Notation: `n_i` voxels and `s_i` summed differences of grey level `i`; `N_vp = Σ n_i`,
//! `p_i = n_i / N_vp`, `N_gp` the number of grey levels with `p_i ≠ 0`. Double sums run over
//! ordered pairs of grey levels `(i, j)`.

use super::Feature;
use super::table::{FeatureDef, evaluate};
use crate::matrices::ngtdm::NgtdmMatrix;
use crate::numpy_sum::pairwise_sum_by;

/// The NGTDM with its probabilities, as the feature formulas read it.
pub struct Ngtdm<'a> {
    p: Vec<f64>,
    s: &'a [f64],
    i: &'a [f64],
    nvp: f64,
}

impl Ngtdm<'_> {
    /// `Σ_i p_i s_i`.
    fn weighted_sum(&self) -> f64 {
        pairwise_sum_by(self.p.len(), |k| self.p[k] * self.s[k])
    }

    /// `Σ_i s_i`.
    fn s_sum(&self) -> f64 {
        pairwise_sum_by(self.s.len(), |k| self.s[k])
    }

    /// `Σ_i Σ_j term(a, b)` over ordered pairs of matrix entries, in numpy's order.
    fn pair_sum(&self, term: impl Fn(usize, usize) -> f64) -> f64 {
        let n = self.p.len();
        pairwise_sum_by(n * n, |k| term(k / n, k % n))
    }
}

/// An NGTDM formula.
type Formula = fn(&Ngtdm) -> f64;

/// The NGTDM features, in PyRadiomics' order.
pub static FEATURES: [FeatureDef<Formula>; 5] = [
    FeatureDef::new("Busyness", busyness),
    FeatureDef::new("Coarseness", coarseness),
    FeatureDef::new("Complexity", complexity),
    FeatureDef::new("Contrast", contrast),
    FeatureDef::new("Strength", strength),
];

/// Every NGTDM feature of `m`, in PyRadiomics' order.
pub fn compute(m: &NgtdmMatrix) -> Vec<Feature> {
    let nvp = pairwise_sum_by(m.counts.len(), |k| m.counts[k]);
    let t = Ngtdm {
        p: m.counts.iter().map(|&n| n / nvp).collect(),
        s: &m.sums,
        i: &m.gray_levels,
        nvp,
    };
    evaluate(&FEATURES, false, |f| f(&t))
}

/// `Coarseness = 1 / Σ_i p_i s_i`, or 10⁶ when that sum is 0.
fn coarseness(t: &Ngtdm) -> f64 {
    let sum = t.weighted_sum();
    if sum != 0.0 { 1.0 / sum } else { 1e6 }
}

/// `Contrast = (Σ_i Σ_j p_i p_j (i - j)²) (Σ_i s_i / N_vp) / (N_gp (N_gp - 1))`, 0 when
/// `N_gp ≤ 1`.
fn contrast(t: &Ngtdm) -> f64 {
    let ngp = t.p.iter().filter(|&&p| p > 0.0).count() as f64;
    let div = ngp * (ngp - 1.0);
    if div == 0.0 {
        return 0.0;
    }
    let pairs = t.pair_sum(|a, b| t.p[a] * t.p[b] * (t.i[a] - t.i[b]).powi(2));
    pairs * t.s_sum() / t.nvp / div
}

/// `Busyness = Σ_i p_i s_i / Σ_i Σ_j |i p_i - j p_j|`, 0 when the denominator is 0.
fn busyness(t: &Ngtdm) -> f64 {
    let ip = |k: usize| t.i[k] * t.p[k];
    let absdiff = t.pair_sum(|a, b| (ip(a) - ip(b)).abs());
    if absdiff != 0.0 {
        t.weighted_sum() / absdiff
    } else {
        0.0
    }
}

/// `Complexity = Σ_i Σ_j |i - j| (p_i s_i + p_j s_j) / (p_i + p_j) / N_vp`.
fn complexity(t: &Ngtdm) -> f64 {
    let ps = |k: usize| t.p[k] * t.s[k];
    let sum = t.pair_sum(|a, b| {
        let divisor = t.p[a] + t.p[b];
        let divisor = if divisor == 0.0 { 1.0 } else { divisor };
        (t.i[a] - t.i[b]).abs() * (ps(a) + ps(b)) / divisor
    });
    sum / t.nvp
}

/// `Strength = Σ_i Σ_j (p_i + p_j) (i - j)² / Σ_i s_i`, 0 when `Σ_i s_i = 0`.
fn strength(t: &Ngtdm) -> f64 {
    let s_sum = t.s_sum();
    if s_sum == 0.0 {
        return 0.0;
    }
    t.pair_sum(|a, b| (t.p[a] + t.p[b]) * (t.i[a] - t.i[b]).powi(2)) / s_sum
}
