//! Neighbour lookup by flat index over a `(z, y, x)` array, shared by the voxel-walking matrices
//! (GLSZM, GLDM, NGTDM).

use ndarray::Array3;

use super::angles::angles;
use crate::error::{Error, Result};
use crate::params::Settings;

/// The neighbour offsets of one texture class, with their flat-index steps, for arrays of one shape.
#[derive(Clone, Debug)]
pub struct Neighbourhood {
    shape: [usize; 3],
    offsets: Vec<[i32; 3]>,
    steps: Vec<isize>,
    /// Per axis, the largest offset magnitude: voxels at least this far from both ends of every
    /// axis have all their neighbours inside the array.
    reach: [usize; 3],
}

impl Neighbourhood {
    /// PyRadiomics' bidirectional angles at `distances` for an array of `shape` (`(z, y, x)`),
    /// restricted to the in-plane directions when `settings.force_2d` is set (as cmatrices does
    /// for GLSZM, GLDM and NGTDM). Like cmatrices ("Error getting angle count."), fails when no
    /// offset fits in the array.
    pub fn bidirectional(
        shape: [usize; 3],
        distances: &[usize],
        settings: &Settings,
    ) -> Result<Self> {
        let force2d_axis = settings.force_2d.then_some(settings.force_2d_dimension);
        let offsets = angles(shape, distances, force2d_axis, true);
        if offsets.is_empty() {
            return Err(Error::params(
                "settings",
                format!(
                    "no neighbour offset at distances {distances:?} fits in the cropped image of \
                     size (z, y, x) {shape:?}{} (PyRadiomics: \"Error getting angle count.\")",
                    match force2d_axis {
                        Some(axis) => format!(" with force2D along axis {axis}"),
                        None => String::new(),
                    }
                ),
            ));
        }
        let strides = [(shape[1] * shape[2]) as isize, shape[2] as isize, 1];
        let steps = offsets
            .iter()
            .map(|o| (0..3).map(|a| o[a] as isize * strides[a]).sum())
            .collect();
        let reach = [0, 1, 2].map(|a| {
            offsets
                .iter()
                .map(|o| o[a].unsigned_abs() as usize)
                .max()
                .unwrap_or(0)
        });
        Ok(Neighbourhood {
            shape,
            offsets,
            steps,
            reach,
        })
    }

    /// The number of offsets (PyRadiomics' `Na`, both directions counted).
    pub fn count(&self) -> usize {
        self.offsets.len()
    }

    /// The `(z, y, x)` position of flat index `flat`.
    #[inline]
    pub fn position(&self, flat: usize) -> [usize; 3] {
        let plane = self.shape[1] * self.shape[2];
        [
            flat / plane,
            (flat % plane) / self.shape[2],
            flat % self.shape[2],
        ]
    }

    /// Calls `visit` with the flat index of each neighbour of the voxel at `position` (flat index
    /// `flat`) that lies inside the array, in angle order.
    #[inline]
    pub fn for_each(&self, position: [usize; 3], flat: usize, mut visit: impl FnMut(usize)) {
        let interior = (0..3)
            .all(|a| position[a] >= self.reach[a] && position[a] + self.reach[a] < self.shape[a]);
        if interior {
            for &step in &self.steps {
                visit(flat.wrapping_add_signed(step));
            }
            return;
        }
        for (offset, &step) in self.offsets.iter().zip(&self.steps) {
            let inside = (0..3).all(|a| {
                let p = position[a] as i64 + offset[a] as i64;
                p >= 0 && p < self.shape[a] as i64
            });
            if inside {
                visit(flat.wrapping_add_signed(step));
            }
        }
    }
}

/// The shape of `array` as `[nz, ny, nx]`.
pub fn shape_of<T>(array: &Array3<T>) -> [usize; 3] {
    let (z, y, x) = array.dim();
    [z, y, x]
}

/// Calls `visit(flat, position)` for every ROI voxel, in numpy's C order; `mask` is the ROI as a
/// standard-layout flat slice of an array of `shape`.
pub fn for_each_roi_voxel(
    shape: [usize; 3],
    mask: &[bool],
    mut visit: impl FnMut(usize, [usize; 3]),
) {
    let mut flat = 0;
    for z in 0..shape[0] {
        for y in 0..shape[1] {
            for x in 0..shape[2] {
                if mask[flat] {
                    visit(flat, [z, y, x]);
                }
                flat += 1;
            }
        }
    }
}

/// The elements of `array` in numpy's C order, borrowed when the array is in standard layout.
pub fn c_order<T: Clone>(array: &Array3<T>) -> std::borrow::Cow<'_, [T]> {
    match array.as_slice() {
        Some(slice) => std::borrow::Cow::Borrowed(slice),
        None => std::borrow::Cow::Owned(array.iter().cloned().collect()),
    }
}
