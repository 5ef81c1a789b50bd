//! First-order (intensity histogram) features, as PyRadiomics' `RadiomicsFirstOrder`.
//!
//! Notation: `X` the `N_p` ROI intensities that are not NaN (numpy order), `c` =
//! `voxelArrayShift` (applied to Energy, TotalEnergy and RootMeanSquared only), `X̄` their mean,
//! `p(i)` the fraction of ROI voxels in discretised grey level `i` (the class's own binning), `ε`
//! machine epsilon. Sums are taken in numpy's pairwise order and percentiles with
//! `numpy.nanpercentile`'s linear interpolation.

use ndarray::{Array3, Zip};

use super::Feature;
use super::table::{FeatureDef, evaluate};
use crate::matrices::Discretized;
use crate::numpy_sum::pairwise_sum_by;
use crate::params::TextureSettings;

/// The ROI intensities and the sums the features share. PyRadiomics computes first-order
/// features with numpy's NaN-skipping functions, so NaN intensities (which the binning lets
/// through, see [`crate::matrices::discretize`]) are left out of every value-based feature.
struct Voxels {
    /// All ROI intensities, NaN included, in numpy's order.
    x: Vec<f64>,
    /// The non-NaN intensities, ascending.
    sorted: Vec<f64>,
    /// How many are not NaN.
    n: f64,
    mean: f64,
}

impl Voxels {
    /// The intensities of `image` inside `mask` (same shape), in numpy's C order whatever the
    /// arrays' memory layout, so that sums round as PyRadiomics' do.
    fn new(image: &Array3<f64>, mask: &Array3<bool>) -> Self {
        debug_assert_eq!(image.shape(), mask.shape());
        let x: Vec<f64> = image
            .iter()
            .zip(mask.iter())
            .filter(|&(_, &m)| m)
            .map(|(&v, _)| v)
            .collect();
        let mut sorted: Vec<f64> = x.iter().copied().filter(|v| !v.is_nan()).collect();
        sorted.sort_unstable_by(f64::total_cmp);
        let n = sorted.len() as f64;
        let mean = nansum(&x, |v| v) / n;
        Voxels { x, sorted, n, mean }
    }

    /// `Σ f(x)` over the voxels, see [`nansum`].
    fn sum(&self, f: impl Fn(f64) -> f64) -> f64 {
        nansum(&self.x, f)
    }

    /// The `q`-th central moment, `Σ (x - X̄)^q / N_p` (PyRadiomics' `_moment`, whose
    /// `numpy.power` rounds like `powf`; for `q = 2` that is the plain square).
    fn moment(&self, q: i32) -> f64 {
        match q {
            2 => self.sum(|v| (v - self.mean) * (v - self.mean)) / self.n,
            _ => self.sum(|v| (v - self.mean).powf(f64::from(q))) / self.n,
        }
    }

    /// `numpy.nanpercentile(X, q)` with linear interpolation.
    fn percentile(&self, q: f64) -> f64 {
        let n = self.sorted.len();
        if n == 0 {
            return f64::NAN;
        }
        let virtual_index = (n - 1) as f64 * (q / 100.0);
        let (previous, next) = if virtual_index >= (n - 1) as f64 {
            (n - 1, n - 1)
        } else if virtual_index < 0.0 {
            (0, 0)
        } else {
            let previous = virtual_index.floor() as usize;
            (previous, previous + 1)
        };
        let gamma = virtual_index - previous as f64;
        let (a, b) = (self.sorted[previous], self.sorted[next]);
        let diff = b - a;
        if gamma >= 0.5 {
            b - diff * (1.0 - gamma)
        } else {
            a + diff * gamma
        }
    }
}

/// `Σ f(x)` as `numpy.nansum` adds `f(X)`: in numpy's pairwise order, NaN terms as 0.
fn nansum(x: &[f64], f: impl Fn(f64) -> f64) -> f64 {
    pairwise_sum_by(x.len(), |k| {
        let term = f(x[k]);
        if term.is_nan() { 0.0 } else { term }
    })
}

/// What the formulas read: the ROI intensities and the values several features share.
pub struct Intensities {
    v: Voxels,
    /// `p(i)` of each grey level present.
    p: Vec<f64>,
    /// `Σ (x + c)²`.
    energy: f64,
    /// `μ2`, the second central moment.
    m2: f64,
    /// `P10` and `P90`, the 10th and 90th percentiles.
    p10: f64,
    p90: f64,
    /// The voxel spacing.
    spacing: [f64; 3],
}

/// A first-order formula.
type Formula = fn(&Intensities) -> f64;

/// The first-order features, in PyRadiomics' order.
pub static FEATURES: [FeatureDef<Formula>; 19] = [
    FeatureDef::new("10Percentile", percentile_10),
    FeatureDef::new("90Percentile", percentile_90),
    FeatureDef::new("Energy", energy),
    FeatureDef::new("Entropy", entropy),
    FeatureDef::new("InterquartileRange", interquartile_range),
    FeatureDef::new("Kurtosis", kurtosis),
    FeatureDef::new("Maximum", maximum),
    FeatureDef::new("MeanAbsoluteDeviation", mean_absolute_deviation),
    FeatureDef::new("Mean", mean),
    FeatureDef::new("Median", median),
    FeatureDef::new("Minimum", minimum),
    FeatureDef::new("Range", range),
    FeatureDef::new(
        "RobustMeanAbsoluteDeviation",
        robust_mean_absolute_deviation,
    ),
    FeatureDef::new("RootMeanSquared", root_mean_squared),
    FeatureDef::new("Skewness", skewness),
    FeatureDef::deprecated("StandardDeviation", standard_deviation),
    FeatureDef::new("TotalEnergy", total_energy),
    FeatureDef::new("Uniformity", uniformity),
    FeatureDef::new("Variance", variance),
];

/// Every first-order feature (StandardDeviation, deprecated, included), in PyRadiomics' order.
/// `image` and `mask` are the cropped image and ROI (same shape), `disc` their discretisation
/// with the class's settings, `spacing` the voxel spacing in ITK `(x, y, z)` order.
pub fn compute(
    image: &Array3<f64>,
    mask: &Array3<bool>,
    disc: &Discretized,
    spacing: [f64; 3],
    settings: &TextureSettings,
) -> Vec<Feature> {
    let v = Voxels::new(image, mask);
    let shift = settings.voxel_array_shift;
    let intensities = Intensities {
        p: grey_level_fractions(disc),
        energy: v.sum(|x| (x + shift) * (x + shift)),
        m2: v.moment(2),
        p10: v.percentile(10.0),
        p90: v.percentile(90.0),
        spacing,
        v,
    };
    evaluate(&FEATURES, false, |f| f(&intensities))
}

/// `p(i)`: the fraction of ROI voxels in each discretised grey level present.
fn grey_level_fractions(disc: &Discretized) -> Vec<f64> {
    let mut counts = vec![0.0; disc.ng as usize + 1];
    Zip::from(&disc.levels).and(&disc.mask).for_each(|&l, &m| {
        if m {
            counts[l as usize] += 1.0;
        }
    });
    let present: Vec<f64> = counts.into_iter().filter(|&c| c > 0.0).collect();
    let total = pairwise_sum_by(present.len(), |k| present[k]);
    let total = if total == 0.0 { 1.0 } else { total };
    present.iter().map(|c| c / total).collect()
}

/// `10Percentile = P10`.
fn percentile_10(x: &Intensities) -> f64 {
    x.p10
}

/// `90Percentile = P90`.
fn percentile_90(x: &Intensities) -> f64 {
    x.p90
}

/// `Energy = Σ (x + c)²`.
fn energy(x: &Intensities) -> f64 {
    x.energy
}

/// `TotalEnergy = V_voxel Σ (x + c)²`, `V_voxel` the product of the spacings.
fn total_energy(x: &Intensities) -> f64 {
    let spacing = x.spacing;
    x.energy * (spacing[0] * spacing[1] * spacing[2])
}

/// `Entropy = -Σ_i p(i) log2(p(i) + ε)`.
fn entropy(x: &Intensities) -> f64 {
    let p = &x.p;
    -pairwise_sum_by(p.len(), |k| p[k] * (p[k] + f64::EPSILON).log2())
}

/// `Minimum = min X`.
fn minimum(x: &Intensities) -> f64 {
    x.v.sorted.first().copied().unwrap_or(f64::NAN)
}

/// `Maximum = max X`.
fn maximum(x: &Intensities) -> f64 {
    x.v.sorted.last().copied().unwrap_or(f64::NAN)
}

/// `Range = max X - min X`.
fn range(x: &Intensities) -> f64 {
    maximum(x) - minimum(x)
}

/// `Mean = Σ x / N_p`.
fn mean(x: &Intensities) -> f64 {
    x.v.mean
}

/// `Median`: the middle of the sorted intensities, or the mean of the middle two (`numpy.nanmedian`).
fn median(x: &Intensities) -> f64 {
    let sorted = &x.v.sorted;
    let n = sorted.len();
    match n {
        0 => f64::NAN,
        _ if n % 2 == 1 => sorted[n / 2],
        _ => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    }
}

/// `InterquartileRange = P75 - P25`.
fn interquartile_range(x: &Intensities) -> f64 {
    x.v.percentile(75.0) - x.v.percentile(25.0)
}

/// `MeanAbsoluteDeviation = Σ |x - X̄| / N_p`.
fn mean_absolute_deviation(x: &Intensities) -> f64 {
    let v = &x.v;
    v.sum(|x| (x - v.mean).abs()) / v.n
}

/// `RobustMeanAbsoluteDeviation`: the mean absolute deviation from their mean of the voxels with
/// `P10 ≤ x ≤ P90`.
fn robust_mean_absolute_deviation(x: &Intensities) -> f64 {
    let (v, p10, p90) = (&x.v, x.p10, x.p90);
    let kept = |x: f64| !(x.is_nan() || x - p10 < 0.0 || x - p90 > 0.0);
    let count = v.x.iter().filter(|&&x| kept(x)).count() as f64;
    let mean = v.sum(|x| if kept(x) { x } else { 0.0 }) / count;
    v.sum(|x| if kept(x) { (x - mean).abs() } else { 0.0 }) / count
}

/// `RootMeanSquared = sqrt(Σ (x + c)² / N_p)`, 0 for an empty ROI.
fn root_mean_squared(x: &Intensities) -> f64 {
    if x.v.x.is_empty() {
        0.0
    } else {
        (x.energy / x.v.n).sqrt()
    }
}

/// `Skewness = μ3 / μ2^1.5` with central moments `μk = Σ (x - X̄)^k / N_p` (`μ2 = 0` read as 1).
fn skewness(x: &Intensities) -> f64 {
    let m2 = if x.m2 == 0.0 { 1.0 } else { x.m2 };
    x.v.moment(3) / m2.powf(1.5)
}

/// `Kurtosis = μ4 / μ2²` (`μ2 = 0` read as 1).
fn kurtosis(x: &Intensities) -> f64 {
    let m2 = if x.m2 == 0.0 { 1.0 } else { x.m2 };
    x.v.moment(4) / (m2 * m2)
}

/// `StandardDeviation = sqrt(μ2)` (deprecated in PyRadiomics; `numpy.nanstd`).
fn standard_deviation(x: &Intensities) -> f64 {
    x.m2.sqrt()
}

/// `Variance = μ2`, computed as PyRadiomics does: the square of `numpy.nanstd`, `sqrt(μ2)²`.
fn variance(x: &Intensities) -> f64 {
    standard_deviation(x).powi(2)
}

/// `Uniformity = Σ_i p(i)²`.
fn uniformity(x: &Intensities) -> f64 {
    let p = &x.p;
    pairwise_sum_by(p.len(), |k| p[k] * p[k])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::image::PixelType;
    use crate::matrices::discretize;

    fn features(values: Vec<f64>, mask: Vec<bool>) -> Vec<Feature> {
        let n = values.len();
        let image = Array3::from_shape_vec((1, 1, n), values).unwrap();
        let mask = Array3::from_shape_vec((1, 1, n), mask).unwrap();
        let settings = TextureSettings::default();
        let disc = discretize(&image, &mask, &settings, PixelType::F64).unwrap();
        compute(&image, &mask, &disc, [1.0, 1.0, 2.0], &settings)
    }

    fn value(features: &[Feature], name: &str) -> f64 {
        features.iter().find(|f| f.name == name).unwrap().value
    }

    #[test]
    fn percentiles_interpolate_linearly_like_numpy() {
        let f = features(vec![4.0, 1.0, 3.0, 2.0], vec![true; 4]);
        // numpy.nanpercentile([1, 2, 3, 4], 10) = 1.3, 90 -> 3.7; median 2.5; IQR 3.25 - 1.75.
        assert!((value(&f, "10Percentile") - 1.3).abs() < 1e-12);
        assert!((value(&f, "90Percentile") - 3.7).abs() < 1e-12);
        assert_eq!(value(&f, "Median"), 2.5);
        assert_eq!(value(&f, "InterquartileRange"), 1.5);
        assert_eq!(value(&f, "TotalEnergy"), 60.0);
        // PyRadiomics squares numpy.nanstd: sqrt(1.25)² rounds up.
        assert_eq!(value(&f, "Variance"), 1.2500000000000002);
    }

    #[test]
    fn flat_region_has_zero_skewness_and_kurtosis() {
        let f = features(vec![7.0; 5], vec![true; 5]);
        assert_eq!(value(&f, "Skewness"), 0.0);
        assert_eq!(value(&f, "Kurtosis"), 0.0);
        assert_eq!(value(&f, "Entropy"), -(1.0 + f64::EPSILON).log2());
        assert_eq!(value(&f, "Uniformity"), 1.0);
    }

    #[test]
    fn empty_roi_does_not_panic() {
        let f = features(vec![1.0, 2.0], vec![false, false]);
        assert_eq!(f.len(), 19);
        assert!(value(&f, "Mean").is_nan());
        assert_eq!(value(&f, "RootMeanSquared"), 0.0);
    }
}
