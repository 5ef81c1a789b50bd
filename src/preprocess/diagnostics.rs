//! The image and mask diagnostics PyRadiomics reports (`generalinfo.py`).

use crate::image::bbox::BoundingBox;
use crate::image::resample::continuous_index_to_physical;
use crate::image::{Image, Volume};
use crate::numpy_sum;

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
fn mean_min_max(values: &[f64]) -> Option<(f64, f64, f64)> {
    let (min, max) = (
        numpy_sum::min(values.iter().copied()),
        numpy_sum::max(values.iter().copied()),
    );
    (!values.is_empty()).then(|| (numpy_sum::mean(values), min, max))
}

/// PyRadiomics' `addImageElements`.
pub fn image_diagnostics(image: &Image) -> ImageDiagnostics {
    let (mean, minimum, maximum) = mean_min_max(
        image
            .volume
            .voxels
            .as_standard_layout()
            .as_slice()
            .unwrap_or(&[]),
    )
    .unwrap_or((f64::NAN, f64::NAN, f64::NAN));
    ImageDiagnostics {
        spacing: image.volume.geometry.spacing,
        size: image.volume.size(),
        mean,
        minimum,
        maximum,
    }
}

/// Number of 26-connected components of the `true` voxels, all of which lie in `bb`.
pub fn count_components(mask: &Volume<bool>, bb: &BoundingBox) -> usize {
    // Work on the bounding box only: indices below are relative to its lower corner.
    let [sx, sy, sz] = bb.size();
    let [lx, ly, lz] = bb.lower;
    let inside = |z: usize, y: usize, x: usize| mask.voxels[[lz + z, ly + y, lx + x]];
    let mut seen = ndarray::Array3::from_elem((sz, sy, sx), false);
    let mut stack = Vec::new();
    let mut count = 0;
    for z in 0..sz {
        for y in 0..sy {
            for x in 0..sx {
                if !inside(z, y, x) || seen[[z, y, x]] {
                    continue;
                }
                count += 1;
                seen[[z, y, x]] = true;
                stack.push([z, y, x]);
                while let Some(p) = stack.pop() {
                    let lo = p.map(|i| i.saturating_sub(1));
                    let hi = [
                        (p[0] + 1).min(sz - 1),
                        (p[1] + 1).min(sy - 1),
                        (p[2] + 1).min(sx - 1),
                    ];
                    for z2 in lo[0]..=hi[0] {
                        for y2 in lo[1]..=hi[1] {
                            for x2 in lo[2]..=hi[2] {
                                if inside(z2, y2, x2) && !seen[[z2, y2, x2]] {
                                    seen[[z2, y2, x2]] = true;
                                    stack.push([z2, y2, x2]);
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    count
}

/// The intensities of the ROI voxels, in C (z, y, x) order as numpy's `image[mask]` gives them.
/// `image` and `mask` share one grid.
pub fn roi_values(image: &Volume<f64>, mask: &Volume<bool>) -> Vec<f64> {
    image
        .voxels
        .iter()
        .zip(mask.voxels.iter())
        .filter(|(_, m)| **m)
        .map(|(v, _)| *v)
        .collect()
}

/// PyRadiomics' `addMaskElements` for the region `mask` (voxels equal to the label); `image`, when
/// given, must share the mask's grid. `None` for an empty region.
pub fn mask_diagnostics(image: Option<&Image>, mask: &Volume<bool>) -> Option<MaskDiagnostics> {
    let bb = BoundingBox::of_mask(mask)?;
    let mut sums = [0.0f64; 3];
    let mut voxel_num = 0usize;
    for z in bb.lower[2]..=bb.upper[2] {
        for y in bb.lower[1]..=bb.upper[1] {
            for x in bb.lower[0]..=bb.upper[0] {
                if mask.voxels[[z, y, x]] {
                    sums[0] += x as f64;
                    sums[1] += y as f64;
                    sums[2] += z as f64;
                    voxel_num += 1;
                }
            }
        }
    }
    let center_of_mass_index = sums.map(|s| s / voxel_num as f64);
    let intensity = image.and_then(|img| mean_min_max(&roi_values(&img.volume, mask)));
    Some(MaskDiagnostics {
        spacing: mask.geometry.spacing,
        size: mask.size(),
        bounding_box: bb.lower_size(),
        voxel_num,
        volume_num: count_components(mask, &bb),
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
        let bb = BoundingBox::of_mask(&mask).expect("non-empty");
        assert_eq!(count_components(&mask, &bb), 2);
        let d = mask_diagnostics(None, &mask).expect("non-empty");
        assert_eq!(d.voxel_num, 3);
        assert_eq!(d.bounding_box, [0, 0, 0, 2, 4, 4]);
        assert_eq!(d.center_of_mass_index, [1.0 / 3.0, 4.0 / 3.0, 4.0 / 3.0]);
    }

    #[test]
    fn a_nan_voxel_makes_minimum_and_maximum_nan_as_numpy() {
        assert_eq!(
            mean_min_max(&[1.0, 3.0, -2.0]),
            Some((2.0 / 3.0, -2.0, 3.0))
        );
        let (mean, min, max) = mean_min_max(&[1.0, f64::NAN, -2.0]).expect("non-empty");
        assert!(mean.is_nan() && min.is_nan() && max.is_nan());
        assert_eq!(mean_min_max(&[]), None);
    }
}
