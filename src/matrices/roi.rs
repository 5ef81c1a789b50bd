//! The ROI of a discretised image in the flat form the texture-matrix loops want.

use super::Discretized;
use crate::{Error, Result};

/// Marks a voxel outside the ROI in [`RoiIndex::bins`].
pub const OUTSIDE: u32 = u32::MAX;

/// One ROI voxel: flat index, `(z, y, x)` index and grey-level bin.
#[derive(Clone, Copy, Debug)]
pub struct RoiVoxel {
    /// Flat (C order) index.
    pub flat: usize,
    /// `(z, y, x)` index.
    pub index: [usize; 3],
    /// Index of the voxel's grey level among those present.
    pub bin: u32,
}

/// A discretised image flattened (C order over `(z, y, x)`), with each ROI voxel's grey level
/// replaced by its index among the grey levels present (`0..gray_levels.len()`), so that matrices
/// come out without PyRadiomics' empty grey-level rows and columns.
pub struct RoiIndex {
    /// Image size `(nz, ny, nx)`.
    pub shape: [usize; 3],
    /// Per voxel: index of its grey level in `Discretized::gray_levels`, or [`OUTSIDE`].
    pub bins: Vec<u32>,
}

impl RoiIndex {
    /// Flatten `disc`. Fails when the ROI is empty or holds voxels without a grey level
    /// (level 0: bin edges that wrapped around in an integer image's type),
    /// which PyRadiomics' C code rejects too.
    pub fn new(disc: &Discretized) -> Result<Self> {
        match disc.gray_levels.first() {
            None => return Err(Error::mask("the region of interest is empty")),
            Some(0) => {
                return Err(Error::mask(
                    "some voxels of the region of interest fall in no grey-level bin \
                     (PyRadiomics' binWidth edges wrap around near the maximum of an integer \
                     pixel type: write binWidth as a float, e.g. 25.0)",
                ));
            }
            Some(_) => {}
        }
        let (nz, ny, nx) = disc.levels.dim();
        let mut lookup = vec![OUTSIDE; disc.ng as usize + 1];
        for (index, &level) in disc.gray_levels.iter().enumerate() {
            lookup[level as usize] = index as u32;
        }
        let bins = disc
            .levels
            .iter()
            .zip(disc.mask.iter())
            .map(|(&level, &inside)| {
                if inside {
                    lookup.get(level as usize).copied().unwrap_or(OUTSIDE)
                } else {
                    OUTSIDE
                }
            })
            .collect();
        Ok(RoiIndex {
            shape: [nz, ny, nx],
            bins,
        })
    }

    /// The ROI's voxels in flat order.
    pub fn voxels(&self) -> Vec<RoiVoxel> {
        let [_, ny, nx] = self.shape;
        self.bins
            .iter()
            .enumerate()
            .filter(|&(_, &bin)| bin != OUTSIDE)
            .map(|(flat, &bin)| RoiVoxel {
                flat,
                index: [flat / (ny * nx), (flat / nx) % ny, flat % nx],
                bin,
            })
            .collect()
    }

    /// The index range `lo..hi` along each axis of the voxels whose neighbour at `offset` lies
    /// inside the image.
    pub fn valid_range(&self, offset: [i32; 3]) -> [(usize, usize); 3] {
        std::array::from_fn(|d| {
            let o = offset[d] as isize;
            let n = self.shape[d] as isize;
            ((-o).clamp(0, n) as usize, (n - o).clamp(0, n) as usize)
        })
    }

    /// Flat strides of the `(z, y, x)` axes.
    pub fn strides(&self) -> [isize; 3] {
        let [_, ny, nx] = self.shape;
        [(ny * nx) as isize, nx as isize, 1]
    }

    /// Flat-index step of a neighbour offset `(dz, dy, dx)`.
    pub fn step(&self, offset: [i32; 3]) -> isize {
        let s = self.strides();
        (0..3).map(|d| offset[d] as isize * s[d]).sum()
    }
}

/// Test input: bin levels of the given shape (z, y, x), the mask being the non-zero levels.
#[cfg(test)]
pub(crate) fn test_levels(levels: Vec<u32>, shape: (usize, usize, usize)) -> Discretized {
    let levels = ndarray::Array3::from_shape_vec(shape, levels).unwrap();
    let mask = levels.mapv(|l| l > 0);
    let mut gray_levels: Vec<u32> = levels.iter().copied().filter(|&l| l > 0).collect();
    gray_levels.sort_unstable();
    gray_levels.dedup();
    Discretized {
        ng: *gray_levels.last().unwrap(),
        levels,
        mask,
        gray_levels,
        bin_edges: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::Array3;

    fn disc(levels: Vec<u32>, mask: Vec<bool>, gray_levels: Vec<u32>) -> Discretized {
        Discretized {
            ng: gray_levels.last().copied().unwrap_or(0),
            levels: Array3::from_shape_vec((1, 2, 2), levels).unwrap(),
            mask: Array3::from_shape_vec((1, 2, 2), mask).unwrap(),
            gray_levels,
            bin_edges: Vec::new(),
        }
    }

    #[test]
    fn bins_index_the_present_grey_levels() {
        let roi = RoiIndex::new(&disc(
            vec![3, 0, 7, 3],
            vec![true, false, true, true],
            vec![3, 7],
        ))
        .unwrap();
        assert_eq!(roi.bins, vec![0, OUTSIDE, 1, 0]);
        assert_eq!(roi.voxels()[1].index, [0, 1, 0]);
        assert_eq!(roi.valid_range([0, 1, -1]), [(0, 1), (0, 1), (1, 2)]);
        assert_eq!(roi.step([0, 1, -1]), 1);
    }

    #[test]
    fn empty_roi_or_missing_grey_level_is_an_error() {
        let none = disc(vec![0; 4], vec![false; 4], vec![]);
        assert!(RoiIndex::new(&none).is_err());
        let nan = disc(vec![0, 1, 1, 1], vec![true; 4], vec![0, 1]);
        assert!(RoiIndex::new(&nan).is_err());
    }
}
