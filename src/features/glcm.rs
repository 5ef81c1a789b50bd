//! GLCM features (PyRadiomics' `glcm` class), computed per angle and averaged over the angles
//! with `nanmean`, exactly as PyRadiomics 3.1.
//!
//! Notation: `p(i, j)` the normalised GLCM of one angle, `i, j` grey levels, `N_g` the highest
//! grey level, `p_x(i) = sum_j p(i, j)`, `p_y(j) = sum_i p(i, j)`, `mu_x = sum p(i, j) i`,
//! `mu_y = sum p(i, j) j`, `p_{x+y}(k) = sum_{i+j=k} p(i, j)` (`k = 2..2N_g`),
//! `p_{x-y}(k) = sum_{|i-j|=k} p(i, j)` (`k = 0..N_g-1`), `eps` the machine epsilon,
//! `HXY = -sum p(i, j) log2(p(i, j) + eps)`.
//!
//! PyRadiomics' deprecated GLCM features only raise a DeprecationWarning and yield no value
//! ([`FeatureDef::without_value`]).

use super::Feature;
use super::mcc::{self, AngleMatrix};
use super::nanmean::nanmean;
use super::table::{FeatureDef, evaluate};
use crate::Result;
use crate::matrices::glcm::GlcmMatrix;
use crate::matrices::level_table;
use crate::numpy_sum;

const EPS: f64 = f64::EPSILON;

/// The quantities of one angle's matrix that the features share.
pub struct Angle<'a> {
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

/// The angles of a GLCM, as the whole-matrix formulas read them.
pub struct Glcm<'a> {
    angles: Vec<Angle<'a>>,
    /// Whether no entry of the matrix is NaN.
    finite: bool,
    /// The grey levels present.
    levels: usize,
}

impl Glcm<'_> {
    /// A flat region: one grey level in a finite matrix, where PyRadiomics returns MCC as the
    /// Python int 1.
    fn is_flat(&self) -> bool {
        self.finite && self.levels < 2
    }
}

/// MCC: `sqrt(second largest eigenvalue of Q)`,
/// `Q(i, j) = sum_k p(i,k) p(j,k) / (p_x(i) p_y(k) + eps)`, averaged over the angles
/// ([`mcc::mcc`]); 1 for a flat region (one grey level), NaN when the matrix is not finite
/// (`numpy.linalg.eigvals` refuses it).
fn maximal_correlation_coefficient(g: &Glcm) -> f64 {
    if !g.finite {
        f64::NAN
    } else if g.is_flat() {
        1.0
    } else {
        let angles: Vec<AngleMatrix> = g
            .angles
            .iter()
            .map(|a| AngleMatrix {
                p: a.p,
                px: &a.px,
                py: &a.py,
            })
            .collect();
        mcc::mcc(&angles)
    }
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

/// How a GLCM feature's value comes from the angles.
#[derive(Clone, Copy)]
pub enum Formula {
    /// A formula of one angle, averaged over the angles with `nanmean`.
    NanMean(fn(&Angle) -> f64),
    /// A formula of one angle, averaged over the angles with a plain mean.
    Mean(fn(&Angle) -> f64),
    /// A formula of all angles at once.
    Whole(fn(&Glcm) -> f64),
}

use Formula::{Mean, NanMean, Whole};

/// The GLCM features, in PyRadiomics' order.
pub static FEATURES: [FeatureDef<Formula>; 28] = [
    FeatureDef::new("Autocorrelation", NanMean(autocorrelation)),
    FeatureDef::new("ClusterProminence", NanMean(cluster_prominence)),
    FeatureDef::new("ClusterShade", NanMean(cluster_shade)),
    FeatureDef::new("ClusterTendency", NanMean(cluster_tendency)),
    FeatureDef::new("Contrast", NanMean(contrast)),
    FeatureDef::new("Correlation", NanMean(correlation)),
    FeatureDef::new("DifferenceAverage", NanMean(difference_average)),
    FeatureDef::new("DifferenceEntropy", NanMean(difference_entropy)),
    FeatureDef::new("DifferenceVariance", NanMean(difference_variance)),
    FeatureDef::without_value("Dissimilarity"), // = DifferenceAverage
    FeatureDef::without_value("Homogeneity1"),  // = Id
    FeatureDef::without_value("Homogeneity2"),  // = Idm
    FeatureDef::new("Id", NanMean(id)),
    FeatureDef::new("Idm", NanMean(idm)),
    FeatureDef::new("Idmn", NanMean(idmn)),
    FeatureDef::new("Idn", NanMean(idn)),
    FeatureDef::new("Imc1", NanMean(imc1)),
    FeatureDef::new("Imc2", NanMean(imc2)),
    FeatureDef::new("InverseVariance", NanMean(inverse_variance)),
    FeatureDef::new("JointAverage", Mean(joint_average)),
    FeatureDef::new("JointEnergy", NanMean(joint_energy)),
    FeatureDef::new("JointEntropy", NanMean(joint_entropy)),
    FeatureDef::integer_when_flat("MCC", Whole(maximal_correlation_coefficient)),
    FeatureDef::new("MaximumProbability", NanMean(maximum_probability)),
    FeatureDef::new("SumAverage", NanMean(sum_average)),
    FeatureDef::new("SumEntropy", NanMean(sum_entropy)),
    FeatureDef::new("SumSquares", NanMean(sum_squares)),
    FeatureDef::without_value("SumVariance"), // = ClusterTendency
];

/// Every GLCM feature that has a value, in PyRadiomics' order. Errors when the grey levels do
/// not fit in memory.
pub fn compute(m: &GlcmMatrix) -> Result<Vec<Feature>> {
    let glcm = Glcm {
        angles: (0..m.n_angles)
            .map(|a| Angle::new(m.angle(a), &m.gray_levels, m.ng))
            .collect::<Result<_>>()?,
        finite: !m.p.iter().any(|v| v.is_nan()),
        levels: m.size(),
    };
    Ok(evaluate(
        &FEATURES,
        glcm.is_flat(),
        |formula| match formula {
            NanMean(f) => nanmean(glcm.angles.iter().map(f)),
            Mean(f) => mean(glcm.angles.iter().map(f)),
            Whole(f) => f(&glcm),
        },
    ))
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
