//! Cropping a volume to an index box, as SimpleITK's `CropImageFilter` does it.

use ndarray::s;

use super::{Geometry, Volume};

/// The sub-volume between the inclusive index bounds `lower..=upper` (ITK order `(x, y, z)`).
///
/// The geometry keeps spacing and direction; the origin moves to the physical point of `lower`
/// (SimpleITK re-bases a cropped image's start index to zero with `TransformIndexToPhysicalPoint`).
/// Bounds are clamped to the volume.
pub fn crop<T: Clone>(volume: &Volume<T>, lower: [usize; 3], upper: [usize; 3]) -> Volume<T> {
    let size = volume.size();
    let hi = [0, 1, 2].map(|a| upper[a].min(size[a].saturating_sub(1)));
    let lo = [0, 1, 2].map(|a| lower[a].min(hi[a]));
    let voxels = volume
        .voxels
        .slice(s![lo[2]..=hi[2], lo[1]..=hi[1], lo[0]..=hi[0]])
        .to_owned();
    let geometry = Geometry {
        origin: volume
            .geometry
            .index_to_physical([lo[0] as f64, lo[1] as f64, lo[2] as f64]),
        ..volume.geometry.clone()
    };
    Volume { voxels, geometry }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::Array3;

    #[test]
    fn crop_moves_origin_to_lower_corner() {
        let voxels = Array3::from_shape_fn((3, 4, 5), |(z, y, x)| (100 * z + 10 * y + x) as i32);
        let geometry = Geometry {
            spacing: [0.5, 2.0, 3.0],
            origin: [1.0, 2.0, 3.0],
            direction: [[1.0, 0.0, 0.0], [0.0, -1.0, 0.0], [0.0, 0.0, 1.0]],
        };
        let v = Volume { voxels, geometry };
        let c = crop(&v, [1, 2, 1], [3, 3, 2]);
        assert_eq!(c.size(), [3, 2, 2]);
        assert_eq!(c.voxels[[0, 0, 0]], 121);
        assert_eq!(c.voxels[[1, 1, 2]], 233);
        assert_eq!(c.geometry.origin, [1.5, -2.0, 6.0]);
    }
}
