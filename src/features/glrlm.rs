//! GLRLM features (PyRadiomics' `glrlm` class), computed per angle and averaged over the angles
//! with `nanmean`, exactly as PyRadiomics 3.1.
//!
//! Notation: `P(i, j)` the run-length matrix of one angle (runs of grey level `i` and length
//! `j`), `N_r = sum P(i, j)` its number of runs, `p(i, j) = P(i, j) / N_r`,
//! `N_p = sum P(i, j) j` the number of voxels in runs, `eps` the machine epsilon.

use super::Feature;
use super::nanmean::nanmean;
use super::table::{FeatureDef, evaluate};
use crate::matrices::glrlm::GlrlmMatrix;

/// The quantities of one angle's matrix that the features share.
pub struct Angle<'a> {
    /// `P(i, j)`, row-major (grey level, run length).
    p: &'a [f64],
    /// Grey level of each row.
    i: &'a [f64],
    /// Run length of each column.
    j: &'a [f64],
    /// `N_r`; NaN for an empty angle.
    nr: f64,
    /// `sum_j P(i, j)` per grey level.
    pg: Vec<f64>,
    /// `sum_i P(i, j)` per run length.
    pr: Vec<f64>,
}

impl<'a> Angle<'a> {
    fn new(p: &'a [f64], i: &'a [f64], j: &'a [f64]) -> Self {
        let n_runs = j.len();
        let mut pg = vec![0.0; i.len()];
        let mut pr = vec![0.0; n_runs];
        let mut nr = 0.0;
        for (row, g) in p.chunks_exact(n_runs.max(1)).zip(pg.iter_mut()) {
            for (&v, r) in row.iter().zip(pr.iter_mut()) {
                *g += v;
                *r += v;
                nr += v;
            }
        }
        Angle {
            p,
            i,
            j,
            nr: if nr == 0.0 { f64::NAN } else { nr },
            pg,
            pr,
        }
    }

    /// `sum_{i,j} f(P(i, j), i, j) / N_r`.
    fn emphasis(&self, f: impl Fn(f64, f64, f64) -> f64) -> f64 {
        let n_runs = self.j.len();
        let mut s = 0.0;
        for (row, &i) in self.p.chunks_exact(n_runs.max(1)).zip(self.i) {
            for (&v, &j) in row.iter().zip(self.j) {
                s += f(v, i, j);
            }
        }
        s / self.nr
    }
}

/// Weighted variance `sum p_k (x_k - mu)^2`, `p_k = counts_k / N_r`, `mu = sum p_k x_k`.
fn variance(counts: &[f64], x: &[f64], nr: f64) -> f64 {
    let mu: f64 = counts.iter().zip(x).map(|(c, x)| c / nr * x).sum();
    counts
        .iter()
        .zip(x)
        .map(|(c, x)| c / nr * (x - mu).powi(2))
        .sum()
}

/// ShortRunEmphasis: `sum_{i,j} P(i,j) / j^2 / N_r`.
fn short_run_emphasis(a: &Angle) -> f64 {
    a.pr.iter().zip(a.j).map(|(p, j)| p / (j * j)).sum::<f64>() / a.nr
}

/// LongRunEmphasis: `sum_{i,j} P(i,j) j^2 / N_r`.
fn long_run_emphasis(a: &Angle) -> f64 {
    a.pr.iter().zip(a.j).map(|(p, j)| p * (j * j)).sum::<f64>() / a.nr
}

/// GrayLevelNonUniformity: `sum_i (sum_j P(i,j))^2 / N_r`.
fn gray_level_non_uniformity(a: &Angle) -> f64 {
    a.pg.iter().map(|p| p * p).sum::<f64>() / a.nr
}

/// GrayLevelNonUniformityNormalized: `sum_i (sum_j P(i,j))^2 / N_r^2`.
fn gray_level_non_uniformity_normalized(a: &Angle) -> f64 {
    a.pg.iter().map(|p| p * p).sum::<f64>() / (a.nr * a.nr)
}

/// RunLengthNonUniformity: `sum_j (sum_i P(i,j))^2 / N_r`.
fn run_length_non_uniformity(a: &Angle) -> f64 {
    a.pr.iter().map(|p| p * p).sum::<f64>() / a.nr
}

/// RunLengthNonUniformityNormalized: `sum_j (sum_i P(i,j))^2 / N_r^2`.
fn run_length_non_uniformity_normalized(a: &Angle) -> f64 {
    a.pr.iter().map(|p| p * p).sum::<f64>() / (a.nr * a.nr)
}

/// RunPercentage: `N_r / N_p`, `N_p = sum_{i,j} P(i,j) j` (with weighting, `N_p` counts each
/// voxel once per merged angle).
fn run_percentage(a: &Angle) -> f64 {
    let np: f64 = a.pr.iter().zip(a.j).map(|(p, j)| p * j).sum();
    a.nr / np
}

/// GrayLevelVariance: `sum_{i,j} p(i,j) (i - mu)^2`, `mu = sum_{i,j} p(i,j) i`.
fn gray_level_variance(a: &Angle) -> f64 {
    variance(&a.pg, a.i, a.nr)
}

/// RunVariance: `sum_{i,j} p(i,j) (j - mu)^2`, `mu = sum_{i,j} p(i,j) j`.
fn run_variance(a: &Angle) -> f64 {
    variance(&a.pr, a.j, a.nr)
}

/// RunEntropy: `-sum_{i,j} p(i,j) log2(p(i,j) + eps)`.
fn run_entropy(a: &Angle) -> f64 {
    a.p.iter()
        .map(|&v| {
            let p = v / a.nr;
            -(p * (p + f64::EPSILON).log2())
        })
        .sum()
}

/// LowGrayLevelRunEmphasis: `sum_{i,j} P(i,j) / i^2 / N_r`.
fn low_gray_level_run_emphasis(a: &Angle) -> f64 {
    a.pg.iter().zip(a.i).map(|(p, i)| p / (i * i)).sum::<f64>() / a.nr
}

/// HighGrayLevelRunEmphasis: `sum_{i,j} P(i,j) i^2 / N_r`.
fn high_gray_level_run_emphasis(a: &Angle) -> f64 {
    a.pg.iter().zip(a.i).map(|(p, i)| p * (i * i)).sum::<f64>() / a.nr
}

/// ShortRunLowGrayLevelEmphasis: `sum_{i,j} P(i,j) / (i^2 j^2) / N_r`.
fn short_run_low_gray_level_emphasis(a: &Angle) -> f64 {
    a.emphasis(|p, i, j| p / ((i * i) * (j * j)))
}

/// ShortRunHighGrayLevelEmphasis: `sum_{i,j} P(i,j) i^2 / j^2 / N_r`.
fn short_run_high_gray_level_emphasis(a: &Angle) -> f64 {
    a.emphasis(|p, i, j| p * (i * i) / (j * j))
}

/// LongRunLowGrayLevelEmphasis: `sum_{i,j} P(i,j) j^2 / i^2 / N_r`.
fn long_run_low_gray_level_emphasis(a: &Angle) -> f64 {
    a.emphasis(|p, i, j| p * (j * j) / (i * i))
}

/// LongRunHighGrayLevelEmphasis: `sum_{i,j} P(i,j) i^2 j^2 / N_r`.
fn long_run_high_gray_level_emphasis(a: &Angle) -> f64 {
    a.emphasis(|p, i, j| p * ((j * j) * (i * i)))
}

/// A GLRLM formula, on one angle (averaged over the angles with `nanmean`).
type AngleFeature = fn(&Angle) -> f64;

/// The GLRLM features, in PyRadiomics' order.
pub static FEATURES: [FeatureDef<AngleFeature>; 16] = [
    FeatureDef::new("GrayLevelNonUniformity", gray_level_non_uniformity),
    FeatureDef::new(
        "GrayLevelNonUniformityNormalized",
        gray_level_non_uniformity_normalized,
    ),
    FeatureDef::new("GrayLevelVariance", gray_level_variance),
    FeatureDef::new("HighGrayLevelRunEmphasis", high_gray_level_run_emphasis),
    FeatureDef::new("LongRunEmphasis", long_run_emphasis),
    FeatureDef::new(
        "LongRunHighGrayLevelEmphasis",
        long_run_high_gray_level_emphasis,
    ),
    FeatureDef::new(
        "LongRunLowGrayLevelEmphasis",
        long_run_low_gray_level_emphasis,
    ),
    FeatureDef::new("LowGrayLevelRunEmphasis", low_gray_level_run_emphasis),
    FeatureDef::new("RunEntropy", run_entropy),
    FeatureDef::new("RunLengthNonUniformity", run_length_non_uniformity),
    FeatureDef::new(
        "RunLengthNonUniformityNormalized",
        run_length_non_uniformity_normalized,
    ),
    FeatureDef::new("RunPercentage", run_percentage),
    FeatureDef::new("RunVariance", run_variance),
    FeatureDef::new("ShortRunEmphasis", short_run_emphasis),
    FeatureDef::new(
        "ShortRunHighGrayLevelEmphasis",
        short_run_high_gray_level_emphasis,
    ),
    FeatureDef::new(
        "ShortRunLowGrayLevelEmphasis",
        short_run_low_gray_level_emphasis,
    ),
];

/// Every GLRLM feature, in PyRadiomics' order (alphabetical by name).
pub fn compute(m: &GlrlmMatrix) -> Vec<Feature> {
    let angles: Vec<Angle> = (0..m.n_angles)
        .map(|a| Angle::new(m.angle(a), &m.gray_levels, &m.run_lengths))
        .collect();
    evaluate(&FEATURES, false, |f| nanmean(angles.iter().map(f)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_row_of_runs() {
        // runs (1, 2), (3, 3), (1, 1): N_r = 3, N_p = 6
        let m = GlrlmMatrix {
            p: vec![1.0, 1.0, 0.0, 0.0, 0.0, 1.0],
            gray_levels: vec![1.0, 3.0],
            run_lengths: vec![1.0, 2.0, 3.0],
            n_angles: 1,
        };
        let f = compute(&m);
        let value = |name: &str| f.iter().find(|f| f.name == name).unwrap().value;
        assert_eq!(value("RunPercentage"), 0.5);
        assert_eq!(value("LongRunEmphasis"), (1.0 + 4.0 + 9.0) / 3.0);
        assert_eq!(value("GrayLevelNonUniformity"), (4.0 + 1.0) / 3.0);
        assert!((value("RunEntropy") - 3f64.log2()).abs() < 1e-12);
    }

    #[test]
    fn no_angles_gives_nan() {
        let m = GlrlmMatrix {
            p: Vec::new(),
            gray_levels: vec![1.0],
            run_lengths: Vec::new(),
            n_angles: 0,
        };
        assert!(compute(&m).iter().all(|f| f.value.is_nan()));
    }
}
