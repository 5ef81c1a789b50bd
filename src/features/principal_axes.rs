//! Principal component analysis of the ROI voxel positions, as PyRadiomics' shape classes do it: the
//! physical coordinates (index × spacing) of the ROI voxels are centred, divided by √Np, and the
//! eigenvalues of `Pᵀ P` (the population covariance) sorted ascending.

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
    let covariance = std::array::from_fn(|i| std::array::from_fn(|j| upper[i.min(j)][i.max(j)]));
    let mut eigenvalues = symmetric_eigenvalues(covariance);
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

/// Eigenvalues (unordered) of the symmetric matrix `a`, by cyclic Jacobi rotations.
fn symmetric_eigenvalues<const D: usize>(mut a: [[f64; D]; D]) -> [f64; D] {
    const MAX_SWEEPS: usize = 64;
    for _ in 0..MAX_SWEEPS {
        let mut rotated = false;
        for p in 0..D {
            for q in p + 1..D {
                let apq = a[p][q];
                if apq == 0.0 {
                    continue;
                }
                // Negligible against both diagonal entries: drop it.
                if a[p][p].abs() + 1e3 * apq.abs() == a[p][p].abs()
                    && a[q][q].abs() + 1e3 * apq.abs() == a[q][q].abs()
                {
                    a[p][q] = 0.0;
                    a[q][p] = 0.0;
                    continue;
                }
                rotated = true;
                let theta = (a[q][q] - a[p][p]) / (2.0 * apq);
                let t = theta.signum() / (theta.abs() + theta.hypot(1.0));
                let c = 1.0 / t.hypot(1.0);
                let s = t * c;
                a[p][p] -= t * apq;
                a[q][q] += t * apq;
                a[p][q] = 0.0;
                a[q][p] = 0.0;
                for r in (0..D).filter(|&r| r != p && r != q) {
                    let (arp, arq) = (a[r][p], a[r][q]);
                    a[r][p] = c * arp - s * arq;
                    a[p][r] = a[r][p];
                    a[r][q] = s * arp + c * arq;
                    a[q][r] = a[r][q];
                }
            }
        }
        if !rotated {
            break;
        }
    }
    std::array::from_fn(|d| a[d][d])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eigenvalues_of_known_matrix() {
        // Eigenvalues 1, 2, 4 in a rotated basis.
        let a = [[2.5, -0.5, 1.0], [-0.5, 2.5, -1.0], [1.0, -1.0, 2.0]];
        let mut e = symmetric_eigenvalues(a);
        e.sort_by(f64::total_cmp);
        for (got, want) in e.iter().zip([1.0, 2.0, 4.0]) {
            assert!((got - want).abs() < 1e-14, "{e:?}");
        }
    }

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
