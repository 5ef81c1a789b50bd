//! PyRadiomics' voxel-wise image types: `square`, `squareroot`, `logarithm` and `exponential`
//! (`getSquareImage`, `getSquareRootImage`, `getLogarithmImage`, `getExponentialImage`).
//!
//! PyRadiomics computes each in `float64` on the whole image it is given and rescales with
//! `M = max|x|` over that image, so values stay on the original range; the results are `float64`
//! images. Formulas in PyRadiomics' own operation order:
//!
//! - square: `(c·x)²` with `c = 1 / √M`
//! - squareroot: `√(x·M)` for `x > 0`, `−√(−x·M)` for `x < 0`, `0` stays `0`
//! - logarithm: `l = ln(x + 1)` for `x > 0`, `−ln(−(x − 1))` for `x < 0`, then `l · (M / max|l|)`
//! - exponential: `exp(c·x)` with `c = ln(M) / M`
//!
//! Apart from `M` (and `max|l|`), taken over the whole image, every voxel's value depends on that
//! voxel alone: `square`, `square_root`, `logarithm` and `exponential` map any part of the image
//! given the whole image's constants ([`max_abs`], [`max_abs_log`]), and give there exactly what
//! the whole image gives (the `*_image` functions). As in PyRadiomics, an all-zero image yields NaN
//! (square, logarithm, exponential).

use ndarray::Array3;
use rayon::prelude::*;

use crate::image::Volume;
use crate::image::source::Element;
use crate::numpy_sum;

/// A new volume with `f` applied to every voxel, in parallel.
fn map_voxels(image: &Volume<f64>, f: impl Fn(f64) -> f64 + Sync) -> Volume<f64> {
    let voxels: Vec<f64> = match image.voxels.as_slice() {
        Some(s) => s.par_iter().map(|&v| f(v)).collect(),
        None => image.voxels.iter().map(|&v| f(v)).collect(),
    };
    Volume {
        voxels: Array3::from_shape_vec(image.voxels.dim(), voxels)
            .expect("same number of voxels as the input"),
        geometry: image.geometry.clone(),
    }
}

/// numpy's `max` of `f(x)` over the voxels (NaN if any is NaN), in parallel pieces.
fn max_of<E: Element>(image: &Volume<E>, f: impl Fn(f64) -> f64 + Sync) -> f64 {
    let piece_max = |piece: &[E]| numpy_sum::max(piece.iter().map(|&v| f(v.into())));
    match image.voxels.as_slice() {
        Some(s) => numpy_sum::max(s.par_chunks(1 << 16).map(piece_max).collect::<Vec<_>>()),
        None => numpy_sum::max(image.voxels.iter().map(|&v| f(v.into()))),
    }
}

/// PyRadiomics' `M = max|x|` over the image (numpy's `max(abs(im))`: NaN if any voxel is NaN).
pub fn max_abs<E: Element>(image: &Volume<E>) -> f64 {
    max_of(image, f64::abs)
}

/// Relative distance below `M` within which a voxel's `|l|` is evaluated by [`max_abs_log`].
const LOG_CANDIDATES: f64 = 1.0 / 65536.0;

/// The logarithm image's `max|l|` over the whole image, given `m` = [`max_abs`] of it.
///
/// `|l| = ln(|x| + 1)` grows with `|x|`, and a computed logarithm is within one unit in the last
/// place of the true one, so a voxel with `|x| < M·(1 − 2⁻¹⁶)` cannot hold the maximum: only
/// voxels closer to `M` are evaluated, with the formula [`logarithm`] uses.
pub fn max_abs_log<E: Element>(image: &Volume<E>, m: f64) -> f64 {
    if m.is_nan() {
        return f64::NAN;
    }
    let threshold = m * (1.0 - LOG_CANDIDATES);
    max_of(image, |x| {
        if x.abs() >= threshold {
            signed_log(x).abs()
        } else {
            0.0
        }
    })
}

/// `ln(x + 1)` for `x > 0`, `−ln(−(x − 1))` for `x < 0`, `x` otherwise (PyRadiomics' order).
fn signed_log(x: f64) -> f64 {
    if x > 0.0 {
        (x + 1.0).ln()
    } else if x < 0.0 {
        -(-(x - 1.0)).ln()
    } else {
        x
    }
}

/// `square` of part of an image whose [`max_abs`] is `m`: `(x / √M)²`.
pub fn square(part: &Volume<f64>, m: f64) -> Volume<f64> {
    let coefficient = 1.0 / m.sqrt();
    map_voxels(part, |x| {
        let v = coefficient * x;
        v * v
    })
}

/// `squareroot` of part of an image whose [`max_abs`] is `m`: `sign(x)·√(|x|·M)`.
pub fn square_root(part: &Volume<f64>, m: f64) -> Volume<f64> {
    map_voxels(part, |x| {
        if x > 0.0 {
            (x * m).sqrt()
        } else if x < 0.0 {
            -(-x * m).sqrt()
        } else {
            x
        }
    })
}

/// `logarithm` of part of an image whose [`max_abs`] is `m` and [`max_abs_log`] is `max_log`:
/// `sign(x)·ln(|x| + 1)`, rescaled so that the image's maximum absolute value is `M`.
pub fn logarithm(part: &Volume<f64>, m: f64, max_log: f64) -> Volume<f64> {
    let scale = m / max_log;
    map_voxels(part, |x| signed_log(x) * scale)
}

/// `exponential` of part of an image whose [`max_abs`] is `m`: `exp(x · ln(M) / M)`.
pub fn exponential(part: &Volume<f64>, m: f64) -> Volume<f64> {
    let coefficient = m.ln() / m;
    map_voxels(part, |x| (coefficient * x).exp())
}

/// PyRadiomics `square` image type of a whole image.
pub fn square_image(image: &Volume<f64>) -> Volume<f64> {
    square(image, max_abs(image))
}

/// PyRadiomics `squareroot` image type of a whole image.
pub fn square_root_image(image: &Volume<f64>) -> Volume<f64> {
    square_root(image, max_abs(image))
}

/// PyRadiomics `logarithm` image type of a whole image.
pub fn logarithm_image(image: &Volume<f64>) -> Volume<f64> {
    let m = max_abs(image);
    logarithm(image, m, max_abs_log(image, m))
}

/// PyRadiomics `exponential` image type of a whole image.
pub fn exponential_image(image: &Volume<f64>) -> Volume<f64> {
    exponential(image, max_abs(image))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::image::Geometry;

    fn volume(values: &[f64]) -> Volume<f64> {
        Volume {
            voxels: Array3::from_shape_vec((1, 1, values.len()), values.to_vec()).unwrap(),
            geometry: Geometry::identity(),
        }
    }

    #[test]
    fn keep_the_range_and_the_sign() {
        let v = volume(&[-4.0, 0.0, 1.0, 16.0]);
        let values = |v: Volume<f64>| v.voxels.iter().copied().collect::<Vec<_>>();
        assert_eq!(values(square_image(&v)), vec![1.0, 0.0, 1.0 / 16.0, 16.0]);
        assert_eq!(values(square_root_image(&v)), vec![-8.0, 0.0, 4.0, 16.0]);
        let l = values(logarithm_image(&v));
        assert_eq!((l[1], l[3]), (0.0, 16.0));
        assert!((l[0] + 16.0 * 5f64.ln() / 17f64.ln()).abs() < 1e-12);
        let e = values(exponential_image(&v));
        assert!((e[3] - 16.0).abs() < 1e-12 && (e[1] - 1.0).abs() == 0.0);
    }

    /// [`max_abs_log`] evaluates only voxels near `M`, yet gives the maximum over every voxel,
    /// also where values tie within rounding or are not finite.
    #[test]
    fn max_abs_log_is_the_maximum_over_every_voxel() {
        let every_voxel =
            |v: &Volume<f64>| numpy_sum::max(v.voxels.iter().map(|&x| signed_log(x).abs()));
        for values in [
            vec![-4.0, 0.0, 1.0, 16.0],
            vec![
                3.0,
                -3.0000000000000004,
                2.9999999999999996,
                -2.9999999999999996,
            ],
            vec![-1.7, 1.6999999999999997, 1.7000000000000002],
            vec![0.0, 0.0],
            vec![1e-300, -2e-300, 0.0],
            vec![f64::NAN, 1.0],
            vec![f64::INFINITY, 1.0],
            vec![-f64::INFINITY, 5.0],
            (0..1000)
                .map(|i| (f64::from(i) * 0.37).sin() * 1e6)
                .collect(),
        ] {
            let v = volume(&values);
            let (got, want) = (max_abs_log(&v, max_abs(&v)), every_voxel(&v));
            assert!(
                got == want || (got.is_nan() && want.is_nan()),
                "{values:?}: {got} vs {want}"
            );
        }
    }

    #[test]
    fn all_zero_gives_nan_like_pyradiomics() {
        let v = volume(&[0.0, 0.0]);
        assert!(square_image(&v).voxels.iter().all(|x| x.is_nan()));
        assert!(square_root_image(&v).voxels.iter().all(|&x| x == 0.0));
        assert!(logarithm_image(&v).voxels.iter().all(|x| x.is_nan()));
        assert!(exponential_image(&v).voxels.iter().all(|x| x.is_nan()));
    }
}
