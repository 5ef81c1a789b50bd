//! The image and mask diagnostics PyRadiomics reports (`generalinfo.py`).

use crate::image::bbox::BoundingBox;
use crate::image::resample::continuous_index_to_physical;
use crate::image::{Image, Volume};

/// `diagnostics_Image-<prefix>_*`: spacing and size (x, y, z), and the mean, minimum and maximum
/// of every voxel.
#[derive(Clone, Debug, PartialEq)]
pub struct ImageDiagnostics {
    pub spacing: [f64; 3],
    pub size: [usize; 3],
    pub mean: f64,
    pub minimum: f64,
    pub maximum: f64,
}

/// `diagnostics_Mask-<prefix>_*` for one label.
#[derive(Clone, Debug, PartialEq)]
pub struct MaskDiagnostics {
    pub spacing: [f64; 3],
    pub size: [usize; 3],
    /// `(x, y, z, size_x, size_y, size_z)`, as `LabelShapeStatisticsImageFilter` gives it.
    pub bounding_box: [usize; 6],
    /// Number of voxels in the region.
    pub voxel_num: usize,
    /// Number of 26-connected components (`ConnectedComponentImageFilter`, fully connected).
    pub volume_num: usize,
    /// Mean voxel index `(x, y, z)` of the region.
    pub center_of_mass_index: [f64; 3],
    /// Physical point of `center_of_mass_index` (`TransformContinuousIndexToPhysicalPoint`).
    pub center_of_mass: [f64; 3],
    /// Mean, minimum and maximum image intensity in the region, when an image was given.
    pub intensity: Option<(f64, f64, f64)>,
}

/// `(mean, min, max)` of `values` (numpy's `mean`, `min`, `max`); `None` when empty.
fn mean_min_max(values: impl Iterator<Item = f64>) -> Option<(f64, f64, f64)> {
    let (mut sum, mut min, mut max, mut n) = (0.0, f64::INFINITY, f64::NEG_INFINITY, 0usize);
    for v in values {
        sum += v;
        min = min.min(v);
        max = max.max(v);
        n += 1;
    }
    (n > 0).then(|| (sum / n as f64, min, max))
}

/// PyRadiomics' `addImageElements`.
pub fn image_diagnostics(image: &Image) -> ImageDiagnostics {
    let (mean, minimum, maximum) =
        mean_min_max(image.volume.voxels.iter().copied()).unwrap_or((f64::NAN, f64::NAN, f64::NAN));
    ImageDiagnostics {
        spacing: image.volume.geometry.spacing,
        size: image.volume.size(),
        mean,
        minimum,
        maximum,
    }
}

/// Number of 26-connected components of the `true` voxels.
pub fn count_components(mask: &Volume<bool>) -> usize {
    let (nz, ny, nx) = mask.voxels.dim();
    let mut seen = ndarray::Array3::from_elem((nz, ny, nx), false);
    let mut stack = Vec::new();
    let mut count = 0;
    for ((z, y, x), &m) in mask.voxels.indexed_iter() {
        if !m || seen[[z, y, x]] {
            continue;
        }
        count += 1;
        seen[[z, y, x]] = true;
        stack.push([z, y, x]);
        while let Some([cz, cy, cx]) = stack.pop() {
            for dz in -1i64..=1 {
                for dy in -1i64..=1 {
                    for dx in -1i64..=1 {
                        let (z2, y2, x2) = (cz as i64 + dz, cy as i64 + dy, cx as i64 + dx);
                        if z2 < 0 || y2 < 0 || x2 < 0 {
                            continue;
                        }
                        let p = [z2 as usize, y2 as usize, x2 as usize];
                        if p[0] < nz && p[1] < ny && p[2] < nx && mask.voxels[p] && !seen[p] {
                            seen[p] = true;
                            stack.push(p);
                        }
                    }
                }
            }
        }
    }
    count
}

/// PyRadiomics' `addMaskElements` for the region `mask` (voxels equal to the label); `image`, when
/// given, must share the mask's grid. `None` for an empty region.
pub fn mask_diagnostics(image: Option<&Image>, mask: &Volume<bool>) -> Option<MaskDiagnostics> {
    let bb = BoundingBox::of_mask(mask)?;
    let mut sums = [0.0f64; 3];
    let mut voxel_num = 0usize;
    for ((z, y, x), &m) in mask.voxels.indexed_iter() {
        if m {
            sums[0] += x as f64;
            sums[1] += y as f64;
            sums[2] += z as f64;
            voxel_num += 1;
        }
    }
    let center_of_mass_index = sums.map(|s| s / voxel_num as f64);
    let intensity = image.and_then(|img| {
        mean_min_max(
            img.volume
                .voxels
                .iter()
                .zip(mask.voxels.iter())
                .filter(|(_, m)| **m)
                .map(|(v, _)| *v),
        )
    });
    Some(MaskDiagnostics {
        spacing: mask.geometry.spacing,
        size: mask.size(),
        bounding_box: bb.lower_size(),
        voxel_num,
        volume_num: count_components(mask),
        center_of_mass_index,
        center_of_mass: continuous_index_to_physical(&mask.geometry, center_of_mass_index),
        intensity,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::image::Geometry;
    use ndarray::Array3;

    #[test]
    fn diagonal_neighbours_are_connected() {
        let mut v = Array3::from_elem((4, 4, 4), false);
        v[[0, 0, 0]] = true;
        v[[1, 1, 1]] = true;
        v[[3, 3, 0]] = true;
        let mask = Volume {
            voxels: v,
            geometry: Geometry::identity(),
        };
        assert_eq!(count_components(&mask), 2);
        let d = mask_diagnostics(None, &mask).expect("non-empty");
        assert_eq!(d.voxel_num, 3);
        assert_eq!(d.bounding_box, [0, 0, 0, 2, 4, 4]);
        assert_eq!(d.center_of_mass_index, [1.0 / 3.0, 4.0 / 3.0, 4.0 / 3.0]);
    }
}
