//! Grey Level Dependence Matrix features (PyRadiomics `gldm`), on a [`GldmMatrix`].
//!
//! Notation: `P(i, j)` voxels of grey level `i` with dependence size `j` (dependent neighbours
//! + 1); `N_z = Σ P(i, j)` = ROI voxels (1 if none); `p_g(i) = Σ_j P(i, j)`, `p_d(j) = Σ_i P(i, j)`.
//!
//! PyRadiomics' deprecated GLDM features (`GrayLevelNonUniformityNormalized`,
//! `DependencePercentage`) produce no value there (they raise a `DeprecationWarning` that is only
//! logged), so they have no formula here either.

use super::Feature;
use super::size_emphasis::SizeSums;
use super::table::{FeatureDef, evaluate};
use crate::matrices::gldm::GldmMatrix;

/// A GLDM formula.
type Formula = fn(&SizeSums) -> f64;

/// The GLDM features, in PyRadiomics' order.
pub static FEATURES: [FeatureDef<Formula>; 16] = [
    FeatureDef::new("DependenceEntropy", dependence_entropy),
    FeatureDef::new("DependenceNonUniformity", dependence_non_uniformity),
    FeatureDef::new(
        "DependenceNonUniformityNormalized",
        dependence_non_uniformity_normalized,
    ),
    FeatureDef::without_value("DependencePercentage"),
    FeatureDef::new("DependenceVariance", dependence_variance),
    FeatureDef::new("GrayLevelNonUniformity", gray_level_non_uniformity),
    FeatureDef::without_value("GrayLevelNonUniformityNormalized"),
    FeatureDef::new("GrayLevelVariance", gray_level_variance),
    FeatureDef::new("HighGrayLevelEmphasis", high_gray_level_emphasis),
    FeatureDef::new("LargeDependenceEmphasis", large_dependence_emphasis),
    FeatureDef::new(
        "LargeDependenceHighGrayLevelEmphasis",
        large_dependence_high_gray_level_emphasis,
    ),
    FeatureDef::new(
        "LargeDependenceLowGrayLevelEmphasis",
        large_dependence_low_gray_level_emphasis,
    ),
    FeatureDef::new("LowGrayLevelEmphasis", low_gray_level_emphasis),
    FeatureDef::new("SmallDependenceEmphasis", small_dependence_emphasis),
    FeatureDef::new(
        "SmallDependenceHighGrayLevelEmphasis",
        small_dependence_high_gray_level_emphasis,
    ),
    FeatureDef::new(
        "SmallDependenceLowGrayLevelEmphasis",
        small_dependence_low_gray_level_emphasis,
    ),
];

/// Every GLDM feature of `m` that has a value, in PyRadiomics' order.
pub fn compute(m: &GldmMatrix) -> Vec<Feature> {
    let s = SizeSums::new(m);
    evaluate(&FEATURES, false, |f| f(&s))
}

/// `DependenceEntropy = -Σ p(i, j) log2(p(i, j) + ε)`, `p = P / N_z`, `ε` the machine epsilon.
pub fn dependence_entropy(s: &SizeSums) -> f64 {
    s.entropy
}

/// `DependenceVariance = Σ_j p(j) (j - μ)²`, `p(j) = p_d(j) / N_z`, `μ = Σ_j p(j) j`.
pub fn dependence_variance(s: &SizeSums) -> f64 {
    s.size_variance
}

/// `GrayLevelVariance = Σ_i p(i) (i - μ)²`, `p(i) = p_g(i) / N_z`, `μ = Σ_i p(i) i`.
pub fn gray_level_variance(s: &SizeSums) -> f64 {
    s.gray_variance
}

/// `SmallDependenceEmphasis = Σ_j p_d(j) / j² / N_z`.
pub fn small_dependence_emphasis(s: &SizeSums) -> f64 {
    s.small / s.nz
}

/// `LargeDependenceEmphasis = Σ_j p_d(j) j² / N_z`.
pub fn large_dependence_emphasis(s: &SizeSums) -> f64 {
    s.large / s.nz
}

/// `GrayLevelNonUniformity = Σ_i p_g(i)² / N_z`.
pub fn gray_level_non_uniformity(s: &SizeSums) -> f64 {
    s.gray_nonuniformity / s.nz
}

/// `DependenceNonUniformity = Σ_j p_d(j)² / N_z`.
pub fn dependence_non_uniformity(s: &SizeSums) -> f64 {
    s.size_nonuniformity / s.nz
}

/// `DependenceNonUniformityNormalized = Σ_j p_d(j)² / N_z²`.
pub fn dependence_non_uniformity_normalized(s: &SizeSums) -> f64 {
    s.size_nonuniformity / (s.nz * s.nz)
}

/// `LowGrayLevelEmphasis = Σ_i p_g(i) / i² / N_z`.
pub fn low_gray_level_emphasis(s: &SizeSums) -> f64 {
    s.low_gray / s.nz
}

/// `HighGrayLevelEmphasis = Σ_i p_g(i) i² / N_z`.
pub fn high_gray_level_emphasis(s: &SizeSums) -> f64 {
    s.high_gray / s.nz
}

/// `SmallDependenceLowGrayLevelEmphasis = Σ P(i, j) / (i² j²) / N_z`.
pub fn small_dependence_low_gray_level_emphasis(s: &SizeSums) -> f64 {
    s.small_low / s.nz
}

/// `SmallDependenceHighGrayLevelEmphasis = Σ P(i, j) i² / j² / N_z`.
pub fn small_dependence_high_gray_level_emphasis(s: &SizeSums) -> f64 {
    s.small_high / s.nz
}

/// `LargeDependenceLowGrayLevelEmphasis = Σ P(i, j) j² / i² / N_z`.
pub fn large_dependence_low_gray_level_emphasis(s: &SizeSums) -> f64 {
    s.large_low / s.nz
}

/// `LargeDependenceHighGrayLevelEmphasis = Σ P(i, j) i² j² / N_z`.
pub fn large_dependence_high_gray_level_emphasis(s: &SizeSums) -> f64 {
    s.large_high / s.nz
}
