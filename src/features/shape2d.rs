//! PyRadiomics' `shape2D` class: 2D size and shape of a single-slice ROI, from the marching-squares
//! contour of the mask (surface, perimeter, diameter) and from the principal axes of the pixel positions.
//!
//! Notation: `A` mesh surface, `P` perimeter, `Np` number of ROI pixels, `λ_major ≥ λ_minor` the
//! eigenvalues of the covariance of the ROI pixels' physical positions.
//!
//! | PyRadiomics name | formula |
//! |---|---|
//! | `MeshSurface` | `A = Σ_f ½ (O a_f × O b_f)` over the contour segments `(a, b)`, signed, `O` the grid origin |
//! | `PixelSurface` | `Np · Δx Δy` |
//! | `Perimeter` | `P = Σ_f ‖a_f b_f‖` |
//! | `PerimeterSurfaceRatio` | `P / A` |
//! | `Sphericity` | `2 √(π A) / P` |
//! | `SphericalDisproportion` (deprecated) | `P / (2 √(π A))` |
//! | `MaximumDiameter` | largest distance between two contour vertices |
//! | `MajorAxisLength` | `4 √λ_major` |
//! | `MinorAxisLength` | `4 √λ_minor` |
//! | `Elongation` | `√(λ_minor / λ_major)` |
//!
//! Axis lengths and ratios are NaN where an eigenvalue is negative, as in PyRadiomics.

use crate::features::principal_axes::{self, axis_length, axis_ratio};
use crate::features::{Feature, diameters, marching_squares};
use crate::{Error, Result};
use ndarray::{Array2, Array3, Axis, s};
use std::f64::consts::PI;

/// All shape2D features (deprecated ones included, marked so) of the ROI `mask` (numpy `(z, y, x)`
/// order, cropped to the bounding box), with voxel `spacing` in ITK `(x, y, z)` order.
/// `force_2d_dimension` is the numpy axis (0 = z) across which the ROI is flat: the mask must have size 1
/// along it, as PyRadiomics requires (`force2D` with `force2Ddimension`).
pub fn compute(
    mask: &Array3<bool>,
    spacing: [f64; 3],
    force_2d_dimension: usize,
) -> Result<Vec<Feature>> {
    if force_2d_dimension > 2 {
        return Err(Error::setting(
            "force2Ddimension",
            format!("must be 0, 1 or 2, got {force_2d_dimension}"),
        ));
    }
    let depth = mask.len_of(Axis(force_2d_dimension));
    if depth != 1 {
        return Err(Error::mask(format!(
            "shape2D: the mask has size {depth} in dimension {force_2d_dimension} (force2Ddimension); \
             it must be 1"
        )));
    }
    let plane = mask.index_axis(Axis(force_2d_dimension), 0);
    // Spacing of the two remaining numpy axes, and the plane padded with one pixel of background.
    let numpy_spacing = [spacing[2], spacing[1], spacing[0]];
    let [first, second] = match force_2d_dimension {
        0 => [1, 2],
        1 => [0, 2],
        _ => [0, 1],
    };
    let spacing = [numpy_spacing[first], numpy_spacing[second]];
    let (ny, nx) = plane.dim();
    let mut padded = Array2::from_elem((ny + 2, nx + 2), false);
    padded.slice_mut(s![1..=ny, 1..=nx]).assign(&plane);

    let contour = marching_squares::contour(&padded, spacing);
    let (a, p) = (contour.surface, contour.perimeter);
    let diameter =
        diameters::max_distance(&diameters::line_ends(&contour.vertices, 1), spacing, None);
    let pixels = padded
        .indexed_iter()
        .filter(|&(_, &inside)| inside)
        .map(|((y, x), _)| [y, x]);
    let np = pixels.clone().count();
    let [minor, major] = principal_axes::covariance_eigenvalues(pixels, spacing);

    Ok(vec![
        Feature::new("MeshSurface", a),
        Feature::new("PixelSurface", pixel_surface(np, spacing)),
        Feature::new("Perimeter", p),
        Feature::new("PerimeterSurfaceRatio", perimeter_surface_ratio(a, p)),
        Feature::new("Sphericity", sphericity(a, p)),
        Feature::deprecated("SphericalDisproportion", 1.0 / sphericity(a, p)),
        Feature::new("MaximumDiameter", diameter),
        Feature::new("MajorAxisLength", axis_length(major)),
        Feature::new("MinorAxisLength", axis_length(minor)),
        Feature::new("Elongation", axis_ratio(minor, major)),
    ])
}

/// `PixelSurface = Np · (Δx · Δy)`: the ROI pixel count times the pixel area.
fn pixel_surface(np: usize, [dy, dx]: [f64; 2]) -> f64 {
    np as f64 * (dx * dy)
}

/// `PerimeterSurfaceRatio = P / A`.
fn perimeter_surface_ratio(a: f64, p: f64) -> f64 {
    p / a
}

/// `Sphericity = 2 √(π A) / P`; `SphericalDisproportion` (deprecated) is its inverse.
fn sphericity(a: f64, p: f64) -> f64 {
    2.0 * (PI * a).sqrt() / p
}
