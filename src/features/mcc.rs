//! GLCM's Maximal Correlation Coefficient: the eigenvalues of each angle's
//! `Q(i, j) = sum_k p(i,k) p(j,k) / (p_x(i) p_y(k) + eps)`, taken as `numpy.linalg.eigvals`
//! gives them in PyRadiomics 3.1.
//!
//! Notation as in [`super::glcm`]: `p(i, j)` the normalised GLCM of one angle, `p_x`, `p_y` its
//! marginals, `eps` the machine epsilon.

use multiversion::multiversion;
use rayon::prelude::*;

use super::eigenvalues::{Complex, eigenvalues, symmetric_eigenvalues};
use super::nanmean::nanmean;
use super::tridiagonal::symmetric_eigenvalues_by_blocks;

const EPS: f64 = f64::EPSILON;

/// One angle's normalised GLCM with its marginals.
#[derive(Clone, Copy, Debug)]
pub struct AngleMatrix<'a> {
    /// `p(i, j)`, row-major `n x n`.
    pub p: &'a [f64],
    /// `p_x(i) = sum_j p(i, j)`.
    pub px: &'a [f64],
    /// `p_y(j) = sum_i p(i, j)`.
    pub py: &'a [f64],
}

/// MCC of a finite GLCM of at least two grey levels: the `nanmean` over the angles of
/// `sqrt(second largest eigenvalue of Q)`.
///
/// As `numpy.linalg.eigvals` on the stack of angles: when any eigenvalue of any angle is complex,
/// the whole stack is, so the square roots are complex and their real parts are averaged (a
/// negative eigenvalue gives 0); otherwise a negative eigenvalue gives NaN, which the average
/// skips.
pub fn mcc(angles: &[AngleMatrix]) -> f64 {
    let second: Vec<SecondEigenvalue> = angles.par_iter().map(second_eigenvalue).collect();
    mean_square_root(&second)
}

/// What MCC needs of one angle's eigenvalues.
struct SecondEigenvalue {
    /// The second largest eigenvalue (numpy's order: by real part, then imaginary part).
    value: Complex,
    /// Whether any eigenvalue of the angle is complex.
    any_complex: bool,
}

/// The largest matrix `numpy.linalg.eigvals` (LAPACK's `dhseqr`, `NMIN = 75`) gives to the
/// double-shift QR of `dlahqr` rather than to the multishift `dlaqr0`.
const DLAHQR_MAX_ORDER: usize = 75;

/// The eigenvalue MCC takes from one angle, as numpy would return it: the second largest
/// eigenvalue of `Q`, and whether any eigenvalue of `Q` is complex.
///
/// Up to [`DLAHQR_MAX_ORDER`] grey levels the eigenvalues are computed as LAPACK computes them
/// there ([`eigenvalues`]), so that rounding noise comes out as in numpy as far as possible.
/// Larger matrices LAPACK hands to its multishift QR, whose rounding depends on its BLAS
/// kernels; for them, and where the small-matrix QR iteration does not converge (which also
/// depends on rounding noise, and where numpy has been seen to converge to these values), the
/// eigenvalues are those of the symmetric matrix `Q` is similar to ([`similar_symmetric`]),
/// block by block: several times faster, and the same values to rounding.
fn second_eigenvalue(a: &AngleMatrix) -> SecondEigenvalue {
    let n = a.px.len();
    let general = if n <= DLAHQR_MAX_ORDER {
        eigenvalues(q_matrix(a.p, a.px, a.py), n)
    } else {
        None
    };
    let mut w = general.unwrap_or_else(|| {
        let s = similar_symmetric(q_matrix(a.p, a.px, a.py), a.px);
        symmetric_eigenvalues_by_blocks(&s, n)
            .unwrap_or_else(|| symmetric_eigenvalues(s, n))
            .into_iter()
            .map(|v| (v, 0.0))
            .collect()
    });
    w.sort_by(|x, y| x.0.total_cmp(&y.0).then(x.1.total_cmp(&y.1)));
    SecondEigenvalue {
        value: w[n - 2],
        any_complex: w.iter().any(|v| v.1 != 0.0),
    }
}

/// `S = D^½ Q D^-½` with `D = diag(p_x)`, symmetrised: `Q = D⁻¹ P E⁻¹ Pᵀ` (`E = diag(p_y)`, up to
/// the `eps` in its denominators) is similar to the symmetric `D^-½ P E⁻¹ Pᵀ D^-½`. The `eps`
/// leaves `S` slightly asymmetric; averaging it with its transpose moves the eigenvalues only
/// to second order in that asymmetry. Rows and columns of grey levels absent from the angle
/// (`p_x(i) = 0`, all zero in `Q`) stay zero.
fn similar_symmetric(q: Vec<f64>, px: &[f64]) -> Vec<f64> {
    let n = px.len();
    let scaled = |i: usize, j: usize| {
        if px[i] == 0.0 || px[j] == 0.0 {
            0.0
        } else {
            q[i * n + j] * (px[i] / px[j]).sqrt()
        }
    };
    (0..n * n)
        .map(|k| {
            let (i, j) = (k / n, k % n);
            (scaled(i, j) + scaled(j, i)) / 2.0
        })
        .collect()
}

/// `Q(i, j) = sum_k p(i,k) p(j,k) / (p_x(i) p_y(k) + eps)` (row-major) for the row-major
/// `n x n` matrix `p`. Compiled for AVX-512 and AVX2 too (picked at run time): the wide loop
/// runs over `j`, each entry still summed over `k` in ascending order, so every width computes
/// the same bits.
#[multiversion(targets("x86_64+avx512f", "x86_64+avx2", "aarch64+neon"))]
fn q_matrix(p: &[f64], px: &[f64], py: &[f64]) -> Vec<f64> {
    let n = px.len();
    // `p` transposed: row k holds p(j, k) for every j, so a row of Q is built from whole rows.
    let mut p_t = vec![0.0; n * n];
    for (j, p_row) in p.chunks_exact(n).enumerate() {
        for (k, &v) in p_row.iter().enumerate() {
            p_t[k * n + j] = v;
        }
    }
    // Summed over k in ascending order for each (i, j), as PyRadiomics does; zero terms
    // (p(i,k) = 0) leave the sums unchanged and are skipped.
    let mut q = vec![0.0; n * n];
    for ((q_row, p_row), &px_i) in q.chunks_exact_mut(n).zip(p.chunks_exact(n)).zip(px) {
        for ((&pik, &py_k), p_k) in p_row.iter().zip(py).zip(p_t.chunks_exact(n)) {
            if pik != 0.0 {
                let d = px_i * py_k + EPS;
                for (qij, &pjk) in q_row.iter_mut().zip(p_k) {
                    *qij += pik * pjk / d;
                }
            }
        }
    }
    q
}

/// The `nanmean` of the square roots of the angles' second eigenvalues, real or complex as
/// numpy's stack of eigenvalues is (see [`mcc`]).
fn mean_square_root(second: &[SecondEigenvalue]) -> f64 {
    let complex = second.iter().any(|w| w.any_complex);
    let roots = second.iter().map(|w| {
        let (re, im) = w.value;
        if complex {
            // Real part of the principal complex square root.
            ((re.hypot(im) + re) / 2.0).sqrt()
        } else {
            re.sqrt()
        }
    });
    nanmean(roots)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The marginals `(p_x, p_y)` of the row-major `n x n` matrix `p`, summed as the GLCM
    /// features sum them (row by row, ascending).
    fn marginals(p: &[f64], n: usize) -> (Vec<f64>, Vec<f64>) {
        let mut px = vec![0.0; n];
        let mut py = vec![0.0; n];
        for i in 0..n {
            for j in 0..n {
                px[i] += p[i * n + j];
                py[j] += p[i * n + j];
            }
        }
        (px, py)
    }

    /// [`second_eigenvalue`] of the row-major `n x n` matrix `p`.
    fn second_of(p: &[f64], n: usize) -> Complex {
        let (px, py) = marginals(p, n);
        second_eigenvalue(&AngleMatrix {
            p,
            px: &px,
            py: &py,
        })
        .value
    }

    /// `counts` normalised to sum 1.
    fn normalised(counts: &[f64]) -> Vec<f64> {
        let total: f64 = counts.iter().sum();
        counts.iter().map(|c| c / total).collect()
    }

    #[test]
    fn mcc_where_the_qr_iteration_stalls_is_numpys() {
        // One angle of fuzz case heavy_2203917: a symmetric GLCM of 39 grey levels where level 0
        // pairs with itself 206 times and with each other level as counted here, and no other
        // pairs. LAPACK's iteration as followed here does not converge on its Q, numpy's does,
        // with second eigenvalue 0.03937985435055415.
        let pairs_with_level_0: [u32; 39] = [
            206, 1, 1, 2, 1, 1, 1, 2, 1, 1, 1, 1, 2, 2, 1, 2, 1, 1, 0, 1, 1, 1, 2, 1, 1, 1, 2, 1,
            1, 1, 1, 2, 2, 1, 2, 1, 1, 0, 6,
        ];
        let n = pairs_with_level_0.len();
        let mut counts = vec![0.0; n * n];
        for (j, &c) in pairs_with_level_0.iter().enumerate() {
            counts[j] = f64::from(c);
            counts[j * n] = f64::from(c);
        }
        let p = normalised(&counts);
        let (px, py) = marginals(&p, n);
        assert!(eigenvalues(q_matrix(&p, &px, &py), n).is_none());
        let (re, im) = second_of(&p, n);
        assert_eq!(im, 0.0);
        assert!((re - 0.039_379_854_350_554_15).abs() < 1e-15, "{re}");
    }

    /// A symmetric GLCM of `n` grey levels: counts `1 + (7i + 3j + ij) mod 5` where
    /// `|i - j| <= band` (with `band = 0`: also where `i + j` is not a multiple of 3), within
    /// `blocks` equal runs of grey levels that never co-occur with each other.
    fn patterned_glcm(n: usize, band: usize, blocks: usize) -> Vec<f64> {
        let mut counts = vec![0.0; n * n];
        for i in 0..n {
            for j in 0..n {
                let near = i.abs_diff(j) <= band || (band == 0 && (i + j) % 3 != 0);
                if near && i * blocks / n == j * blocks / n {
                    let count = (1 + (i * 7 + j * 3 + i * j) % 5) as f64;
                    counts[i * n + j] += count;
                    counts[j * n + i] += count;
                }
            }
        }
        normalised(&counts)
    }

    #[test]
    fn mcc_of_large_matrices_is_numpys() {
        // numpy.linalg.eigvals of Q as PyRadiomics builds it (sorted, second largest), for
        // matrices LAPACK gives to its multishift QR; the second one splits into two blocks.
        for (n, band, blocks, numpy) in [
            (100, 3, 1, 0.995_840_194_839_148_1),
            (90, 2, 2, 0.999_999_999_998_194_7),
            (80, 0, 1, 0.244_429_130_498_414_47),
        ] {
            let p = patterned_glcm(n, band, blocks);
            let (re, im) = second_of(&p, n);
            assert_eq!(im, 0.0);
            assert!((re - numpy).abs() < 1e-14, "{n}: {re} vs {numpy}");
        }
    }

    #[test]
    fn a_complex_eigenvalue_anywhere_makes_every_root_complex() {
        let second = |value, any_complex| SecondEigenvalue { value, any_complex };
        // numpy: sqrt of a real stack; the negative eigenvalue's NaN is skipped.
        let real = [second((-0.09, 0.0), false), second((0.25, 0.0), false)];
        assert_eq!(mean_square_root(&real), 0.5);
        // A complex eigenvalue in the second angle (not its second largest) makes the stack
        // complex: sqrt(-0.09 + 0j) has real part 0, averaged in.
        let complex = [second((-0.09, 0.0), false), second((0.25, 0.0), true)];
        assert_eq!(mean_square_root(&complex), 0.25);
        let pair = [second((0.0, 0.16), true), second((0.25, 0.0), false)];
        let root = (0.16f64 / 2.0).sqrt(); // Re sqrt(0.16i) = sqrt(|z| / 2)
        assert!((mean_square_root(&pair) - (root + 0.5) / 2.0).abs() < 1e-15);
    }

    #[test]
    fn similar_symmetric_matrix_keeps_the_eigenvalues() {
        // A non-symmetric GLCM with an absent grey level (row and column 2).
        let n = 4;
        let p = normalised(&[
            3.0, 1.0, 0.0, 2.0, 0.0, 5.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 4.0, 2.0, 0.0, 7.0,
        ]);
        let (px, py) = marginals(&p, n);
        let q = q_matrix(&p, &px, &py);
        let mut general: Vec<f64> = eigenvalues(q.clone(), n)
            .unwrap()
            .iter()
            .map(|w| w.0)
            .collect();
        let mut symmetric = symmetric_eigenvalues(similar_symmetric(q, &px), n);
        general.sort_by(f64::total_cmp);
        symmetric.sort_by(f64::total_cmp);
        for (a, b) in general.iter().zip(&symmetric) {
            assert!((a - b).abs() < 1e-14, "{general:?} vs {symmetric:?}");
        }
        assert!(symmetric[3] > symmetric[2] && symmetric[2] > 1e-3);
    }
}
