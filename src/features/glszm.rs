//! Grey Level Size Zone Matrix features (PyRadiomics `glszm`), on a [`GlszmMatrix`].
//!
//! Notation: `P(i, j)` zones of grey level `i` and size `j`; `N_z = Σ P(i, j)` zones (1 if none),
//! `N_p` ROI voxels; `p_g(i) = Σ_j P(i, j)`, `p_s(j) = Σ_i P(i, j)`.

use super::Feature;
use super::size_emphasis::SizeSums;
use crate::matrices::glszm::GlszmMatrix;

/// Every GLSZM feature of `m`, in PyRadiomics' (alphabetical) order.
pub fn compute(m: &GlszmMatrix) -> Vec<Feature> {
    let s = SizeSums::new(&m.zones);
    vec![
        Feature::new("GrayLevelNonUniformity", gray_level_non_uniformity(&s)),
        Feature::new(
            "GrayLevelNonUniformityNormalized",
            gray_level_non_uniformity_normalized(&s),
        ),
        Feature::new("GrayLevelVariance", s.gray_variance),
        Feature::new(
            "HighGrayLevelZoneEmphasis",
            high_gray_level_zone_emphasis(&s),
        ),
        Feature::new("LargeAreaEmphasis", large_area_emphasis(&s)),
        Feature::new(
            "LargeAreaHighGrayLevelEmphasis",
            large_area_high_gray_level_emphasis(&s),
        ),
        Feature::new(
            "LargeAreaLowGrayLevelEmphasis",
            large_area_low_gray_level_emphasis(&s),
        ),
        Feature::new("LowGrayLevelZoneEmphasis", low_gray_level_zone_emphasis(&s)),
        Feature::new("SizeZoneNonUniformity", size_zone_non_uniformity(&s)),
        Feature::new(
            "SizeZoneNonUniformityNormalized",
            size_zone_non_uniformity_normalized(&s),
        ),
        Feature::new("SmallAreaEmphasis", small_area_emphasis(&s)),
        Feature::new(
            "SmallAreaHighGrayLevelEmphasis",
            small_area_high_gray_level_emphasis(&s),
        ),
        Feature::new(
            "SmallAreaLowGrayLevelEmphasis",
            small_area_low_gray_level_emphasis(&s),
        ),
        Feature::new("ZoneEntropy", s.entropy),
        Feature::new("ZonePercentage", zone_percentage(&s, m.n_voxels)),
        Feature::new("ZoneVariance", s.size_variance),
    ]
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
