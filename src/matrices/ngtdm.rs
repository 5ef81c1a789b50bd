//! Neighbouring Grey Tone Difference Matrix as PyRadiomics' `cmatrices.calculate_ngtdm` +
//! `RadiomicsNGTDM`.

use super::Discretized;
use super::neighbours::PaddedRoi;
use crate::error::Result;
use crate::params::TextureSettings;

/// The NGTDM, one entry per grey level present in the ROI (ascending).
#[derive(Clone, Debug, PartialEq)]
pub struct NgtdmMatrix {
    /// `n_i`: number of ROI voxels with grey level `i`.
    pub counts: Vec<f64>,
    /// `s_i`: sum over those voxels of `|i - Ā|`, `Ā` the mean grey level of the voxel's ROI
    /// neighbours (0 for a voxel without ROI neighbours).
    pub sums: Vec<f64>,
    /// The grey level `i` of each entry.
    pub gray_levels: Vec<f64>,
}

/// Neighbours are ROI voxels at PyRadiomics' bidirectional angles for `settings.distances`
/// (in-plane under `force2D`). Voxels are visited in numpy order and their differences summed in
/// that order, as cmatrices does.
///
/// Fails, as PyRadiomics does, when no neighbour offset fits in the image.
pub fn ngtdm_matrix(disc: &Discretized, settings: &TextureSettings) -> Result<NgtdmMatrix> {
    let roi = PaddedRoi::new("NGTDM", disc, &settings.distances, settings)?;
    ngtdm_from_counts(&roi, &neighbour_sums(&roi), disc.ng)
}

/// Per ROI voxel (in `roi.roi` order), its neighbours in the ROI: how many, and the sum of their
/// grey levels. Integers, exact whoever computes them.
pub fn neighbour_sums(roi: &PaddedRoi) -> Vec<NeighbourSum> {
    roi.roi
        .iter()
        .map(|&i| {
            // Voxels outside the ROI hold grey level 0, so only the count needs the ROI test,
            // and no branch does.
            let (mut count, mut total) = (0u32, 0u64);
            for j in roi.neighbours(i) {
                count += u32::from(roi.in_roi[j]);
                total += u64::from(roi.levels[j]);
            }
            NeighbourSum { count, total }
        })
        .collect()
}

/// The ROI neighbours of one voxel: how many, and the sum of their grey levels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NeighbourSum {
    /// How many of the voxel's neighbours are in the ROI.
    pub count: u32,
    /// The sum of those neighbours' grey levels.
    pub total: u64,
}

/// The NGTDM from [`neighbour_sums`]: `n_i` counts voxels of grey level `i`; `s_i` sums
/// `|i - total / count|` (0 for a voxel without ROI neighbours) over them, in numpy order, as
/// cmatrices does (its double sums of grey levels are exact, as these integers are).
pub fn ngtdm_from_counts(
    roi: &PaddedRoi,
    sums_of: &[NeighbourSum],
    ng: u32,
) -> Result<NgtdmMatrix> {
    let ng = ng as usize;
    let mut counts: Vec<f64> = super::level_table(ng + 1, "ngtdm")?;
    let mut sums: Vec<f64> = super::level_table(ng + 1, "ngtdm")?;
    for (&i, neighbours) in roi.roi.iter().zip(sums_of) {
        let level = roi.levels[i];
        let diff = if neighbours.count == 0 {
            0.0
        } else {
            f64::from(level) - neighbours.total as f64 / f64::from(neighbours.count)
        };
        counts[level as usize] += 1.0;
        sums[level as usize] += diff.abs();
    }
    let present: Vec<usize> = (1..=ng).filter(|&l| counts[l] != 0.0).collect();
    Ok(NgtdmMatrix {
        counts: present.iter().map(|&l| counts[l]).collect(),
        sums: present.iter().map(|&l| sums[l]).collect(),
        gray_levels: present.iter().map(|&l| l as f64).collect(),
    })
}

#[cfg(test)]
mod tests {
    use ndarray::Array3;

    use super::*;
    use crate::image::PixelType;
    use crate::matrices::discretize;

    #[test]
    fn differences_from_the_neighbour_mean() {
        // Row 1, 2, 4 (grey levels): neighbour means 2, 2.5, 2; |diffs| 1, 0.5, 2.
        let image = Array3::from_shape_vec((1, 1, 3), vec![0.5, 1.5, 3.5]).unwrap();
        let mask = image.mapv(|_| true);
        let settings = TextureSettings {
            bin_width: 1.0,
            ..TextureSettings::default()
        };
        let d = discretize(&image, &mask, &settings, PixelType::F64).unwrap();
        let m = ngtdm_matrix(&d, &settings).unwrap();
        assert_eq!(m.gray_levels, vec![1.0, 2.0, 4.0]);
        assert_eq!(m.counts, vec![1.0, 1.0, 1.0]);
        assert_eq!(m.sums, vec![1.0, 0.5, 2.0]);
    }

    #[test]
    fn isolated_voxels_count_with_zero_difference() {
        let image = Array3::from_shape_vec((1, 1, 3), vec![0.5, 0.5, 3.5]).unwrap();
        let mask = Array3::from_shape_vec((1, 1, 3), vec![true, false, true]).unwrap();
        let settings = TextureSettings {
            bin_width: 1.0,
            ..TextureSettings::default()
        };
        let m = ngtdm_matrix(
            &discretize(&image, &mask, &settings, PixelType::F64).unwrap(),
            &settings,
        )
        .unwrap();
        assert_eq!(m.counts, vec![1.0, 1.0]);
        assert_eq!(m.sums, vec![0.0, 0.0]);
    }

    #[test]
    fn distances_that_fit_nowhere_are_an_error() {
        let image = Array3::from_shape_vec((1, 1, 3), vec![0.5, 1.5, 3.5]).unwrap();
        let mask = image.mapv(|_| true);
        let settings = TextureSettings {
            distances: vec![3],
            ..TextureSettings::default()
        };
        let d = discretize(&image, &mask, &settings, PixelType::F64).unwrap();
        let err = ngtdm_matrix(&d, &settings).unwrap_err().to_string();
        assert!(err.contains("distances [3]"), "{err}");
    }
}
