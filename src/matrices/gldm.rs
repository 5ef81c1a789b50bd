//! Grey Level Dependence Matrix as PyRadiomics' `cmatrices.calculate_gldm` + `RadiomicsGLDM`.

use super::Discretized;
use super::neighbours::PaddedRoi;
use super::size_matrix::{SizeMatrix, SizeTally};
use crate::error::Result;
use crate::params::TextureSettings;

/// The GLDM: `P(i, j)` = number of ROI voxels of grey level `i` with `j - 1` dependent neighbours
/// (`sizes` holds `j`, i.e. the dependent-neighbour count plus one).
pub type GldmMatrix = SizeMatrix;

/// Counts, for every ROI voxel, its dependent neighbours: ROI voxels at PyRadiomics'
/// bidirectional angles for `settings.distances` (in-plane under `force2D`) whose grey level
/// differs by at most `settings.gldm_a` (PyRadiomics passes `gldm_a` to C as an integer; integral
/// values compare identically here; its parameter schema only admits integers).
///
/// Fails, as PyRadiomics does, when no neighbour offset fits in the image.
pub fn gldm_matrix(disc: &Discretized, settings: &TextureSettings) -> Result<GldmMatrix> {
    let roi = PaddedRoi::new("GLDM", disc, &settings.distances, settings)?;
    let dependents = dependence_counts(&roi, dependence_limit(settings.gldm_a));
    gldm_from_counts(disc, &roi, &dependents)
}

/// The largest grey-level difference of a dependent neighbour for `alpha` (`gldm_a`):
/// `|i - j| <= alpha` for integer grey levels is `|i - j| <= floor(alpha)`; -1 (never) when
/// alpha is negative or NaN.
pub fn dependence_limit(alpha: f64) -> i64 {
    if alpha >= 0.0 {
        alpha.floor() as i64
    } else {
        -1
    }
}

/// Per ROI voxel (in `roi.roi` order), its dependent neighbours: ROI neighbours whose grey level
/// differs by at most `max_diff` ([`dependence_limit`]).
pub fn dependence_counts(roi: &PaddedRoi, max_diff: i64) -> Vec<u32> {
    roi.roi
        .iter()
        .map(|&i| {
            let level = roi.levels[i];
            // Without branches: whether a neighbour counts is as good as random.
            let mut dependent = 0;
            for j in roi.neighbours(i) {
                dependent += u32::from(
                    roi.in_roi[j] & (i64::from(level.abs_diff(roi.levels[j])) <= max_diff),
                );
            }
            dependent
        })
        .collect()
}

/// The GLDM from [`dependence_counts`]: voxel of grey level `i` with `d` dependent neighbours
/// counts in `P(i, d + 1)`.
pub fn gldm_from_counts(
    disc: &Discretized,
    roi: &PaddedRoi,
    dependents: &[u32],
) -> Result<GldmMatrix> {
    let mut tally = SizeTally::new(disc, roi.neighbour_count() + 1, "gldm")?;
    for (&i, &dependent) in roi.roi.iter().zip(dependents) {
        tally.add(roi.levels[i], dependent as usize + 1);
    }
    Ok(tally.finish())
}

#[cfg(test)]
mod tests {
    use ndarray::Array3;

    use super::*;
    use crate::image::PixelType;
    use crate::matrices::discretize;

    #[test]
    fn dependence_counts_neighbours_within_alpha() {
        // A row of grey levels 1, 2, 4 (bin width 1 from 0.5, 1.5, 3.5).
        let image = Array3::from_shape_vec((1, 1, 3), vec![0.5, 1.5, 3.5]).unwrap();
        let mask = image.mapv(|_| true);
        let mut settings = TextureSettings {
            bin_width: 1.0,
            ..TextureSettings::default()
        };
        let d = discretize(&image, &mask, &settings, PixelType::F64).unwrap();
        assert_eq!(d.gray_levels, vec![1, 2, 4]);
        // alpha 0: nobody depends on anybody -> every voxel has dependence size 1.
        let m = gldm_matrix(&d, &settings).unwrap();
        assert_eq!(m.sizes, vec![1.0]);
        assert_eq!(m.counts.as_slice().unwrap(), &[1.0, 1.0, 1.0]);
        // alpha 1: 1 and 2 depend on each other; 4 stays alone.
        settings.gldm_a = 1.0;
        let m = gldm_matrix(&d, &settings).unwrap();
        assert_eq!(m.sizes, vec![1.0, 2.0]);
        assert_eq!(
            m.counts.as_slice().unwrap(),
            &[0.0, 1.0, 0.0, 1.0, 1.0, 0.0]
        );
        // alpha 2: the middle voxel depends on both neighbours.
        settings.gldm_a = 2.0;
        let m = gldm_matrix(&d, &settings).unwrap();
        assert_eq!(m.sizes, vec![2.0, 3.0]);
        assert_eq!(
            m.counts.as_slice().unwrap(),
            &[1.0, 0.0, 0.0, 1.0, 1.0, 0.0]
        );
    }
}
