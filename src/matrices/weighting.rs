//! Per-angle post-processing shared by the GLCM and GLRLM: PyRadiomics' `weightingNorm` angle
//! weights and merging, and dropping empty angles.

use crate::numpy_sum::pairwise_sum;
use crate::params::WeightingNorm;

/// The norms' building blocks for `offset` `(dz, dy, dx)` scaled by the voxel `spacing` given in
/// ITK `(x, y, z)` order: `(sum |o_d| s_d, sum (o_d s_d)^2, max |o_d| s_d)`.
fn parts(offset: [i32; 3], spacing: [f64; 3]) -> (f64, f64, f64) {
    let spacing_zyx = [spacing[2], spacing[1], spacing[0]];
    let mut sum = 0.0;
    let mut sum_sq = 0.0;
    let mut max = f64::NEG_INFINITY;
    for (o, s) in offset.iter().zip(spacing_zyx) {
        let v = f64::from(o.abs()) * s;
        sum += v;
        sum_sq += v * v;
        max = max.max(v);
    }
    (sum, sum_sq, max)
}

/// GLCM angle weight `W = exp(-||d||^2)` (1 for `NoWeighting`), `d` the offset in mm.
pub fn glcm_weight(offset: [i32; 3], spacing: [f64; 3], norm: WeightingNorm) -> f64 {
    let (sum, sum_sq, max) = parts(offset, spacing);
    match norm {
        WeightingNorm::Manhattan => (-(sum * sum)).exp(),
        WeightingNorm::Euclidean => (-sum_sq).exp(),
        WeightingNorm::Infinity => (-(max * max)).exp(),
        WeightingNorm::NoWeighting => 1.0,
    }
}

/// GLRLM angle weight `W = ||d||` (1 for `NoWeighting`), `d` the offset in mm.
pub fn glrlm_weight(offset: [i32; 3], spacing: [f64; 3], norm: WeightingNorm) -> f64 {
    let (sum, sum_sq, max) = parts(offset, spacing);
    match norm {
        WeightingNorm::Manhattan => sum,
        WeightingNorm::Euclidean => sum_sq.sqrt(),
        WeightingNorm::Infinity => max,
        WeightingNorm::NoWeighting => 1.0,
    }
}

/// Merge per-angle matrices (`n_angles` blocks of `len > 0` values, angle-major) into one
/// block, each angle weighted by `weights[a]`. Each cell sums its weighted values in the order
/// numpy's `sum` over the (contiguous) angle axis does, so merged matrices match PyRadiomics'
/// to the last bit.
pub fn merge_angles(blocks: &[f64], len: usize, weights: &[f64]) -> Vec<f64> {
    let n_angles = weights.len();
    let mut values = vec![0.0; n_angles];
    (0..len)
        .map(|cell| {
            for (a, v) in values.iter_mut().enumerate() {
                *v = blocks[a * len + cell] * weights[a];
            }
            0.0 + pairwise_sum(&values)
        })
        .collect()
}

/// Drop the all-zero angles when there is more than one angle (PyRadiomics' "empty angles"),
/// from `n_angles` blocks of `len > 0` values, angle-major. Returns the kept blocks and their totals.
pub fn drop_empty_angles(blocks: Vec<f64>, len: usize) -> (Vec<f64>, Vec<f64>) {
    // numpy sums a lone angle's contiguous cells pairwise, several angles cell by cell.
    let totals: Vec<f64> = if blocks.len() == len {
        vec![0.0 + pairwise_sum(&blocks)]
    } else {
        blocks.chunks_exact(len).map(|b| b.iter().sum()).collect()
    };
    if totals.len() <= 1 || totals.iter().all(|&t| t != 0.0) {
        return (blocks, totals);
    }
    let mut kept = Vec::with_capacity(blocks.len());
    for (block, &total) in blocks.chunks_exact(len).zip(&totals) {
        if total != 0.0 {
            kept.extend_from_slice(block);
        }
    }
    let totals = totals.into_iter().filter(|&t| t != 0.0).collect();
    (kept, totals)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spacing_is_reversed_to_numpy_order() {
        // offset along z only, z spacing 3 (ITK order: x=1, y=2, z=3)
        let s = [1.0, 2.0, 3.0];
        assert_eq!(glrlm_weight([1, 0, 0], s, WeightingNorm::Manhattan), 3.0);
        assert_eq!(glrlm_weight([0, 1, 1], s, WeightingNorm::Manhattan), 3.0);
        assert_eq!(glrlm_weight([1, 1, 1], s, WeightingNorm::Infinity), 3.0);
        assert_eq!(
            glrlm_weight([0, 1, -1], s, WeightingNorm::Euclidean),
            5f64.sqrt()
        );
        assert_eq!(
            glcm_weight([0, 1, 1], s, WeightingNorm::Manhattan),
            (-9f64).exp()
        );
        assert_eq!(glcm_weight([0, 1, 1], s, WeightingNorm::NoWeighting), 1.0);
    }
}
