//! The sums shared by the GLSZM and GLDM formulas, which have the same form on a grey level ×
//! size matrix (zone sizes for the GLSZM, dependence sizes for the GLDM).

use crate::matrices::size_matrix::SizeMatrix;
use crate::numpy_sum::pairwise_sum_by;

/// Sums over `P(i, j)` with `N_z = Σ P(i, j)` (1 when the matrix is empty), computed in numpy's
/// order as PyRadiomics does. `p_g(i) = Σ_j P(i, j)`, `p_s(j) = Σ_i P(i, j)`.
#[derive(Clone, Debug)]
pub struct SizeSums {
    /// `N_z`.
    pub nz: f64,
    /// `Σ_j p_s(j) / j²`.
    pub small: f64,
    /// `Σ_j p_s(j) j²`.
    pub large: f64,
    /// `Σ_i p_g(i)²`.
    pub gray_nonuniformity: f64,
    /// `Σ_j p_s(j)²`.
    pub size_nonuniformity: f64,
    /// `Σ_i p(i) (i - μ_i)²`, `p = p_g / N_z`, `μ_i = Σ_i p(i) i`.
    pub gray_variance: f64,
    /// `Σ_j p(j) (j - μ_j)²`, `p = p_s / N_z`, `μ_j = Σ_j p(j) j`.
    pub size_variance: f64,
    /// `-Σ p(i, j) log2(p(i, j) + ε)`, `p = P / N_z`, `ε` = machine epsilon.
    pub entropy: f64,
    /// `Σ_i p_g(i) / i²`.
    pub low_gray: f64,
    /// `Σ_i p_g(i) i²`.
    pub high_gray: f64,
    /// `Σ P(i, j) / (i² j²)`.
    pub small_low: f64,
    /// `Σ P(i, j) i² / j²`.
    pub small_high: f64,
    /// `Σ P(i, j) j² / i²`.
    pub large_low: f64,
    /// `Σ P(i, j) i² j²`.
    pub large_high: f64,
}

impl SizeSums {
    /// The sums of `m`.
    pub fn new(m: &SizeMatrix) -> Self {
        let (rows, cols) = m.counts.dim();
        let p = m.counts.as_standard_layout();
        let p = p.as_slice().unwrap_or(&[]);
        let i = &m.gray_levels;
        let j = &m.sizes;
        let cell = |k: usize| (p[k], i[k / cols], j[k % cols]);
        let pg: Vec<f64> = (0..rows)
            .map(|r| pairwise_sum_by(cols, |c| p[r * cols + c]))
            .collect();
        let ps: Vec<f64> = (0..cols)
            .map(|c| (0..rows).fold(0.0, |acc, r| acc + p[r * cols + c]))
            .collect();
        let total = pairwise_sum_by(p.len(), |k| p[k]);
        let nz = if total == 0.0 { 1.0 } else { total };
        let variance = |q: &[f64], v: &[f64]| {
            let mean = pairwise_sum_by(q.len(), |k| q[k] / nz * v[k]);
            pairwise_sum_by(q.len(), |k| q[k] / nz * (v[k] - mean).powi(2))
        };
        let eps = f64::EPSILON;
        SizeSums {
            nz,
            small: pairwise_sum_by(cols, |c| ps[c] / (j[c] * j[c])),
            large: pairwise_sum_by(cols, |c| ps[c] * (j[c] * j[c])),
            gray_nonuniformity: pairwise_sum_by(rows, |r| pg[r] * pg[r]),
            size_nonuniformity: pairwise_sum_by(cols, |c| ps[c] * ps[c]),
            gray_variance: variance(&pg, i),
            size_variance: variance(&ps, j),
            entropy: -pairwise_sum_by(p.len(), |k| {
                let q = p[k] / nz;
                q * (q + eps).log2()
            }),
            low_gray: pairwise_sum_by(rows, |r| pg[r] / (i[r] * i[r])),
            high_gray: pairwise_sum_by(rows, |r| pg[r] * (i[r] * i[r])),
            small_low: pairwise_sum_by(p.len(), |k| {
                let (v, gi, sj) = cell(k);
                v / ((gi * gi) * (sj * sj))
            }),
            small_high: pairwise_sum_by(p.len(), |k| {
                let (v, gi, sj) = cell(k);
                v * (gi * gi) / (sj * sj)
            }),
            large_low: pairwise_sum_by(p.len(), |k| {
                let (v, gi, sj) = cell(k);
                v * (sj * sj) / (gi * gi)
            }),
            large_high: pairwise_sum_by(p.len(), |k| {
                let (v, gi, sj) = cell(k);
                v * (gi * gi) * (sj * sj)
            }),
        }
    }
}
