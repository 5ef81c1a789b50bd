//! SciPy's `ndimage.map_coordinates(input, coordinates, order=3)` with its defaults
//! (`mode='constant'`, `cval=0`, `prefilter=True`), as PyRadiomics' LBP3D samples its spheres.
//!
//! - Prefilter (`spline_filter`, float64): along each numpy axis in turn (0, 1, 2), every line of
//!   length `n > 1` is scaled by the gain `(1 − z)(1 − 1/z)` and run through the causal and
//!   anti-causal recursions of the cubic B-spline pole `z = √3 − 2`, started with the mirror
//!   boundary: `c₀ = (c₀ + zⁿ⁻¹c_{n−1} + Σ_{i=1}^{n−2} zⁱ(cᵢ + zⁿ⁻¹c_{n−1−i})) / (1 − z^{2(n−1)})`,
//!   `cᵢ += z·cᵢ₋₁`, `c_{n−1} = (z·c_{n−2} + c_{n−1})·z / (z² − 1)`, `cᵢ = z·(cᵢ₊₁ − cᵢ)`.
//! - Interpolation: a point with any coordinate outside `[0, len − 1]` is `cval`; else the 4×4×4
//!   coefficients from `floor(c) − 1` (indices outside the image mirrored, `−i` and
//!   `2(len−1) − i`) are weighted by the cubic B-spline weights of `t = c − floor(c)`:
//!   `w₁ = (t²(t−2)·3 + 4)/6`, `w₂ = (u²(u−2)·3 + 4)/6` (`u = 1 − t`), `w₀ = u³/6`,
//!   `w₃ = 1 − w₀ − w₁ − w₂`, and summed in index order, axis 2 fastest.

use ndarray::{Array3, Axis};
use rayon::prelude::*;

/// The cubic B-spline pole `√3 − 2` (SciPy's literal, rounded to f64).
const POLE: f64 = -0.2679491924311227;

/// SciPy's `spline_filter(input, order=3, mode='constant')`: the B-spline coefficients.
pub fn spline_coefficients(voxels: &Array3<f64>) -> Array3<f64> {
    let mut c = voxels.as_standard_layout().into_owned();
    for axis in 0..3 {
        if c.len_of(Axis(axis)) < 2 {
            continue;
        }
        let mut lanes: Vec<_> = c.lanes_mut(Axis(axis)).into_iter().collect();
        lanes.par_iter_mut().for_each(|lane| {
            let mut line: Vec<f64> = lane.iter().copied().collect();
            filter_line(&mut line);
            for (dst, v) in lane.iter_mut().zip(line) {
                *dst = v;
            }
        });
    }
    c
}

/// One line through the gain and both recursions, mirror-started.
fn filter_line(c: &mut [f64]) {
    let n = c.len();
    let z = POLE;
    let gain = (1.0 - z) * (1.0 - 1.0 / z);
    for v in c.iter_mut() {
        *v *= gain;
    }
    let z_n_1 = z.powf((n - 1) as f64);
    c[0] += z_n_1 * c[n - 1];
    let mut z_i = z;
    for i in 1..n - 1 {
        c[0] += z_i * (c[i] + z_n_1 * c[n - 1 - i]);
        z_i *= z;
    }
    c[0] /= 1.0 - z_n_1 * z_n_1;
    for i in 1..n {
        c[i] += z * c[i - 1];
    }
    c[n - 1] = (z * c[n - 2] + c[n - 1]) * z / (z * z - 1.0);
    for i in (0..n - 1).rev() {
        c[i] = z * (c[i + 1] - c[i]);
    }
}

/// The interpolated value at `point` (numpy index order), 0 outside the image.
pub fn interpolate(coefficients: &Array3<f64>, point: [f64; 3]) -> f64 {
    let dims = coefficients.dim();
    let dims = [dims.0, dims.1, dims.2];
    let mut index = [[0usize; 4]; 3];
    let mut weights = [[0.0; 4]; 3];
    for d in 0..3 {
        let c = point[d];
        let len = dims[d];
        if !(c >= 0.0 && c <= (len - 1) as f64) {
            return 0.0;
        }
        let floor = c.floor();
        let start = floor as i64 - 1;
        for (k, slot) in index[d].iter_mut().enumerate() {
            *slot = mirror(start + k as i64, len);
        }
        weights[d] = cubic_weights(c - floor);
    }
    let mut t = 0.0;
    for i in 0..4 {
        for j in 0..4 {
            for k in 0..4 {
                let coeff = coefficients[[index[0][i], index[1][j], index[2][k]]];
                t += coeff * weights[0][i] * weights[1][j] * weights[2][k];
            }
        }
    }
    t
}

/// SciPy's mirror of an index outside `[0, len)` (the image's edge samples are not repeated).
fn mirror(idx: i64, len: usize) -> usize {
    let len = len as i64;
    if len <= 1 {
        return 0;
    }
    let s2 = 2 * len - 2;
    let idx = if idx < 0 {
        let i = s2 * (-idx / s2) + idx;
        if i <= 1 - len { i + s2 } else { -i }
    } else if idx >= len {
        let i = idx - s2 * (idx / s2);
        if i >= len { s2 - i } else { i }
    } else {
        idx
    };
    idx as usize
}

/// The four cubic B-spline weights for the fractional offset `t ∈ [0, 1)`.
fn cubic_weights(t: f64) -> [f64; 4] {
    let u = 1.0 - t;
    let w1 = (t * t * (t - 2.0) * 3.0 + 4.0) / 6.0;
    let w2 = (u * u * (u - 2.0) * 3.0 + 4.0) / 6.0;
    let w0 = u * u * u / 6.0;
    let mut w3 = 1.0;
    w3 -= w0;
    w3 -= w1;
    w3 -= w2;
    [w0, w1, w2, w3]
}
