//! GLCM features (PyRadiomics' `glcm` class), computed per angle and averaged over the angles
//! with `nanmean`, exactly as PyRadiomics 3.1.
//!
//! Notation: `p(i, j)` the normalised GLCM of one angle, `i, j` grey levels, `N_g` the highest
//! grey level, `p_x(i) = sum_j p(i, j)`, `p_y(j) = sum_i p(i, j)`, `mu_x = sum p(i, j) i`,
//! `mu_y = sum p(i, j) j`, `p_{x+y}(k) = sum_{i+j=k} p(i, j)` (`k = 2..2N_g`),
//! `p_{x-y}(k) = sum_{|i-j|=k} p(i, j)` (`k = 0..N_g-1`), `eps` the machine epsilon,
//! `HXY = -sum p(i, j) log2(p(i, j) + eps)`.
//!
//! PyRadiomics' deprecated GLCM features ([`DEPRECATED_WITHOUT_VALUE`]) only raise a
//! DeprecationWarning and yield no value, so [`compute`] does not list them.

use multiversion::multiversion;
use rayon::prelude::*;

use super::Feature;
use super::eigenvalues::{Complex, eigenvalues, symmetric_eigenvalues};
use super::nanmean::nanmean;
use super::tridiagonal::symmetric_eigenvalues_by_blocks;
use crate::Result;
use crate::matrices::glcm::GlcmMatrix;
use crate::matrices::level_table;
use crate::numpy_sum;

const EPS: f64 = f64::EPSILON;

/// GLCM feature names PyRadiomics accepts (deprecated: enabled only when named) but never
/// outputs: Dissimilarity (= DifferenceAverage), Homogeneity1 (= Id), Homogeneity2 (= Idm) and
/// SumVariance (= ClusterTendency).
pub const DEPRECATED_WITHOUT_VALUE: [&str; 4] = [
    "Dissimilarity",
    "Homogeneity1",
    "Homogeneity2",
    "SumVariance",
];

/// The quantities of one angle's matrix that the features share.
struct Angle<'a> {
    /// `p(i, j)`, row-major `n x n`.
    p: &'a [f64],
    /// The grey level of each row / column.
    g: &'a [f64],
    /// `N_g`.
    ng: f64,
    px: Vec<f64>,
    py: Vec<f64>,
    ux: f64,
    uy: f64,
    /// `p_{x+y}(k)` at index `k - 2`.
    p_sum: Vec<f64>,
    /// `p_{x-y}(k)` at index `k`.
    p_diff: Vec<f64>,
    hxy: f64,
}

impl<'a> Angle<'a> {
    /// The marginals and sums of one angle's matrix; errors when `ng` grey levels do not fit in
    /// memory ([`level_table`]).
    fn new(p: &'a [f64], g: &'a [f64], ng: u32) -> Result<Self> {
        let n = g.len();
        let mut px = vec![0.0; n];
        let mut py = vec![0.0; n];
        let (mut ux, mut uy, mut hxy) = (0.0, 0.0, 0.0);
        let mut p_sum: Vec<f64> = level_table(2 * ng as usize - 1, "glcm")?;
        let mut p_diff: Vec<f64> = level_table(ng as usize, "glcm")?;
        for i in 0..n {
            for j in 0..n {
                let v = p[i * n + j];
                px[i] += v;
                py[j] += v;
                ux += g[i] * v;
                uy += g[j] * v;
                hxy -= v * (v + EPS).log2();
                p_sum[(g[i] + g[j]) as usize - 2] += v;
                p_diff[(g[i] - g[j]).abs() as usize] += v;
            }
        }
        Ok(Angle {
            p,
            g,
            ng: f64::from(ng),
            px,
            py,
            ux,
            uy,
            p_sum,
            p_diff,
            hxy,
        })
    }

    fn n(&self) -> usize {
        self.g.len()
    }

    /// `sum_{i,j} p(i, j) f(i, j)` over grey levels `i, j`.
    fn sum_p(&self, f: impl Fn(f64, f64) -> f64) -> f64 {
        let n = self.n();
        let mut s = 0.0;
        for i in 0..n {
            for j in 0..n {
                s += self.p[i * n + j] * f(self.g[i], self.g[j]);
            }
        }
        s
    }

    /// `sum_k p_{x-y}(k) f(k)`.
    fn sum_diff(&self, f: impl Fn(f64) -> f64) -> f64 {
        self.p_diff
            .iter()
            .enumerate()
            .map(|(k, &v)| v * f(k as f64))
            .sum()
    }
}

/// Entropy term `-sum v log2(v + eps)`.
fn entropy(values: impl IntoIterator<Item = f64>) -> f64 {
    values.into_iter().map(|v| -(v * (v + EPS).log2())).sum()
}

/// Autocorrelation: `sum_{i,j} p(i,j) i j`.
fn autocorrelation(a: &Angle) -> f64 {
    a.sum_p(|i, j| i * j)
}

/// JointAverage: `mu_x = sum_{i,j} p(i,j) i` (PyRadiomics averages it with a plain mean).
fn joint_average(a: &Angle) -> f64 {
    a.ux
}

/// ClusterProminence: `sum_{i,j} (i + j - mu_x - mu_y)^4 p(i,j)`.
fn cluster_prominence(a: &Angle) -> f64 {
    a.sum_p(|i, j| (i + j - a.ux - a.uy).powi(4))
}

/// ClusterShade: `sum_{i,j} (i + j - mu_x - mu_y)^3 p(i,j)`.
fn cluster_shade(a: &Angle) -> f64 {
    a.sum_p(|i, j| (i + j - a.ux - a.uy).powi(3))
}

/// ClusterTendency: `sum_{i,j} (i + j - mu_x - mu_y)^2 p(i,j)`.
fn cluster_tendency(a: &Angle) -> f64 {
    a.sum_p(|i, j| (i + j - a.ux - a.uy).powi(2))
}

/// Contrast: `sum_{i,j} (i - j)^2 p(i,j)`.
fn contrast(a: &Angle) -> f64 {
    a.sum_p(|i, j| (i - j).abs().powi(2))
}

/// Correlation: `(sum_{i,j} p(i,j) (i - mu_x)(j - mu_y)) / (sigma_x sigma_y + eps)`, with
/// `sigma_x^2 = sum p(i,j) (i - mu_x)^2`, `sigma_y^2 = sum p(i,j) (j - mu_y)^2`; 1 when
/// `sigma_x sigma_y = 0` (flat region).
fn correlation(a: &Angle) -> f64 {
    let sigx = a.sum_p(|i, _| (i - a.ux).powi(2)).sqrt();
    let sigy = a.sum_p(|_, j| (j - a.uy).powi(2)).sqrt();
    let corm = a.sum_p(|i, j| (i - a.ux) * (j - a.uy));
    if sigx * sigy == 0.0 {
        1.0
    } else {
        corm / (sigx * sigy + EPS)
    }
}

/// DifferenceAverage: `DA = sum_{k=0}^{N_g-1} k p_{x-y}(k)`.
fn difference_average(a: &Angle) -> f64 {
    a.sum_diff(|k| k)
}

/// DifferenceEntropy: `-sum_{k=0}^{N_g-1} p_{x-y}(k) log2(p_{x-y}(k) + eps)`.
fn difference_entropy(a: &Angle) -> f64 {
    entropy(a.p_diff.iter().copied())
}

/// DifferenceVariance: `sum_{k=0}^{N_g-1} (k - DA)^2 p_{x-y}(k)`.
fn difference_variance(a: &Angle) -> f64 {
    let da = difference_average(a);
    a.sum_diff(|k| (k - da).powi(2))
}

/// JointEnergy: `sum_{i,j} p(i,j)^2`.
fn joint_energy(a: &Angle) -> f64 {
    a.p.iter().map(|v| v * v).sum()
}

/// JointEntropy: `HXY = -sum_{i,j} p(i,j) log2(p(i,j) + eps)`.
fn joint_entropy(a: &Angle) -> f64 {
    a.hxy
}

/// Imc1: `(HXY - HXY1) / max(HX, HY)`, with `HX = -sum p_x log2(p_x + eps)`,
/// `HY = -sum p_y log2(p_y + eps)`, `HXY1 = -sum p(i,j) log2(p_x(i) p_y(j) + eps)`; 0 when
/// `max(HX, HY) = 0` (flat region).
fn imc1(a: &Angle) -> f64 {
    let hx = entropy(a.px.iter().copied());
    let hy = entropy(a.py.iter().copied());
    let n = a.n();
    let mut hxy1 = 0.0;
    for i in 0..n {
        for j in 0..n {
            hxy1 -= a.p[i * n + j] * (a.px[i] * a.py[j] + EPS).log2();
        }
    }
    // numpy.fmax: NaN only when both are NaN.
    let div = if hx.is_nan() {
        hy
    } else if hy.is_nan() {
        hx
    } else {
        hx.max(hy)
    };
    if div == 0.0 {
        0.0
    } else {
        (a.hxy - hxy1) / div
    }
}

/// Imc2: `sqrt(1 - e^(-2 (HXY2 - HXY)))`, with
/// `HXY2 = -sum p_x(i) p_y(j) log2(p_x(i) p_y(j) + eps)`; 0 when `HXY2 = HXY`, NaN (skipped
/// by the angle average) when rounding makes `HXY2 < HXY`.
fn imc2(a: &Angle) -> f64 {
    let mut hxy2 = 0.0;
    for &x in &a.px {
        for &y in &a.py {
            let v = x * y;
            hxy2 -= v * (v + EPS).log2();
        }
    }
    if hxy2 == a.hxy {
        return 0.0;
    }
    let base = 1.0 - std::f64::consts::E.powf(-2.0 * (hxy2 - a.hxy));
    if base < 0.0 { f64::NAN } else { base.sqrt() }
}

/// Idm: `sum_{k=0}^{N_g-1} p_{x-y}(k) / (1 + k^2)`.
fn idm(a: &Angle) -> f64 {
    a.sum_diff(|k| 1.0 / (1.0 + k * k))
}

/// Idmn: `sum_{k=0}^{N_g-1} p_{x-y}(k) / (1 + k^2 / N_g^2)`.
fn idmn(a: &Angle) -> f64 {
    a.sum_diff(|k| 1.0 / (1.0 + (k * k) / (a.ng * a.ng)))
}

/// Id: `sum_{k=0}^{N_g-1} p_{x-y}(k) / (1 + k)`.
fn id(a: &Angle) -> f64 {
    a.sum_diff(|k| 1.0 / (1.0 + k))
}

/// Idn: `sum_{k=0}^{N_g-1} p_{x-y}(k) / (1 + k / N_g)`.
fn idn(a: &Angle) -> f64 {
    a.sum_diff(|k| 1.0 / (1.0 + k / a.ng))
}

/// InverseVariance: `sum_{k=1}^{N_g-1} p_{x-y}(k) / k^2`.
fn inverse_variance(a: &Angle) -> f64 {
    a.p_diff
        .iter()
        .enumerate()
        .skip(1)
        .map(|(k, &v)| v / (k as f64).powi(2))
        .sum()
}

/// MaximumProbability: `max p(i,j)` (NaN if any entry is NaN, as `numpy.amax`).
fn maximum_probability(a: &Angle) -> f64 {
    numpy_sum::max(a.p.iter().copied())
}

/// SumAverage: `sum_{k=2}^{2N_g} p_{x+y}(k) k`.
fn sum_average(a: &Angle) -> f64 {
    a.p_sum
        .iter()
        .enumerate()
        .map(|(k, &v)| (k + 2) as f64 * v)
        .sum()
}

/// SumEntropy: `-sum_{k=2}^{2N_g} p_{x+y}(k) log2(p_{x+y}(k) + eps)`.
fn sum_entropy(a: &Angle) -> f64 {
    entropy(a.p_sum.iter().copied())
}

/// SumSquares: `sum_{i,j} (i - mu_x)^2 p(i,j)`.
fn sum_squares(a: &Angle) -> f64 {
    a.sum_p(|i, _| (i - a.ux).powi(2))
}

/// The eigenvalue MCC takes from one angle, as numpy would return it: the second largest
/// eigenvalue of `Q(i, j) = sum_k p(i,k) p(j,k) / (p_x(i) p_y(k) + eps)`, and whether any
/// eigenvalue of `Q` is complex.
///
/// Up to [`DLAHQR_MAX_ORDER`] grey levels the eigenvalues are computed as LAPACK computes them
/// there ([`eigenvalues`]), so that rounding noise comes out as in numpy as far as possible.
/// Larger matrices LAPACK hands to its multishift QR, whose rounding depends on its BLAS
/// kernels; for them, and where the small-matrix QR iteration does not converge (which also
/// depends on rounding noise, and where numpy has been seen to converge to these values), the
/// eigenvalues are those of the symmetric matrix `Q` is similar to ([`similar_symmetric`]),
/// block by block: several times faster, and the same values to rounding.
fn mcc_eigenvalue(a: &Angle) -> SecondEigenvalue {
    let n = a.n();
    let general = if n <= DLAHQR_MAX_ORDER {
        eigenvalues(mcc_matrix(a.p, &a.px, &a.py), n)
    } else {
        None
    };
    let mut w = general.unwrap_or_else(|| {
        let s = similar_symmetric(mcc_matrix(a.p, &a.px, &a.py), &a.px);
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
fn mcc_matrix(p: &[f64], px: &[f64], py: &[f64]) -> Vec<f64> {
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

/// MCC: `sqrt(second largest eigenvalue of Q)`,
/// `Q(i, j) = sum_k p(i,k) p(j,k) / (p_x(i) p_y(k) + eps)`; 1 for a flat region (one grey
/// level).
///
/// As `numpy.linalg.eigvals` on the stack of angles: when any eigenvalue of any angle is complex,
/// the whole stack is, so the square roots are complex and their real parts are averaged (a
/// negative eigenvalue gives 0); otherwise a negative eigenvalue gives NaN, which the average
/// skips.
fn mcc(m: &GlcmMatrix, angles: &[Angle]) -> Feature {
    if m.p.iter().any(|v| v.is_nan()) {
        return Feature::new("MCC", f64::NAN); // numpy.linalg.eigvals refuses non-finite input
    }
    if m.size() < 2 {
        return Feature::integral("MCC", 1); // PyRadiomics' Python int
    }
    Feature::new("MCC", mcc_value(angles))
}

/// [`mcc`] of a finite matrix of at least two grey levels.
fn mcc_value(angles: &[Angle]) -> f64 {
    let second: Vec<SecondEigenvalue> = angles.par_iter().map(mcc_eigenvalue).collect();
    mean_square_root(&second)
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

/// Mean of all values, NaN if any is NaN or there are none (`numpy.mean`).
fn mean(values: impl IntoIterator<Item = f64>) -> f64 {
    let (sum, count) = values
        .into_iter()
        .fold((0.0, 0usize), |(s, c), v| (s + v, c + 1));
    if count == 0 {
        f64::NAN
    } else {
        sum / count as f64
    }
}

type AngleFeature = fn(&Angle) -> f64;

/// The features averaged with `nanmean`, in PyRadiomics' (alphabetical) order, MCC excluded.
const NANMEAN_FEATURES: [(&str, AngleFeature); 22] = [
    ("Autocorrelation", autocorrelation),
    ("ClusterProminence", cluster_prominence),
    ("ClusterShade", cluster_shade),
    ("ClusterTendency", cluster_tendency),
    ("Contrast", contrast),
    ("Correlation", correlation),
    ("DifferenceAverage", difference_average),
    ("DifferenceEntropy", difference_entropy),
    ("DifferenceVariance", difference_variance),
    ("Id", id),
    ("Idm", idm),
    ("Idmn", idmn),
    ("Idn", idn),
    ("Imc1", imc1),
    ("Imc2", imc2),
    ("InverseVariance", inverse_variance),
    ("JointEnergy", joint_energy),
    ("JointEntropy", joint_entropy),
    ("MaximumProbability", maximum_probability),
    ("SumAverage", sum_average),
    ("SumEntropy", sum_entropy),
    ("SumSquares", sum_squares),
];

/// Every GLCM feature PyRadiomics computes, in its order (alphabetical by name). Errors when the
/// grey levels do not fit in memory.
pub fn compute(m: &GlcmMatrix) -> Result<Vec<Feature>> {
    let angles: Vec<Angle> = (0..m.n_angles)
        .map(|a| Angle::new(m.angle(a), &m.gray_levels, m.ng))
        .collect::<Result<_>>()?;
    let mut features: Vec<Feature> = NANMEAN_FEATURES
        .iter()
        .map(|&(name, f)| Feature::new(name, nanmean(angles.iter().map(f))))
        .collect();
    features.push(Feature::new(
        "JointAverage",
        mean(angles.iter().map(joint_average)),
    ));
    features.push(mcc(m, &angles));
    features.sort_by(|a, b| a.name.cmp(b.name));
    Ok(features)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn single_level(p: f64, n_angles: usize) -> GlcmMatrix {
        GlcmMatrix {
            p: vec![p; n_angles],
            gray_levels: vec![1.0],
            n_angles,
            ng: 1,
        }
    }

    fn value(features: &[Feature], name: &str) -> f64 {
        features.iter().find(|f| f.name == name).unwrap().value
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
        let total: f64 = counts.iter().sum();
        let p: Vec<f64> = counts.iter().map(|c| c / total).collect();
        let g: Vec<f64> = (1..=39).map(f64::from).collect();
        let angle = Angle::new(&p, &g, 39).expect("small tables");
        assert!(eigenvalues(mcc_matrix(&p, &angle.px, &angle.py), n).is_none());
        let (re, im) = mcc_eigenvalue(&angle).value;
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
        let total: f64 = counts.iter().sum();
        counts.iter().map(|c| c / total).collect()
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
            let g: Vec<f64> = (1..=n).map(|l| l as f64).collect();
            let angle = Angle::new(&p, &g, n as u32).expect("small tables");
            let (re, im) = mcc_eigenvalue(&angle).value;
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
        let counts = [
            3.0, 1.0, 0.0, 2.0, 0.0, 5.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 4.0, 2.0, 0.0, 7.0,
        ];
        let total: f64 = counts.iter().sum();
        let p: Vec<f64> = counts.iter().map(|c| c / total).collect();
        let g = [1.0, 2.0, 3.0, 4.0];
        let angle = Angle::new(&p, &g, 4).expect("small tables");
        let q = mcc_matrix(&p, &angle.px, &angle.py);
        let mut general: Vec<f64> = eigenvalues(q.clone(), n)
            .unwrap()
            .iter()
            .map(|w| w.0)
            .collect();
        let mut symmetric = symmetric_eigenvalues(similar_symmetric(q, &angle.px), n);
        general.sort_by(f64::total_cmp);
        symmetric.sort_by(f64::total_cmp);
        for (a, b) in general.iter().zip(&symmetric) {
            assert!((a - b).abs() < 1e-14, "{general:?} vs {symmetric:?}");
        }
        assert!(symmetric[3] > symmetric[2] && symmetric[2] > 1e-3);
    }

    #[test]
    fn flat_region_takes_pyradiomics_defaults() {
        let f = compute(&single_level(1.0, 13)).expect("GLCM features");
        assert_eq!(f.len(), 24);
        assert_eq!(value(&f, "Correlation"), 1.0);
        assert_eq!(value(&f, "Imc1"), 0.0);
        assert_eq!(value(&f, "Imc2"), 0.0);
        assert_eq!(value(&f, "MCC"), 1.0);
        // PyRadiomics returns this MCC as the Python int 1.
        assert!(f.iter().filter(|f| f.integral).map(|f| f.name).eq(["MCC"]));
        assert_eq!(value(&f, "Idmn"), 1.0);
        assert_eq!(value(&f, "JointAverage"), 1.0);
        assert_eq!(value(&f, "SumAverage"), 2.0);
    }

    #[test]
    fn empty_single_angle_gives_nan() {
        let f = compute(&single_level(f64::NAN, 1)).expect("GLCM features");
        // InverseVariance sums over k >= 1 only, which is empty for one grey level.
        assert!(
            f.iter()
                .all(|f| f.value.is_nan() == (f.name != "InverseVariance")),
            "{f:?}"
        );
    }

    #[test]
    fn order_is_alphabetical_like_pyradiomics() {
        let f = compute(&single_level(1.0, 1)).expect("GLCM features");
        let names: Vec<&str> = f.iter().map(|f| f.name).collect();
        assert_eq!(&names[9..14], &["Id", "Idm", "Idmn", "Idn", "Imc1"]);
        assert_eq!(&names[19..21], &["MCC", "MaximumProbability"]);
    }
}
