//! Neighbour lookup by flat step over a margin-padded ROI, shared by the voxel-walking matrices
//! (GLSZM, GLDM, NGTDM).

use super::Discretized;
use super::angles::angles_that_fit;
use crate::error::Result;
use crate::params::TextureSettings;

/// The neighbour offsets of one texture class (PyRadiomics' bidirectional angles).
#[derive(Clone, Debug)]
struct Neighbourhood {
    offsets: Vec<[i32; 3]>,
}

impl Neighbourhood {
    /// PyRadiomics' bidirectional angles at `distances` for an array of `shape` (`(z, y, x)`),
    /// restricted to the in-plane directions when `settings.force_2d` is set (as cmatrices does
    /// for GLSZM, GLDM and NGTDM); fails when no offset fits ([`angles_that_fit`], for `class`).
    fn bidirectional(
        class: &str,
        shape: [usize; 3],
        distances: &[usize],
        settings: &TextureSettings,
    ) -> Result<Self> {
        let force2d_axis = settings.force_2d_axis();
        let offsets = angles_that_fit(class, shape, distances, force2d_axis, true)?;
        Ok(Neighbourhood { offsets })
    }

    /// Per axis, the largest offset magnitude.
    fn reach(&self) -> [usize; 3] {
        [0, 1, 2].map(|a| {
            self.offsets
                .iter()
                .map(|o| o[a].unsigned_abs() as usize)
                .max()
                .unwrap_or(0)
        })
    }
}

/// A discretised ROI copied into an array with a margin of non-ROI voxels as wide as a
/// `Neighbourhood` reaches, so that every neighbour of an ROI voxel is found by adding a flat
/// step, without bounds checks: a neighbour outside the original array lands in the margin,
/// which is not ROI, exactly as if it had been skipped.
#[derive(Clone, Debug)]
pub struct PaddedRoi {
    /// Grey level of each voxel (0 outside the ROI).
    pub levels: Vec<u32>,
    /// Whether each voxel is in the ROI (never in the margin).
    pub in_roi: Vec<bool>,
    /// The flat index of each ROI voxel, in numpy's C order over the original array.
    pub roi: Vec<usize>,
    /// The flat step of each offset, in angle order.
    steps: Vec<isize>,
}

impl PaddedRoi {
    /// `disc`'s levels and ROI inside a margin as wide as PyRadiomics' bidirectional angles at
    /// `distances` reach (in-plane under `force2D`, as cmatrices does for GLSZM, GLDM and NGTDM).
    /// Like cmatrices ("Error getting angle count."), fails when no offset fits in the array
    /// (the error names the texture class `class`).
    pub fn new(
        class: &str,
        disc: &Discretized,
        distances: &[usize],
        settings: &TextureSettings,
    ) -> Result<Self> {
        let (nz, ny, nx) = disc.levels.dim();
        let hood = Neighbourhood::bidirectional(class, [nz, ny, nx], distances, settings)?;
        let reach = hood.reach();
        let padded = [nz + 2 * reach[0], ny + 2 * reach[1], nx + 2 * reach[2]];
        let strides = [padded[1] * padded[2], padded[2], 1];
        let len = padded.iter().product();
        let mut levels = vec![0; len];
        let mut in_roi = vec![false; len];
        let mut roi = Vec::new();
        // Row by row (x fastest, as numpy's C order), each row copied to its padded place.
        let rows = disc.levels.rows().into_iter().zip(disc.mask.rows());
        for (row, (level_row, mask_row)) in rows.enumerate() {
            let (z, y) = (row / ny.max(1), row % ny.max(1));
            let first = (z + reach[0]) * strides[0] + (y + reach[1]) * strides[1] + reach[2];
            for (x, (&level, &inside)) in level_row.iter().zip(mask_row).enumerate() {
                if inside {
                    levels[first + x] = level;
                    in_roi[first + x] = true;
                    roi.push(first + x);
                }
            }
        }
        let steps = hood
            .offsets
            .iter()
            .map(|o| (0..3).map(|a| o[a] as isize * strides[a] as isize).sum())
            .collect();
        Ok(PaddedRoi {
            levels,
            in_roi,
            roi,
            steps,
        })
    }

    /// The number of neighbour offsets (PyRadiomics' `Na`, both directions counted).
    pub fn neighbour_count(&self) -> usize {
        self.steps.len()
    }

    /// The flat step of each neighbour offset, in angle order: voxel `k`'s neighbours are
    /// `k + step` (see [`PaddedRoi::neighbours`]).
    pub fn steps(&self) -> &[isize] {
        &self.steps
    }

    /// The flat indices of the neighbours of voxel `k` (an ROI voxel), in angle order; those
    /// outside the original array are margin voxels.
    #[inline]
    pub fn neighbours(&self, k: usize) -> impl Iterator<Item = usize> + '_ {
        self.steps
            .iter()
            .map(move |&step| k.wrapping_add_signed(step))
    }
}

#[cfg(test)]
mod tests {
    use ndarray::Array3;

    use super::*;
    use crate::image::PixelType;
    use crate::matrices::discretize;

    #[test]
    fn padded_neighbours_are_the_roi_voxels_at_each_offset() {
        // A 2 x 3 x 4 array, ROI everywhere but two voxels, distances 1 and 2.
        let shape = (2, 3, 4);
        let image = Array3::from_shape_fn(shape, |(z, y, x)| (z * 12 + y * 4 + x) as f64);
        let mask = Array3::from_shape_fn(shape, |p| p != (0, 1, 2) && p != (1, 2, 0));
        let settings = TextureSettings {
            bin_width: 1.0,
            distances: vec![1, 2],
            ..TextureSettings::default()
        };
        let disc = discretize(&image, &mask, &settings, PixelType::F64).unwrap();
        let hood = Neighbourhood::bidirectional("test", [2, 3, 4], &[1, 2], &settings).unwrap();
        let roi = PaddedRoi::new("test", &disc, &[1, 2], &settings).unwrap();
        let positions: Vec<_> = mask
            .indexed_iter()
            .filter(|(_, m)| **m)
            .map(|(p, _)| p)
            .collect();
        assert_eq!(roi.roi.len(), positions.len());
        for (&k, &(z, y, x)) in roi.roi.iter().zip(&positions) {
            assert_eq!(roi.levels[k], disc.levels[(z, y, x)]);
            let found: Vec<u32> = roi
                .neighbours(k)
                .filter(|&j| roi.in_roi[j])
                .map(|j| roi.levels[j])
                .collect();
            let expected: Vec<u32> = hood
                .offsets
                .iter()
                .filter_map(|o| {
                    let p = [z as i32 + o[0], y as i32 + o[1], x as i32 + o[2]];
                    let inside = (0..3).all(|a| p[a] >= 0 && p[a] < [2, 3, 4][a]);
                    let p = p.map(|v| v as usize);
                    (inside && mask[(p[0], p[1], p[2])]).then(|| disc.levels[(p[0], p[1], p[2])])
                })
                .collect();
            assert_eq!(found, expected, "voxel {:?}", (z, y, x));
        }
    }
}
