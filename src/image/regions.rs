//! Regions derived from a tumour region (a mask's label, as [`Volume<bool>`] with the mask's
//! geometry): the maximum axial cross-section, the peritumoral ring, their restriction to a
//! tissue mask or an intensity window, and a region carried onto another image's grid.
//!
//! "Axial slice" means a plane of constant last voxel index (ITK's z, numpy axis 0).

use ndarray::{Axis, s};

use super::bbox::BoundingBox;
use super::crop::crop;
use super::distance::squared_distance_map;
use super::resample::{Grid, resample_mask};
use super::{Geometry, Volume};
use crate::{Error, Result};

/// Largest difference of spacing, origin or direction entries for two grids to count as one.
pub const GRID_TOLERANCE: f64 = 1e-6;

/// The axial slice (numpy axis 0 index) holding the most region voxels; on a tie, the lowest
/// index. `None` for an empty region.
pub fn max_slice_index(region: &Volume<bool>) -> Option<usize> {
    let counts = region
        .voxels
        .axis_iter(Axis(0))
        .map(|slice| slice.iter().filter(|&&v| v).count());
    let mut best: Option<(usize, usize)> = None;
    for (z, count) in counts.enumerate() {
        if count > 0 && best.is_none_or(|(_, most)| count > most) {
            best = Some((z, count));
        }
    }
    best.map(|(z, _)| z)
}

/// The maximum cross-section: the region's voxels in the axial slice of [`max_slice_index`],
/// every other slice emptied, on the same grid. An error for an empty region.
pub fn max_slice(region: &Volume<bool>) -> Result<Volume<bool>> {
    let z = max_slice_index(region)
        .ok_or_else(|| Error::mask("maximum slice of an empty region (no label voxels)"))?;
    let mut voxels = ndarray::Array3::from_elem(region.voxels.dim(), false);
    voxels
        .slice_mut(s![z, .., ..])
        .assign(&region.voxels.slice(s![z, .., ..]));
    Ok(Volume {
        voxels,
        geometry: region.geometry.clone(),
    })
}

/// How a peritumoral ring is drawn (see [`ring`]).
#[derive(Clone, Debug, PartialEq)]
pub struct RingOptions {
    /// R: the ring reaches voxels whose centre is within R mm of the nearest tumour voxel centre.
    pub outer_mm: f64,
    /// a: tumour voxels whose centre is within a mm of the nearest background voxel centre are
    /// included too (a ring from −a to +R mm); 0 for none.
    pub inner_mm: f64,
    /// Measure distances within each axial slice only (2D modes).
    pub in_plane: bool,
}

impl Default for RingOptions {
    /// A 3 mm ring in 3D without inner margin.
    fn default() -> Self {
        RingOptions {
            outer_mm: 3.0,
            inner_mm: 0.0,
            in_plane: false,
        }
    }
}

/// The peritumoral ring of `tumour`, on its grid. With T the tumour voxels, B the others, and
/// `d(p, S)` the Euclidean distance in mm from voxel centre p to the nearest voxel centre of S
/// (physical spacing, exact distance transform, see [`squared_distance_map`]; within p's axial
/// slice when `in_plane`):
///
/// `ring = { p ∈ B : d(p, T) ≤ R } ∪ { p ∈ T : d(p, B) ≤ a }`.
///
/// Voxels beyond the image's edge belong to neither set. An error for an empty tumour or a
/// negative or non-finite distance.
pub fn ring(tumour: &Volume<bool>, options: &RingOptions) -> Result<Volume<bool>> {
    let (outer, inner) = (options.outer_mm, options.inner_mm);
    for (name, mm) in [("ring distance", outer), ("inner margin", inner)] {
        if !(mm.is_finite() && mm >= 0.0) {
            return Err(Error::mask(format!(
                "{name} must be a finite number of mm >= 0, got {mm}"
            )));
        }
    }
    let bounds = BoundingBox::of_mask(tumour)
        .ok_or_else(|| Error::mask("peritumoral ring of an empty region (no label voxels)"))?;
    // Only voxels within max(R, a) of the tumour can be in the ring: work in that box.
    let reach = outer.max(inner);
    let mut margin = tumour
        .geometry
        .spacing
        .map(|step| (reach / step).floor() as usize + 1);
    if options.in_plane {
        margin[2] = 0;
    }
    let window = bounds.grown(margin, tumour.size());
    let local = crop(tumour, window.lower, window.upper);
    let near_tumour = squared_distance_map(&local, options.in_plane);
    let mut ring = local.voxels.clone();
    ring.zip_mut_with(&near_tumour, |r, &d| *r = !*r && d <= outer * outer);
    if inner > 0.0 {
        let background = Volume {
            voxels: local.voxels.mapv(|t| !t),
            geometry: local.geometry.clone(),
        };
        let near_background = squared_distance_map(&background, options.in_plane);
        ndarray::Zip::from(&mut ring)
            .and(&local.voxels)
            .and(&near_background)
            .for_each(|r, &t, &d| *r |= t && d <= inner * inner);
    }
    let mut voxels = ndarray::Array3::from_elem(tumour.voxels.dim(), false);
    let (lo, hi) = (window.lower, window.upper);
    voxels
        .slice_mut(s![lo[2]..=hi[2], lo[1]..=hi[1], lo[0]..=hi[0]])
        .assign(&ring);
    Ok(Volume {
        voxels,
        geometry: tumour.geometry.clone(),
    })
}

/// The voxels of `region` that are also in `tissue` (e.g. a breast or body mask, to leave out
/// air or the chest wall). Both must lie on the same grid.
pub fn restrict_to_mask(region: &Volume<bool>, tissue: &Volume<bool>) -> Result<Volume<bool>> {
    check_same_grid(region, tissue, "tissue mask")?;
    let mut out = region.clone();
    out.voxels.zip_mut_with(&tissue.voxels, |r, &t| *r &= t);
    Ok(out)
}

/// The voxels of `region` whose `image` value lies in the window `[lo, hi]` (both included).
/// Image and region must lie on the same grid.
pub fn restrict_to_window(
    region: &Volume<bool>,
    image: &Volume<f64>,
    lo: f64,
    hi: f64,
) -> Result<Volume<bool>> {
    if lo.is_nan() || hi.is_nan() || lo > hi {
        return Err(Error::mask(format!(
            "intensity window [{lo}, {hi}] is empty"
        )));
    }
    check_same_grid(region, image, "image")?;
    let mut out = region.clone();
    out.voxels
        .zip_mut_with(&image.voxels, |r, &v| *r &= (lo..=hi).contains(&v));
    Ok(out)
}

/// `region` carried onto `target` through physical space: each target voxel takes the value of
/// the region voxel nearest to its centre (SimpleITK's `ResampleImageFilter` with an identity
/// transform and `sitkNearestNeighbor`, see [`resample_mask`]); target voxels whose centre lies
/// outside the region's image are outside the region. An error when no region voxel lands on
/// the target grid (the two images do not overlap where the region is).
pub fn resample_mask_to(region: &Volume<bool>, target: &Grid) -> Result<Volume<bool>> {
    let resampled = resample_mask(region, target, false)?;
    if !resampled.voxels.iter().any(|&v| v) {
        let count = region.voxels.iter().filter(|&&v| v).count();
        return Err(Error::mask(format!(
            "the mask region ({count} voxels) does not overlap the target image grid \
             (size {:?}, origin {:?}, spacing {:?})",
            target.size, target.geometry.origin, target.geometry.spacing
        )));
    }
    Ok(resampled)
}

/// An error unless `other` has `region`'s size and geometry (within [`GRID_TOLERANCE`]).
fn check_same_grid<T>(region: &Volume<bool>, other: &Volume<T>, what: &str) -> Result<()> {
    if region.size() != other.size() || !same_geometry(&region.geometry, &other.geometry) {
        return Err(Error::mask(format!(
            "the {what} is not on the region's grid (size {:?} vs {:?}, origin {:?} vs {:?})",
            other.size(),
            region.size(),
            other.geometry.origin,
            region.geometry.origin
        )));
    }
    Ok(())
}

/// Spacing, origin and direction equal within [`GRID_TOLERANCE`].
fn same_geometry(a: &Geometry, b: &Geometry) -> bool {
    let close = |x: f64, y: f64| (x - y).abs() <= GRID_TOLERANCE;
    (0..3).all(|i| {
        close(a.spacing[i], b.spacing[i])
            && close(a.origin[i], b.origin[i])
            && (0..3).all(|j| close(a.direction[i][j], b.direction[i][j]))
    })
}
