//! Image and mask preprocessing exactly as PyRadiomics 3.1 does it before computing features
//! (`featureextractor.loadImage` and the first steps of `execute`, with the functions of
//! `imageoperations.py`).
//!
//! Order: take the label's region from the mask ([`mask::label_region`]); normalise the image
//! ([`normalize::normalize_image`], `normalize`); resample image and mask around the region
//! ([`resample_image_and_mask`], `resampledPixelSpacing`) or, without resampling, crop both with
//! `padDistance` (`preCrop`); check the mask against the image, correcting it when allowed
//! ([`mask::check_mask`]); resegment ([`resegment::resegment_mask`], `resegmentRange`) and check
//! again. Feature classes then get image and mask cropped to the bounding box
//! ([`crop_to_tumor_mask`]).

pub mod diagnostics;
pub mod mask;
pub mod normalize;
pub mod plausible;
pub mod resegment;

use crate::image::bbox::BoundingBox;
use crate::image::crop::crop;
use crate::image::resample::{Grid, continuous_index_to_physical, resample_image, resample_mask};
use crate::image::source::SourceImage;
use crate::image::{Dimensionality, Geometry, Image, Volume};

use crate::io::StoredImage;
use crate::params::{Interpolator, PreprocessSettings};
use crate::{Error, Result};

use diagnostics::{ImageDiagnostics, MaskDiagnostics, image_diagnostics, mask_diagnostics};

/// PyRadiomics' `cropToTumorMask`: image and mask cropped to `bounding_box` widened by `pad`
/// voxels on every side, clamped to the mask's extent.
pub fn crop_to_tumor_mask(
    image: &Image,
    mask: &Volume<bool>,
    bounding_box: &BoundingBox,
    pad: usize,
) -> (Image, Volume<bool>) {
    let (lower, upper) = tumor_box(mask, bounding_box, pad);
    let cropped = Image {
        volume: crop(&image.volume, lower, upper),
        pixel_type: image.pixel_type,
    };
    (cropped, crop(mask, lower, upper))
}

/// The box [`crop_to_tumor_mask`] cuts: `bounding_box` widened by `pad` voxels on every side,
/// clamped to the mask's extent (inclusive `(lower, upper)`, ITK order).
fn tumor_box(
    mask: &Volume<bool>,
    bounding_box: &BoundingBox,
    pad: usize,
) -> ([usize; 3], [usize; 3]) {
    let size = mask.size();
    let lower = bounding_box.lower.map(|l| l.saturating_sub(pad));
    let upper = [0, 1, 2].map(|a| (bounding_box.upper[a] + pad).min(size[a].saturating_sub(1)));
    (lower, upper)
}

/// numpy's `allclose(a, b)`: `|a − b| <= 1e-8 + 1e-5·|b|` element-wise.
fn allclose(a: [f64; 3], b: [f64; 3]) -> bool {
    (0..3).all(|i| (a[i] - b[i]).abs() <= 1e-8 + 1e-5 * b[i].abs())
}

/// The grid PyRadiomics' `resampleImage` resamples onto: `spacing`, the mask's direction, and
/// the region's bounding box `bb` (mask indices) scaled to the new spacing, widened by `pad`
/// new voxels and clamped to the mask's extent. Its origin lies at the mask's continuous index
/// `0.5·(s_new − s_mask)/s_mask + lower_new·s_new/s_mask`.
pub fn resampling_grid(
    mask: &Volume<bool>,
    bb: &BoundingBox,
    spacing: [f64; 3],
    pad: usize,
) -> Grid {
    let mask_spacing = mask.geometry.spacing;
    let mask_size = mask.size();
    let pad = pad as f64;
    let size = bb.size();
    let mut new_size = [0usize; 3];
    let mut origin_index = [0.0; 3];
    for a in 0..3 {
        let ratio = mask_spacing[a] / spacing[a];
        let mut lower = ((bb.lower[a] as f64 - 0.5) * ratio - pad).floor();
        let mut upper = (((bb.lower[a] + size[a]) as f64 - 0.5) * ratio + pad).ceil();
        let max_upper = (mask_size[a] as f64 * ratio).ceil() - 1.0;
        if lower < 0.0 {
            lower = 0.0;
        }
        if upper > max_upper {
            upper = max_upper;
        }
        new_size[a] = (upper - lower + 1.0).max(0.0) as usize;
        let original_lower = lower / ratio;
        let new_origin_index = 0.5 * (spacing[a] - mask_spacing[a]) / mask_spacing[a];
        origin_index[a] = new_origin_index + original_lower;
    }
    Grid {
        size: new_size,
        geometry: Geometry {
            spacing,
            origin: continuous_index_to_physical(&mask.geometry, origin_index),
            direction: mask.geometry.direction,
        },
    }
}

/// PyRadiomics' `resampleImage`: resample image (with `interpolator`) and mask (nearest
/// neighbour) onto [`resampling_grid`]. Zero entries of `spacing` keep the mask's spacing, as do
/// axes along which the region is one voxel thick. When the resulting spacing equals the image's
/// (numpy `allclose`), only the mask is resampled onto the image grid and both are cropped with
/// `pad` ([`crop_to_tumor_mask`]). A 2D image (`dimensionality`) is interpolated in its plane.
pub fn resample_image_and_mask(
    image: &Image,
    mask: &Volume<bool>,
    (spacing, interpolator): ([f64; 3], Interpolator),
    dimensionality: Dimensionality,
    label: i64,
    pad: usize,
) -> Result<(Image, Volume<bool>)> {
    let mask_spacing = mask.geometry.spacing;
    let image_grid = Grid::of(&image.volume);
    let bb = mask::check_roi(&image_grid, mask, label)?;
    let size = bb.size();
    let spacing = [0, 1, 2].map(|a| {
        if spacing[a] == 0.0 || size[a] == 1 {
            mask_spacing[a]
        } else {
            spacing[a]
        }
    });
    if allclose(image.volume.geometry.spacing, spacing) {
        let mask = resample_mask(mask, &image_grid, label == 0)?;
        let bb = BoundingBox::of_mask(&mask).ok_or_else(|| {
            Error::mask(format!(
                "Label ({label}) not present in mask after resampling"
            ))
        })?;
        return Ok(crop_to_tumor_mask(image, &mask, &bb, pad));
    }
    let grid = resampling_grid(mask, &bb, spacing, pad);
    Ok((
        resample_image(image, &grid, interpolator, dimensionality)?,
        resample_mask(mask, &grid, label == 0)?,
    ))
}

/// What [`load`] hands on.
#[derive(Clone, Debug)]
pub struct Loaded<'a> {
    /// The (normalised, resampled or pre-cropped) image; borrowed or in its stored type when
    /// nothing changed it.
    pub image: SourceImage<'a>,
    /// The label's region on the image's grid.
    pub mask: Volume<bool>,
    /// The `interpolated` image and mask diagnostics, when resampled.
    pub interpolated: Option<(ImageDiagnostics, Option<MaskDiagnostics>)>,
    /// Whether the image file was 2D or 3D.
    pub dimensionality: Dimensionality,
}

/// PyRadiomics' `loadImage` after reading the files, given the label's region
/// ([`mask::label_region`]): normalisation, then resampling (when `resampledPixelSpacing` is
/// set) or pre-cropping (`preCrop`). The image may be borrowed, owned or held as stored;
/// `dimensionality` is its file's.
pub fn load<'a>(
    image: impl Into<SourceImage<'a>>,
    region: Volume<bool>,
    dimensionality: Dimensionality,
    settings: &PreprocessSettings,
) -> Result<Loaded<'a>> {
    let image = image.into();
    let label = settings.label;
    let image = if settings.normalize {
        SourceImage::from(normalize::normalize_image(
            image.into_widened(),
            settings.normalize_scale,
            settings.remove_outliers,
        ))
    } else {
        image
    };
    if let Some(resampling) = settings.resampling(dimensionality)? {
        let (image, region) = resample_image_and_mask(
            &image.widened(),
            &region,
            resampling,
            dimensionality,
            label,
            settings.pad_distance,
        )?;
        let interpolated = Some((
            image_diagnostics(&image),
            mask_diagnostics(Some(&image), &region),
        ));
        return Ok(Loaded {
            image: SourceImage::from(image),
            mask: region,
            interpolated,
            dimensionality,
        });
    }
    if settings.pre_crop {
        let check = mask::check_mask_on(&image.grid(), &region, label, settings)?;
        let region = check.corrected.unwrap_or(region);
        let (lower, upper) = tumor_box(&region, &check.bounding_box, settings.pad_distance);
        return Ok(Loaded {
            image: SourceImage::from(image.crop(lower, upper)),
            mask: crop(&region, lower, upper),
            interpolated: None,
            dimensionality,
        });
    }
    Ok(Loaded {
        image,
        mask: region,
        interpolated: None,
        dimensionality,
    })
}

/// PyRadiomics' diagnostics of the preprocessing (`diagnostics_Image-*`, `diagnostics_Mask-*`;
/// the voxel hashes come from the files, [`crate::io::VoxelHashes`]).
#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostics {
    /// Whether the image file was 2D or 3D (PyRadiomics' `Image-original_Dimensionality`; a 2D
    /// image's spacings, sizes, boxes and centres have two entries).
    pub dimensionality: Dimensionality,
    pub image_original: ImageDiagnostics,
    pub mask_original: Option<MaskDiagnostics>,
    pub image_interpolated: Option<ImageDiagnostics>,
    pub mask_interpolated: Option<MaskDiagnostics>,
    pub mask_corrected: Option<MaskDiagnostics>,
    pub mask_resegmented: Option<MaskDiagnostics>,
}

/// Everything the feature stage needs, as PyRadiomics' `execute` has it before the image types.
#[derive(Clone, Debug)]
pub struct Prepared<'a> {
    /// The preprocessed image that filters are applied to; borrowed, or in its stored type, when
    /// nothing changed it.
    pub image: SourceImage<'a>,
    /// The region the shape features use where it differs from `mask` (the loaded region when
    /// resegmenting without `resegmentShape`); `None` when it is `mask`. See
    /// [`Prepared::shape_region`].
    pub shape_mask: Option<Volume<bool>>,
    /// The region the other feature classes use (resegmented when `resegmentRange` is set).
    pub mask: Volume<bool>,
    /// Bounding box of the last checked region (the resegmented one when resegmenting); PyRadiomics
    /// crops with it for shape and for the other classes alike.
    pub bounding_box: BoundingBox,
    /// The diagnostics, when `additionalInfo` is on.
    pub diagnostics: Option<Diagnostics>,
    /// Whether the image file was 2D or 3D.
    pub dimensionality: Dimensionality,
}

impl Prepared<'_> {
    /// The region the shape features use (the resegmented one only with `resegmentShape`).
    pub fn shape_region(&self) -> &Volume<bool> {
        self.shape_mask.as_ref().unwrap_or(&self.mask)
    }
}

/// PyRadiomics' `execute` up to the image types: [`load`], [`mask::check_mask`] (with
/// correction), resegmentation and its check; with `additionalInfo`, PyRadiomics' diagnostics.
/// Image and mask are 3D.
pub fn prepare<'a>(
    image: &'a Image,
    mask: &Image,
    settings: &PreprocessSettings,
) -> Result<Prepared<'a>> {
    let region = mask::label_region(mask, settings.label)?;
    prepare_region(image, region, Dimensionality::Three, settings)
}

/// [`prepare`] given the label's region ([`mask::label_region`]) and the image file's
/// `dimensionality`; the image may be borrowed, owned or held as stored.
pub fn prepare_region<'a>(
    image: impl Into<SourceImage<'a>>,
    region: Volume<bool>,
    dimensionality: Dimensionality,
    settings: &PreprocessSettings,
) -> Result<Prepared<'a>> {
    let image = image.into();
    let original = settings.additional_info.then(|| Original {
        image: image_diagnostics(&image.widened()),
        mask: mask_diagnostics(None, &region),
    });
    let loaded = load(image, region, dimensionality, settings)?;
    finish(loaded, original, settings)
}

/// [`prepare`] for an image kept in its stored type and a mask read into its region with the
/// labels present ([`crate::io::StoredMask::region_and_labels`]).
///
/// When nothing transforms the whole image (no normalisation, resampling or resegmentation; image
/// and mask on one grid), the image stays in its stored type ([`StoredImage::into_source`]) for
/// the filters, and when only the original image type is extracted, only the region's bounding
/// box is widened to f64 — features and diagnostics are the same, as PyRadiomics crops to that box
/// anyway. Otherwise the whole image is widened and loaded as [`prepare_region`] loads it. The
/// `original` image diagnostics of an integer image of at most 16 bits are taken on the stored
/// values ([`StoredImage::integer_mean_min_max`]) either way.
pub fn prepare_stored(
    image: StoredImage,
    region: Volume<bool>,
    labels: &[u32],
    settings: &PreprocessSettings,
    only_original: bool,
) -> Result<Prepared<'static>> {
    let label = settings.label;
    let dimensionality = image.dimensionality();
    mask::check_labels(labels.iter().copied(), label)?;
    let grid = Grid {
        size: image.size(),
        geometry: image.geometry().clone(),
    };
    let tolerance = settings
        .geometry_tolerance
        .unwrap_or(mask::DEFAULT_GEOMETRY_TOLERANCE);
    let unchanged = !settings.normalize
        && settings.resampled_pixel_spacing.is_none()
        && settings.resegment_range.is_none()
        && grid.size == region.size()
        && mask::same_physical_space(&grid.geometry, &region.geometry, tolerance);
    let info = settings.additional_info;
    let stats = if info {
        image.integer_mean_min_max()
    } else {
        None
    };
    if info && stats.is_none() {
        // The `original` image diagnostics need the image widened (for a moment, when unchanged).
        let image = if unchanged {
            image.into_source()?
        } else {
            SourceImage::from(image.into_image()?)
        };
        return prepare_region(image, region, dimensionality, settings);
    }
    let original = stats.map(|(mean, minimum, maximum)| Original {
        image: ImageDiagnostics {
            spacing: grid.geometry.spacing,
            size: grid.size,
            mean,
            minimum,
            maximum,
        },
        mask: mask_diagnostics(None, &region),
    });
    let loaded = if !unchanged {
        load(image.into_image()?, region, dimensionality, settings)?
    } else if only_original && !settings.pre_crop {
        let bb = mask::check_mask_on(&grid, &region, label, settings)?.bounding_box;
        let image = image.crop(bb.lower, bb.upper);
        // The whole image and mask passed the geometry check above, as PyRadiomics checks them.
        // Their crops are placed by their own directions, which may differ within the tolerance;
        // far from index 0 that can move the crops' origins apart by more than the tolerance,
        // so the mask's crop takes the image crop's origin and direction (keeping its spacing).
        // (`preCrop` crops first and PyRadiomics checks the crops again: [`load`] and [`finish`].)
        let mut mask = crop(&region, bb.lower, bb.upper);
        mask.geometry.origin = image.volume.geometry.origin;
        mask.geometry.direction = image.volume.geometry.direction;
        Loaded {
            image: SourceImage::from(image),
            mask,
            interpolated: None,
            dimensionality,
        }
    } else {
        load(image.into_source()?, region, dimensionality, settings)?
    };
    finish(loaded, original, settings)
}

/// The `original` diagnostics, taken before preprocessing.
struct Original {
    image: ImageDiagnostics,
    mask: Option<MaskDiagnostics>,
}

/// [`prepare`] after loading: check (and correct) the mask, resegment, gather the diagnostics.
fn finish<'a>(
    loaded: Loaded<'a>,
    original: Option<Original>,
    settings: &PreprocessSettings,
) -> Result<Prepared<'a>> {
    let label = settings.label;
    let info = original.is_some();
    let Loaded {
        image,
        mask: region,
        interpolated,
        dimensionality,
    } = loaded;
    let check = mask::check_mask_on(&image.grid(), &region, label, settings)?;
    let mask_corrected = match (&check.corrected, info) {
        (Some(m), true) => mask_diagnostics(Some(&image.widened()), m),
        _ => None,
    };
    let region = check.corrected.unwrap_or(region);
    let mut bounding_box = check.bounding_box;
    let mut mask_resegmented = None;
    let (shape_mask, mask) = match &settings.resegment_range {
        Some(range) => {
            let widened = image.widened();
            let resegmented = resegment::resegment_mask(
                &widened,
                &region,
                range,
                settings.resegment_mode,
                label,
            )?;
            bounding_box =
                mask::check_mask_on(&image.grid(), &resegmented, label, settings)?.bounding_box;
            if info {
                mask_resegmented = mask_diagnostics(Some(&widened), &resegmented);
            }
            let shape = (!settings.resegment_shape).then_some(region);
            (shape, resegmented)
        }
        None => (None, region),
    };
    let diagnostics = original.map(|original| {
        let (image_interpolated, mask_interpolated) = match interpolated {
            Some((i, m)) => (Some(i), m),
            None => (None, None),
        };
        Diagnostics {
            dimensionality,
            image_original: original.image,
            mask_original: original.mask,
            image_interpolated,
            mask_interpolated,
            mask_corrected,
            mask_resegmented,
        }
    });
    Ok(Prepared {
        image,
        shape_mask,
        mask,
        bounding_box,
        diagnostics,
        dimensionality,
    })
}
