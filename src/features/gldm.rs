//! Grey Level Dependence Matrix features (PyRadiomics `gldm`), on a [`GldmMatrix`].
//!
//! Notation: `P(i, j)` voxels of grey level `i` with dependence size `j` (dependent neighbours
//! + 1); `N_z = Σ P(i, j)` = ROI voxels (1 if none); `p_g(i) = Σ_j P(i, j)`, `p_d(j) = Σ_i P(i, j)`.
//!
//! PyRadiomics' deprecated GLDM features (`GrayLevelNonUniformityNormalized`,
//! `DependencePercentage`) produce no value there (they raise a `DeprecationWarning` that is only
//! logged), so they are not computed here either.

use super::Feature;
use super::size_emphasis::SizeSums;
use crate::matrices::gldm::GldmMatrix;

/// Every GLDM feature of `m`, in PyRadiomics' (alphabetical) order.
pub fn compute(m: &GldmMatrix) -> Vec<Feature> {
    let s = SizeSums::new(m);
    vec![
        Feature::new("DependenceEntropy", s.entropy),
        Feature::new("DependenceNonUniformity", dependence_non_uniformity(&s)),
        Feature::new(
            "DependenceNonUniformityNormalized",
            dependence_non_uniformity_normalized(&s),
        ),
        Feature::new("DependenceVariance", s.size_variance),
        Feature::new("GrayLevelNonUniformity", gray_level_non_uniformity(&s)),
        Feature::new("GrayLevelVariance", s.gray_variance),
        Feature::new("HighGrayLevelEmphasis", high_gray_level_emphasis(&s)),
        Feature::new("LargeDependenceEmphasis", large_dependence_emphasis(&s)),
        Feature::new(
            "LargeDependenceHighGrayLevelEmphasis",
            large_dependence_high_gray_level_emphasis(&s),
        ),
        Feature::new(
            "LargeDependenceLowGrayLevelEmphasis",
            large_dependence_low_gray_level_emphasis(&s),
        ),
        Feature::new("LowGrayLevelEmphasis", low_gray_level_emphasis(&s)),
        Feature::new("SmallDependenceEmphasis", small_dependence_emphasis(&s)),
        Feature::new(
            "SmallDependenceHighGrayLevelEmphasis",
            small_dependence_high_gray_level_emphasis(&s),
        ),
        Feature::new(
            "SmallDependenceLowGrayLevelEmphasis",
            small_dependence_low_gray_level_emphasis(&s),
        ),
    ]
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
