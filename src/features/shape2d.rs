//! PyRadiomics' `shape2D` class: 2D size and shape of a single-slice ROI, from the marching-squares
//! contour of the mask (surface, perimeter, diameter) and from the principal axes of the pixel positions.
//!
//! Notation: `A` mesh surface, `P` perimeter, `Np` number of ROI pixels, `λ_major ≥ λ_minor` the
//! eigenvalues of the covariance of the ROI pixels' physical positions. Axis lengths and ratios
//! are NaN where an eigenvalue is negative, as in PyRadiomics.

use crate::features::principal_axes::{self, axis_length, axis_ratio};
use crate::features::table::{FeatureDef, evaluate};
use crate::features::{Feature, diameters, marching_squares};
use crate::{Error, Result};
use ndarray::{Array2, Array3, Axis, s};
use std::f64::consts::PI;

/// What the formulas read: the contour's measures and the principal axes.
pub struct Shape2D {
    /// `A`.
    surface: f64,
    /// `P`.
    perimeter: f64,
    /// The largest distance between two contour vertices, in mm.
    diameter: f64,
    /// `Np`.
    np: usize,
    /// The pixel spacing along the plane's two numpy axes.
    spacing: [f64; 2],
    /// `[λ_minor, λ_major]`.
    eigenvalues: [f64; 2],
}

/// A shape2D formula.
type Formula = fn(&Shape2D) -> f64;

/// The shape2D features, in PyRadiomics' order.
pub static FEATURES: [FeatureDef<Formula>; 10] = [
    FeatureDef::new("Elongation", elongation),
    FeatureDef::new("MajorAxisLength", major_axis_length),
    FeatureDef::new("MaximumDiameter", maximum_diameter),
    FeatureDef::new("MeshSurface", mesh_surface),
    FeatureDef::new("MinorAxisLength", minor_axis_length),
    FeatureDef::new("Perimeter", perimeter),
    FeatureDef::new("PerimeterSurfaceRatio", perimeter_surface_ratio),
    FeatureDef::new("PixelSurface", pixel_surface),
    FeatureDef::deprecated("SphericalDisproportion", spherical_disproportion),
    FeatureDef::new("Sphericity", sphericity),
];

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
    let pixels = padded
        .indexed_iter()
        .filter(|&(_, &inside)| inside)
        .map(|((y, x), _)| [y, x]);
    let shape = Shape2D {
        surface: contour.surface,
        perimeter: contour.perimeter,
        diameter: diameters::max_distance(
            &diameters::line_ends(&contour.vertices, 1),
            spacing,
            None,
        ),
        np: pixels.clone().count(),
        spacing,
        eigenvalues: principal_axes::covariance_eigenvalues(pixels, spacing),
    };
    Ok(evaluate(&FEATURES, false, |f| f(&shape)))
}

/// `MeshSurface = A = Σ_f ½ (O a_f × O b_f)` over the contour segments `(a, b)`, signed, `O` the
/// grid origin.
fn mesh_surface(s: &Shape2D) -> f64 {
    s.surface
}

/// `PixelSurface = Np · (Δx · Δy)`: the ROI pixel count times the pixel area.
fn pixel_surface(s: &Shape2D) -> f64 {
    let [dy, dx] = s.spacing;
    s.np as f64 * (dx * dy)
}

/// `Perimeter = P = Σ_f ‖a_f b_f‖` over the contour segments.
fn perimeter(s: &Shape2D) -> f64 {
    s.perimeter
}

/// `PerimeterSurfaceRatio = P / A`.
fn perimeter_surface_ratio(s: &Shape2D) -> f64 {
    s.perimeter / s.surface
}

/// `Sphericity = 2 √(π A) / P`.
fn sphericity(s: &Shape2D) -> f64 {
    2.0 * (PI * s.surface).sqrt() / s.perimeter
}

/// `SphericalDisproportion = 1 / Sphericity = P / (2 √(π A))` (deprecated).
fn spherical_disproportion(s: &Shape2D) -> f64 {
    1.0 / sphericity(s)
}

/// `MaximumDiameter`: the largest distance between two contour vertices.
fn maximum_diameter(s: &Shape2D) -> f64 {
    s.diameter
}

/// `MajorAxisLength = 4 √λ_major`.
fn major_axis_length(s: &Shape2D) -> f64 {
    axis_length(s.eigenvalues[1])
}

/// `MinorAxisLength = 4 √λ_minor`.
fn minor_axis_length(s: &Shape2D) -> f64 {
    axis_length(s.eigenvalues[0])
}

/// `Elongation = √(λ_minor / λ_major)`.
fn elongation(s: &Shape2D) -> f64 {
    axis_ratio(s.eigenvalues[0], s.eigenvalues[1])
}
