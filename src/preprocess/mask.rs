//! The region of interest: taking a label from a mask image, and PyRadiomics' mask checks
//! (`getMask`, `checkMask`, `_correctMask`, `_checkROI` in `imageoperations.py`).

use std::collections::BTreeSet;

use crate::image::bbox::BoundingBox;
use crate::image::resample::{Grid, IndexMap, continuous_index_to_physical, resample_mask};
use crate::image::{Geometry, Image, Volume};
use crate::params::PreprocessSettings;
use crate::{Error, Result};

/// ITK's default coordinate and direction tolerance (`DefaultImageCoordinateTolerance`).
pub const DEFAULT_GEOMETRY_TOLERANCE: f64 = 1e-6;

/// A mask voxel as PyRadiomics sees it after `sitk.Cast(mask, sitk.sitkUInt32)`: truncated toward
/// zero, wrapped modulo 2³².
pub fn as_uint32(value: f64) -> u32 {
    (value.trunc() as i64) as u32
}

/// The voxels of `mask` equal to `label` (PyRadiomics' `getMask`, which casts the mask to UInt32).
///
/// Errors as PyRadiomics: a mask without any non-zero voxel, or without `label`.
pub fn label_region(mask: &Image, label: i64) -> Result<Volume<bool>> {
    let mut labels = BTreeSet::new();
    let mut last = None;
    for &v in &mask.volume.voxels {
        // Masks are mostly runs of one value: only insert on a change.
        let l = as_uint32(v);
        if last != Some(l) {
            labels.insert(l);
            last = Some(l);
        }
    }
    check_labels(labels.iter().copied(), label)?;
    Ok(Volume {
        voxels: mask
            .volume
            .voxels
            .mapv(|v| i64::from(as_uint32(v)) == label),
        geometry: mask.volume.geometry.clone(),
    })
}

/// [`label_region`]'s errors, from the distinct (UInt32-cast) values of the mask, ascending: a
/// mask without any non-zero voxel, or without `label`.
pub fn check_labels(labels: impl Iterator<Item = u32> + Clone, label: i64) -> Result<()> {
    if labels.clone().all(|l| l == 0) {
        return Err(Error::mask(
            "No labels found in this mask (i.e. nothing is segmented)!",
        ));
    }
    if !labels.clone().any(|l| i64::from(l) == label) {
        let present: Vec<String> = labels.filter(|&l| l != 0).map(|l| l.to_string()).collect();
        return Err(Error::mask(format!(
            "Label ({label}) not present in mask; labels present: {} (choose one, e.g. --label {})",
            present.join(", "),
            present[0]
        )));
    }
    Ok(())
}

/// ITK's `IsCongruentImageGeometry` as used by `ImageToImageFilter::VerifyInputInformation`:
/// origins and spacings equal within `|tolerance · spacing_x(reference)|`, directions equal within
/// `tolerance` (element-wise, `|a − b| <= tol`).
pub fn same_physical_space(reference: &Geometry, other: &Geometry, tolerance: f64) -> bool {
    let coordinate = (tolerance * reference.spacing[0]).abs();
    let close = |a: &[f64; 3], b: &[f64; 3], tol: f64| (0..3).all(|i| (a[i] - b[i]).abs() <= tol);
    close(&reference.origin, &other.origin, coordinate)
        && close(&reference.spacing, &other.spacing, coordinate)
        && (0..3).all(|r| close(&reference.direction[r], &other.direction[r], tolerance))
}

/// PyRadiomics' `_checkROI`: the region must be present and its bounding box (voxel corners,
/// mapped to the image's index space) must lie within the image, with a tolerance of 1e-3 index
/// units. Returns the region's bounding box in mask indices.
pub fn check_roi(image: &Grid, mask: &Volume<bool>, label: i64) -> Result<BoundingBox> {
    let bb = BoundingBox::of_mask(mask)
        .ok_or_else(|| Error::mask(format!("Label ({label}) not present in mask")))?;
    let size = bb.size();
    let lower = [0, 1, 2].map(|a| bb.lower[a] as f64 - 0.5);
    let upper = [0, 1, 2].map(|a| (bb.lower[a] + size[a]) as f64 - 0.5);
    let map = IndexMap::new(&image.geometry)?;
    let corners = [lower, upper]
        .map(|c| map.continuous_index(continuous_index_to_physical(&mask.geometry, c)));
    let tolerance = 1e-3;
    let outside = (0..3).any(|a| {
        corners[0][a].min(corners[1][a]) < -0.5 - tolerance
            || corners[0][a].max(corners[1][a]) > image.size[a] as f64 - 0.5 + tolerance
    });
    if outside {
        return Err(Error::mask(format!(
            "Bounding box of ROI is larger than image space: ROI bounds (x, y, z image coordinate space) \
             {corners:?}, image size {:?}",
            image.size
        )));
    }
    Ok(bb)
}

/// PyRadiomics' `_correctMask`: check the region ([`check_roi`]), then resample the mask onto the
/// image grid with nearest-neighbour interpolation.
pub fn correct_mask(image: &Image, mask: &Volume<bool>, label: i64) -> Result<Volume<bool>> {
    correct_mask_on(&Grid::of(&image.volume), mask, label)
}

/// [`correct_mask`] onto the image's grid.
fn correct_mask_on(image: &Grid, mask: &Volume<bool>, label: i64) -> Result<Volume<bool>> {
    check_roi(image, mask, label)?;
    resample_mask(mask, image, label == 0)
}

/// The outcome of [`check_mask`].
#[derive(Clone, Debug)]
pub struct MaskCheck {
    /// Bounding box of the region (in the corrected mask when there is one).
    pub bounding_box: BoundingBox,
    /// The mask resampled onto the image grid, when `correctMask` had to correct it.
    pub corrected: Option<Volume<bool>>,
}

/// PyRadiomics' `checkMask`: image and mask must share their grid (SimpleITK's size check and
/// geometry check with `geometryTolerance`), else — with `correctMask` — the mask is resampled
/// onto the image; then the region must be present, span at least `minimumROIDimensions` axes and,
/// when `minimumROISize` is set, hold more than that many voxels.
pub fn check_mask(
    image: &Image,
    mask: &Volume<bool>,
    label: i64,
    settings: &PreprocessSettings,
) -> Result<MaskCheck> {
    check_mask_on(&Grid::of(&image.volume), mask, label, settings)
}

/// [`check_mask`] against the image's grid (its voxel values are not used).
pub fn check_mask_on(
    image: &Grid,
    mask: &Volume<bool>,
    label: i64,
    settings: &PreprocessSettings,
) -> Result<MaskCheck> {
    let tolerance = settings
        .geometry_tolerance
        .unwrap_or(DEFAULT_GEOMETRY_TOLERANCE);
    let same_size = image.size == mask.size();
    let same_space = same_physical_space(&image.geometry, &mask.geometry, tolerance);
    let (region, corrected) = if same_size && same_space {
        (mask, None)
    } else if !settings.correct_mask {
        return Err(Error::mask(if same_size {
            "Image/Mask geometry mismatch. Potential fix: increase tolerance using geometryTolerance, \
             see Documentation:Usage:Customizing the Extraction:Settings:geometryTolerance for more information"
                .to_string()
        } else {
            let list = |s: [usize; 3]| format!("{} × {} × {}", s[0], s[1], s[2]);
            format!(
                "the mask has {} voxels but the image {} (x × y × z); \
                 correctMask: true resamples the mask onto the image grid",
                list(mask.size()),
                list(image.size)
            )
        }));
    } else {
        (mask, Some(correct_mask_on(image, mask, label)?))
    };
    let region = corrected.as_ref().unwrap_or(region);
    let bounding_box = BoundingBox::of_mask(region).ok_or_else(|| match corrected {
        None => Error::mask(format!("Label ({label}) not present in mask")),
        Some(_) => single_voxel(),
    })?;
    let ndims = bounding_box.dimensions();
    if ndims == 0 {
        return Err(single_voxel());
    }
    if ndims < settings.minimum_roi_dimensions {
        return Err(Error::mask(format!(
            "mask has too few dimensions (number of dimensions {ndims}, minimum required {})",
            settings.minimum_roi_dimensions
        )));
    }
    if let Some(min_size) = settings.minimum_roi_size {
        let count = region.voxels.iter().filter(|&&m| m).count();
        if count <= min_size {
            return Err(Error::mask(format!(
                "Size of the ROI is too small (minimum size: {min_size}, ROI size: {count}"
            )));
        }
    }
    Ok(MaskCheck {
        bounding_box,
        corrected,
    })
}

fn single_voxel() -> Error {
    Error::mask("mask only contains 1 segmented voxel! Cannot extract features for a single voxel.")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::image::PixelType;
    use ndarray::Array3;

    fn image_of(voxels: Array3<f64>, geometry: Geometry) -> Image {
        Image {
            volume: Volume { voxels, geometry },
            pixel_type: PixelType::I16,
        }
    }

    #[test]
    fn label_region_casts_like_uint32() {
        let mut v = Array3::zeros((1, 2, 3));
        v[[0, 0, 1]] = 2.7;
        v[[0, 1, 2]] = -1.0;
        let m = image_of(v, Geometry::identity());
        let r = label_region(&m, 2).expect("label 2 present");
        assert_eq!(r.voxels.iter().filter(|&&b| b).count(), 1);
        let err = label_region(&m, 3).unwrap_err().to_string();
        assert_eq!(
            err,
            "Label (3) not present in mask; labels present: 2, 4294967295 (choose one, e.g. --label 2)"
        );
        let empty = image_of(Array3::zeros((1, 1, 2)), Geometry::identity());
        assert!(label_region(&empty, 1).is_err());
    }

    #[test]
    fn geometry_tolerance_is_relative_to_x_spacing() {
        let a = Geometry {
            spacing: [2.0, 1.0, 1.0],
            ..Geometry::identity()
        };
        let mut b = a.clone();
        b.origin[2] += 1.9e-6;
        assert!(same_physical_space(&a, &b, 1e-6));
        b.origin[2] += 0.2e-6;
        assert!(!same_physical_space(&a, &b, 1e-6));
    }

    #[test]
    fn check_mask_dimensions_and_size() {
        let img = image_of(Array3::zeros((3, 3, 3)), Geometry::identity());
        let mut m = Array3::from_elem((3, 3, 3), false);
        m[[1, 1, 0]] = true;
        m[[1, 1, 1]] = true;
        let mask = Volume {
            voxels: m,
            geometry: Geometry::identity(),
        };
        let settings = PreprocessSettings::default();
        let err = check_mask(&img, &mask, 1, &settings)
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("mask has too few dimensions (number of dimensions 1"));
        let one_d = PreprocessSettings {
            minimum_roi_dimensions: 1,
            minimum_roi_size: Some(2),
            ..PreprocessSettings::default()
        };
        let err = check_mask(&img, &mask, 1, &one_d).unwrap_err().to_string();
        assert!(err.starts_with("Size of the ROI is too small"));
    }
}
