//! PyRadiomics' voxel-wise image types: `square`, `squareroot`, `logarithm` and `exponential`
//! (`getSquareImage`, `getSquareRootImage`, `getLogarithmImage`, `getExponentialImage`).
//!
//! Each is computed in `float64` on the whole image it is given and rescaled with `M = max|x|` over
//! that image, so values stay on the original range; the results are `float64` images. Formulas in
//! PyRadiomics' own operation order:
//!
//! - square: `(c·x)²` with `c = 1 / √M`
//! - squareroot: `√(x·M)` for `x > 0`, `−√(−x·M)` for `x < 0`, `0` stays `0`
//! - logarithm: `l = ln(x + 1)` for `x > 0`, `−ln(−(x − 1))` for `x < 0`, then `l · (M / max|l|)`
//! - exponential: `exp(c·x)` with `c = ln(M) / M`
//!
//! As in PyRadiomics, an all-zero image yields NaN (square, logarithm, exponential).

use ndarray::Array3;
use rayon::prelude::*;

use crate::image::Volume;
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

/// `max |x|` over the image (numpy's `max(abs(im))`: NaN if any voxel is NaN).
fn max_abs(image: &Volume<f64>) -> f64 {
    numpy_sum::max(image.voxels.iter().map(|v| v.abs()))
}

/// PyRadiomics `square` image type: `(x / √M)²`.
pub fn square_image(image: &Volume<f64>) -> Volume<f64> {
    let coefficient = 1.0 / max_abs(image).sqrt();
    map_voxels(image, |x| {
        let v = coefficient * x;
        v * v
    })
}

/// PyRadiomics `squareroot` image type: `sign(x)·√(|x|·M)`.
pub fn square_root_image(image: &Volume<f64>) -> Volume<f64> {
    let m = max_abs(image);
    map_voxels(image, |x| {
        if x > 0.0 {
            (x * m).sqrt()
        } else if x < 0.0 {
            -(-x * m).sqrt()
        } else {
            x
        }
    })
}

/// PyRadiomics `logarithm` image type: `sign(x)·ln(|x| + 1)`, rescaled so that its maximum
/// absolute value is `M`.
pub fn logarithm_image(image: &Volume<f64>) -> Volume<f64> {
    let m = max_abs(image);
    let logs = map_voxels(image, |x| {
        if x > 0.0 {
            (x + 1.0).ln()
        } else if x < 0.0 {
            -(-(x - 1.0)).ln()
        } else {
            x
        }
    });
    let scale = m / max_abs(&logs);
    map_voxels(&logs, |l| l * scale)
}

/// PyRadiomics `exponential` image type: `exp(x · ln(M) / M)`.
pub fn exponential_image(image: &Volume<f64>) -> Volume<f64> {
    let m = max_abs(image);
    let coefficient = m.ln() / m;
    map_voxels(image, |x| (coefficient * x).exp())
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

    #[test]
    fn all_zero_gives_nan_like_pyradiomics() {
        let v = volume(&[0.0, 0.0]);
        assert!(square_image(&v).voxels.iter().all(|x| x.is_nan()));
        assert!(square_root_image(&v).voxels.iter().all(|&x| x == 0.0));
        assert!(logarithm_image(&v).voxels.iter().all(|x| x.is_nan()));
        assert!(exponential_image(&v).voxels.iter().all(|x| x.is_nan()));
    }
}
