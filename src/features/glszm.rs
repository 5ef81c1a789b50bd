//! Grey Level Size Zone Matrix features (PyRadiomics `glszm`), on a [`GlszmMatrix`].
//!
//! Notation: `P(i, j)` zones of grey level `i` and size `j`; `N_z = Σ P(i, j)` zones (1 if none),
//! `N_p` ROI voxels; `p_g(i) = Σ_j P(i, j)`, `p_s(j) = Σ_i P(i, j)`.

use super::Feature;
use super::size_emphasis::SizeSums;
use super::table::{FeatureDef, evaluate};
use crate::matrices::glszm::GlszmMatrix;

/// A GLSZM formula.
#[derive(Clone, Copy)]
pub enum Formula {
    /// A formula of the matrix's sums.
    Sums(fn(&SizeSums) -> f64),
    /// A formula of the sums and `N_p`, the ROI voxels.
    SumsAndVoxels(fn(&SizeSums, f64) -> f64),
}

use Formula::{Sums, SumsAndVoxels};

/// The GLSZM features, in PyRadiomics' order.
pub static FEATURES: [FeatureDef<Formula>; 16] = [
    FeatureDef::new("GrayLevelNonUniformity", Sums(gray_level_non_uniformity)),
    FeatureDef::new(
        "GrayLevelNonUniformityNormalized",
        Sums(gray_level_non_uniformity_normalized),
    ),
    FeatureDef::new("GrayLevelVariance", Sums(gray_level_variance)),
    FeatureDef::new(
        "HighGrayLevelZoneEmphasis",
        Sums(high_gray_level_zone_emphasis),
    ),
    FeatureDef::new("LargeAreaEmphasis", Sums(large_area_emphasis)),
    FeatureDef::new(
        "LargeAreaHighGrayLevelEmphasis",
        Sums(large_area_high_gray_level_emphasis),
    ),
    FeatureDef::new(
        "LargeAreaLowGrayLevelEmphasis",
        Sums(large_area_low_gray_level_emphasis),
    ),
    FeatureDef::new(
        "LowGrayLevelZoneEmphasis",
        Sums(low_gray_level_zone_emphasis),
    ),
    FeatureDef::new("SizeZoneNonUniformity", Sums(size_zone_non_uniformity)),
    FeatureDef::new(
        "SizeZoneNonUniformityNormalized",
        Sums(size_zone_non_uniformity_normalized),
    ),
    FeatureDef::new("SmallAreaEmphasis", Sums(small_area_emphasis)),
    FeatureDef::new(
        "SmallAreaHighGrayLevelEmphasis",
        Sums(small_area_high_gray_level_emphasis),
    ),
    FeatureDef::new(
        "SmallAreaLowGrayLevelEmphasis",
        Sums(small_area_low_gray_level_emphasis),
    ),
    FeatureDef::new("ZoneEntropy", Sums(zone_entropy)),
    FeatureDef::new("ZonePercentage", SumsAndVoxels(zone_percentage)),
    FeatureDef::new("ZoneVariance", Sums(zone_variance)),
];

/// Every GLSZM feature of `m`, in PyRadiomics' order.
pub fn compute(m: &GlszmMatrix) -> Vec<Feature> {
    let s = SizeSums::new(&m.zones);
    evaluate(&FEATURES, false, |formula| match formula {
        Sums(f) => f(&s),
        SumsAndVoxels(f) => f(&s, m.n_voxels),
    })
}

/// `GrayLevelVariance = Σ_i p(i) (i - μ)²`, `p(i) = p_g(i) / N_z`, `μ = Σ_i p(i) i`.
pub fn gray_level_variance(s: &SizeSums) -> f64 {
    s.gray_variance
}

/// `ZoneVariance = Σ_j p(j) (j - μ)²`, `p(j) = p_s(j) / N_z`, `μ = Σ_j p(j) j`.
pub fn zone_variance(s: &SizeSums) -> f64 {
    s.size_variance
}

/// `ZoneEntropy = -Σ p(i, j) log2(p(i, j) + ε)`, `p = P / N_z`, `ε` the machine epsilon.
pub fn zone_entropy(s: &SizeSums) -> f64 {
    s.entropy
}

/// `SmallAreaEmphasis = Σ_j p_s(j) / j² / N_z`.
pub fn small_area_emphasis(s: &SizeSums) -> f64 {
    s.small / s.nz
}

/// `LargeAreaEmphasis = Σ_j p_s(j) j² / N_z`.
pub fn large_area_emphasis(s: &SizeSums) -> f64 {
    s.large / s.nz
}

/// `GrayLevelNonUniformity = Σ_i p_g(i)² / N_z`.
pub fn gray_level_non_uniformity(s: &SizeSums) -> f64 {
    s.gray_nonuniformity / s.nz
}

/// `GrayLevelNonUniformityNormalized = Σ_i p_g(i)² / N_z²`.
pub fn gray_level_non_uniformity_normalized(s: &SizeSums) -> f64 {
    s.gray_nonuniformity / (s.nz * s.nz)
}

/// `SizeZoneNonUniformity = Σ_j p_s(j)² / N_z`.
pub fn size_zone_non_uniformity(s: &SizeSums) -> f64 {
    s.size_nonuniformity / s.nz
}

/// `SizeZoneNonUniformityNormalized = Σ_j p_s(j)² / N_z²`.
pub fn size_zone_non_uniformity_normalized(s: &SizeSums) -> f64 {
    s.size_nonuniformity / (s.nz * s.nz)
}

/// `ZonePercentage = N_z / N_p`.
pub fn zone_percentage(s: &SizeSums, n_voxels: f64) -> f64 {
    s.nz / n_voxels
}

/// `LowGrayLevelZoneEmphasis = Σ_i p_g(i) / i² / N_z`.
pub fn low_gray_level_zone_emphasis(s: &SizeSums) -> f64 {
    s.low_gray / s.nz
}

/// `HighGrayLevelZoneEmphasis = Σ_i p_g(i) i² / N_z`.
pub fn high_gray_level_zone_emphasis(s: &SizeSums) -> f64 {
    s.high_gray / s.nz
}

/// `SmallAreaLowGrayLevelEmphasis = Σ P(i, j) / (i² j²) / N_z`.
pub fn small_area_low_gray_level_emphasis(s: &SizeSums) -> f64 {
    s.small_low / s.nz
}

/// `SmallAreaHighGrayLevelEmphasis = Σ P(i, j) i² / j² / N_z`.
pub fn small_area_high_gray_level_emphasis(s: &SizeSums) -> f64 {
    s.small_high / s.nz
}

/// `LargeAreaLowGrayLevelEmphasis = Σ P(i, j) j² / i² / N_z`.
pub fn large_area_low_gray_level_emphasis(s: &SizeSums) -> f64 {
    s.large_low / s.nz
}

/// `LargeAreaHighGrayLevelEmphasis = Σ P(i, j) i² j² / N_z`.
pub fn large_area_high_gray_level_emphasis(s: &SizeSums) -> f64 {
    s.large_high / s.nz
}
