//! Neighbour offsets ("angles") used by the texture matrices, generated as PyRadiomics'
//! `cmatrices` does so that matrices come out in the same angle order.

use crate::{Error, Result};

/// [`angles`] for the texture class `class`, or, when no offset fits in the region's bounding box
/// of `size` (cmatrices: "Error getting angle count."), the mask error every class reports
/// alike: the region is too small for the distances.
pub fn angles_that_fit(
    class: &str,
    size: [usize; 3],
    distances: &[usize],
    force2d_axis: Option<usize>,
    bidirectional: bool,
) -> Result<Vec<[i32; 3]>> {
    let offsets = angles(size, distances, force2d_axis, bidirectional);
    if offsets.is_empty() {
        let in_plane = match force2d_axis {
            Some(axis) => format!(" with force2D along axis {axis}"),
            None => String::new(),
        };
        return Err(Error::mask(format!(
            "{class}: no neighbour offset at distances {distances:?} fits in the region's \
             bounding box of size (z, y, x) {size:?}{in_plane} (PyRadiomics: \"Error getting \
             angle count.\")"
        )));
    }
    Ok(offsets)
}

/// Offsets `(dz, dy, dx)` (numpy axis order) of the neighbours at the requested infinity-norm
/// `distances`, for an image of `size` `(nz, ny, nx)`.
///
/// Offsets are enumerated with the last axis varying fastest, each axis from `+d_max` down to
/// `-d_max`; an offset is kept when it is non-zero, fits inside the image, does not move along the
/// excluded axis (`force2d_axis`, numpy order) and its infinity norm is one of `distances`.
/// When `bidirectional` is false only the first half is returned: each direction once, as the
/// second half mirrors the first.
pub fn angles(
    size: [usize; 3],
    distances: &[usize],
    force2d_axis: Option<usize>,
    bidirectional: bool,
) -> Vec<[i32; 3]> {
    let max_distance = distances.iter().copied().max().unwrap_or(0) as i32;
    let n_offsets = 2 * max_distance + 1;
    let size = size.map(|s| s as i32);
    let mut all = Vec::new();
    for a in 0..n_offsets {
        for b in 0..n_offsets {
            for c in 0..n_offsets {
                let offset = [max_distance - a, max_distance - b, max_distance - c];
                let valid = (0..3).all(|axis| {
                    let o = offset[axis];
                    !(force2d_axis == Some(axis) && o != 0) && o < size[axis] && o > -size[axis]
                });
                let norm = offset.iter().map(|o| o.abs()).max().unwrap_or(0);
                if valid && norm >= 1 && distances.contains(&(norm as usize)) {
                    all.push(offset);
                }
            }
        }
    }
    if !bidirectional {
        all.truncate(all.len() / 2);
    }
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thirteen_directions_in_3d_at_distance_one() {
        let a = angles([10, 10, 10], &[1], None, false);
        assert_eq!(a.len(), 13);
        assert_eq!(a[0], [1, 1, 1]);
        assert_eq!(a[12], [0, 0, 1]);
        let both = angles([10, 10, 10], &[1], None, true);
        assert_eq!(both.len(), 26);
        // The second half mirrors the first.
        assert_eq!(both[25], [-1, -1, -1]);
    }

    #[test]
    fn force2d_keeps_in_plane_offsets() {
        let a = angles([5, 10, 10], &[1], Some(0), false);
        assert_eq!(a, vec![[0, 1, 1], [0, 1, 0], [0, 1, -1], [0, 0, 1]]);
    }

    #[test]
    fn single_slice_image_has_no_out_of_plane_offsets() {
        let a = angles([1, 10, 10], &[1], None, false);
        assert_eq!(a.len(), 4);
        assert!(a.iter().all(|o| o[0] == 0));
    }

    #[test]
    fn distances_one_and_two_use_the_whole_5x5x5_neighbourhood() {
        assert_eq!(angles([10, 10, 10], &[1, 2], None, false).len(), 62);
        assert_eq!(angles([10, 10, 10], &[2], None, false).len(), 49);
    }
}
