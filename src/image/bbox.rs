//! Bounding box of a region of interest in index space, as SimpleITK's label statistics give it.

use super::Volume;

/// Inclusive bounds of a region, in ITK index order `(x, y, z)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BoundingBox {
    /// Lowest index holding a region voxel, per axis.
    pub lower: [usize; 3],
    /// Highest index holding a region voxel, per axis.
    pub upper: [usize; 3],
}

impl BoundingBox {
    /// The smallest box holding every `true` voxel of `mask`, or `None` for an empty mask.
    pub fn of_mask(mask: &Volume<bool>) -> Option<Self> {
        let (_, ny, nx) = mask.voxels.dim();
        let standard = mask.voxels.as_standard_layout();
        let voxels = standard.as_slice()?;
        let mut lower = [usize::MAX; 3];
        let mut upper = [0usize; 3];
        let mut any = false;
        for (row_index, row) in voxels.chunks_exact(nx.max(1)).enumerate() {
            // Most rows are empty: test them without an early exit, which vectorises.
            if !row.iter().fold(false, |any, &m| any | m) {
                continue;
            }
            let Some(first) = row.iter().position(|&m| m) else {
                continue;
            };
            let last = row.iter().rposition(|&m| m).unwrap_or(first);
            any = true;
            let (y, z) = (row_index % ny, row_index / ny);
            for (axis, lo, hi) in [(0, first, last), (1, y, y), (2, z, z)] {
                lower[axis] = lower[axis].min(lo);
                upper[axis] = upper[axis].max(hi);
            }
        }
        any.then_some(BoundingBox { lower, upper })
    }

    /// The box grown by `margin` voxels per axis `(x, y, z)`, kept within an image of `size`
    /// voxels.
    pub fn grown(&self, margin: [usize; 3], size: [usize; 3]) -> Self {
        BoundingBox {
            lower: [0, 1, 2].map(|a| self.lower[a].saturating_sub(margin[a])),
            upper: [0, 1, 2].map(|a| {
                let last = size[a].saturating_sub(1);
                self.upper[a].saturating_add(margin[a]).min(last)
            }),
        }
    }

    /// The smallest box holding both boxes.
    pub fn union(&self, other: &BoundingBox) -> Self {
        BoundingBox {
            lower: [0, 1, 2].map(|a| self.lower[a].min(other.lower[a])),
            upper: [0, 1, 2].map(|a| self.upper[a].max(other.upper[a])),
        }
    }

    /// Number of voxels along each axis `(x, y, z)`.
    pub fn size(&self) -> [usize; 3] {
        [0, 1, 2].map(|a| self.upper[a] - self.lower[a] + 1)
    }

    /// Number of axes along which the box spans more than one voxel (PyRadiomics' `ndims`).
    pub fn dimensions(&self) -> usize {
        self.size().iter().filter(|&&s| s > 1).count()
    }

    /// `LabelStatisticsImageFilter.GetBoundingBox` order: `(L_x, U_x, L_y, U_y, L_z, U_z)`.
    pub fn lower_upper(&self) -> [usize; 6] {
        let [lx, ly, lz] = self.lower;
        let [ux, uy, uz] = self.upper;
        [lx, ux, ly, uy, lz, uz]
    }

    /// `LabelShapeStatisticsImageFilter.GetBoundingBox` order, as PyRadiomics' diagnostics print it:
    /// `(x, y, z, size_x, size_y, size_z)`.
    pub fn lower_size(&self) -> [usize; 6] {
        let [lx, ly, lz] = self.lower;
        let [sx, sy, sz] = self.size();
        [lx, ly, lz, sx, sy, sz]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::image::Geometry;
    use ndarray::Array3;

    #[test]
    fn box_of_two_voxels() {
        let mut voxels = Array3::from_elem((4, 5, 6), false);
        voxels[[1, 2, 3]] = true;
        voxels[[3, 2, 5]] = true;
        let mask = Volume {
            voxels,
            geometry: Geometry::identity(),
        };
        let bb = BoundingBox::of_mask(&mask).expect("non-empty");
        assert_eq!(bb.lower_upper(), [3, 5, 2, 2, 1, 3]);
        assert_eq!(bb.lower_size(), [3, 2, 1, 3, 1, 3]);
        assert_eq!(bb.dimensions(), 2);
    }

    #[test]
    fn empty_mask_has_no_box() {
        let mask = Volume {
            voxels: Array3::from_elem((2, 2, 2), false),
            geometry: Geometry::identity(),
        };
        assert_eq!(BoundingBox::of_mask(&mask), None);
    }
}
