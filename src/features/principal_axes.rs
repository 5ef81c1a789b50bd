//! Principal component analysis of the ROI voxel positions, as PyRadiomics' shape classes do it: the
//! physical coordinates (index × spacing) of the ROI voxels are centred, divided by √Np, and the
//! eigenvalues of `Pᵀ P` (the population covariance) sorted ascending.

use super::eigenvalues::symmetric_eigenvalues;

/// Eigenvalues, ascending, of the population covariance of `positions` (grid indices, scaled by
/// `spacing` per axis). Values in (-1e-10, 0) from rounding are set to 0, as PyRadiomics does; for no
/// positions every eigenvalue is NaN.
pub fn covariance_eigenvalues<const D: usize>(
    positions: impl Iterator<Item = [usize; D]> + Clone,
    spacing: [f64; D],
) -> [f64; D] {
    let physical =
        move |p: [usize; D]| -> [f64; D] { std::array::from_fn(|d| p[d] as f64 * spacing[d]) };
    let mut count = 0usize;
    let mut sum = [0.0; D];
    for p in positions.clone().map(physical) {
        count += 1;
        for d in 0..D {
            sum[d] += p[d];
        }
    }
    if count == 0 {
        return [f64::NAN; D];
    }
    let n = count as f64;
    let mean = sum.map(|s| s / n);
    let scale = n.sqrt();
    // Upper triangle of Pᵀ P, then mirrored.
    let mut upper = [[0.0; D]; D];
    for p in positions.map(physical) {
        let centred: [f64; D] = std::array::from_fn(|d| (p[d] - mean[d]) / scale);
        for (i, row) in upper.iter_mut().enumerate() {
            for (j, cell) in row.iter_mut().enumerate().skip(i) {
                *cell += centred[i] * centred[j];
            }
        }
    }
    let covariance = (0..D * D).map(|k| upper[(k / D).min(k % D)][(k / D).max(k % D)]);
    let eigenvalues = symmetric_eigenvalues(covariance.collect(), D);
    let mut eigenvalues: [f64; D] = std::array::from_fn(|d| eigenvalues[d]);
    for e in &mut eigenvalues {
        if *e < 0.0 && *e > -1e-10 {
            *e = 0.0;
        }
    }
    eigenvalues.sort_by(f64::total_cmp);
    eigenvalues
}

/// An axis length `4 √λ` (PyRadiomics' `MajorAxisLength` etc.); NaN for a negative eigenvalue.
pub fn axis_length(eigenvalue: f64) -> f64 {
    if eigenvalue < 0.0 {
        f64::NAN
    } else {
        eigenvalue.sqrt() * 4.0
    }
}

/// An axis ratio `√(λ_smaller / λ_larger)` (PyRadiomics' `Elongation`, `Flatness`); NaN when either
/// eigenvalue is negative.
pub fn axis_ratio(smaller: f64, larger: f64) -> f64 {
    if smaller < 0.0 || larger < 0.0 {
        f64::NAN
    } else {
        (smaller / larger).sqrt()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_of_voxels_has_one_nonzero_axis() {
        // 5 voxels along x, spacing 2: x positions 0, 2, 4, 6, 8 -> variance 8.
        let e = covariance_eigenvalues((0..5).map(|x| [3, 1, x]), [1.0, 1.0, 2.0]);
        assert_eq!(&e[..2], &[0.0, 0.0]);
        assert!((e[2] - 8.0).abs() < 1e-14);
    }

    #[test]
    fn no_voxels_gives_nan() {
        let e = covariance_eigenvalues(std::iter::empty::<[usize; 2]>(), [1.0, 1.0]);
        assert!(e.iter().all(|v| v.is_nan()));
    }
}
