//! PyRadiomics' `shape` class: 3D size and shape of the ROI, from the marching-cubes mesh of the mask
//! (volume, surface, diameters) and from the principal axes of the voxel positions.
//!
//! Notation: `V` mesh volume, `A` mesh surface area, `Np` number of ROI voxels, `λ_major ≥ λ_minor ≥
//! λ_least` the eigenvalues of the covariance of the ROI voxels' physical positions. Axis lengths
//! and ratios are NaN where an eigenvalue is negative, as in PyRadiomics.

use crate::features::principal_axes::{self, axis_length, axis_ratio};
use crate::features::table::{FeatureDef, evaluate};
use crate::features::{Feature, diameters, marching_cubes};
use ndarray::{Array3, s};
use std::f64::consts::PI;

/// What the formulas read: the mesh's measures and the principal axes.
pub struct Shape {
    /// `V`.
    volume: f64,
    /// `A`.
    area: f64,
    /// Largest vertex distances `[slice (same z), column (same y), row (same x), 3D]`, in mm.
    diameters: [f64; 4],
    /// `Np`.
    np: usize,
    /// The voxel spacing in numpy `(z, y, x)` order.
    spacing: [f64; 3],
    /// `[λ_least, λ_minor, λ_major]`.
    eigenvalues: [f64; 3],
}

/// A shape formula.
type Formula = fn(&Shape) -> f64;

/// The shape features, in PyRadiomics' order.
pub static FEATURES: [FeatureDef<Formula>; 17] = [
    FeatureDef::deprecated("Compactness1", compactness1),
    FeatureDef::deprecated("Compactness2", compactness2),
    FeatureDef::new("Elongation", elongation),
    FeatureDef::new("Flatness", flatness),
    FeatureDef::new("LeastAxisLength", least_axis_length),
    FeatureDef::new("MajorAxisLength", major_axis_length),
    FeatureDef::new("Maximum2DDiameterColumn", maximum_2d_diameter_column),
    FeatureDef::new("Maximum2DDiameterRow", maximum_2d_diameter_row),
    FeatureDef::new("Maximum2DDiameterSlice", maximum_2d_diameter_slice),
    FeatureDef::new("Maximum3DDiameter", maximum_3d_diameter),
    FeatureDef::new("MeshVolume", mesh_volume),
    FeatureDef::new("MinorAxisLength", minor_axis_length),
    FeatureDef::deprecated("SphericalDisproportion", spherical_disproportion),
    FeatureDef::new("Sphericity", sphericity),
    FeatureDef::new("SurfaceArea", surface_area),
    FeatureDef::new("SurfaceVolumeRatio", surface_volume_ratio),
    FeatureDef::new("VoxelVolume", voxel_volume),
];

/// All shape features (deprecated ones included, marked so) of the ROI `mask` (numpy `(z, y, x)` order,
/// typically cropped to the bounding box), with voxel `spacing` in ITK `(x, y, z)` order, in
/// PyRadiomics' order.
pub fn compute(mask: &Array3<bool>, spacing: [f64; 3]) -> Vec<Feature> {
    // PyRadiomics pads the mask with one layer of background and works in numpy axis order.
    let spacing = [spacing[2], spacing[1], spacing[0]];
    let (nz, ny, nx) = mask.dim();
    let mut padded = Array3::from_elem((nz + 2, ny + 2, nx + 2), false);
    padded.slice_mut(s![1..=nz, 1..=ny, 1..=nx]).assign(mask);

    let mesh = marching_cubes::mesh(&padded, spacing);
    let voxels = padded
        .indexed_iter()
        .filter(|&(_, &inside)| inside)
        .map(|((z, y, x), _)| [z, y, x]);
    let shape = Shape {
        volume: mesh.volume,
        area: mesh.surface_area,
        diameters: maximum_diameters(&mesh.vertices, spacing),
        np: voxels.clone().count(),
        spacing,
        eigenvalues: principal_axes::covariance_eigenvalues(voxels, spacing),
    };
    evaluate(&FEATURES, false, |f| f(&shape))
}

/// Largest vertex distances `[slice (same z), column (same y), row (same x), 3D]`, in mm.
fn maximum_diameters(vertices: &[[i32; 3]], spacing: [f64; 3]) -> [f64; 4] {
    let x_ends = diameters::line_ends(vertices, 2);
    let (diameter_3d, [slice, column, row]) = rayon::join(
        || diameters::max_distance(&x_ends, spacing, None),
        || {
            let y_ends = diameters::line_ends(vertices, 1);
            [
                diameters::max_distance(&x_ends, spacing, Some(0)),
                diameters::max_distance(&x_ends, spacing, Some(1)),
                diameters::max_distance(&y_ends, spacing, Some(2)),
            ]
        },
    );
    [slice, column, row, diameter_3d]
}

/// `MeshVolume = V = Σ_f (O a_f · (O b_f × O c_f)) / 6` over the mesh triangles `(a, b, c)`, `O`
/// the grid origin.
fn mesh_volume(s: &Shape) -> f64 {
    s.volume
}

/// `VoxelVolume = Np · (Δz · Δx · Δy)`: the ROI voxel count times the voxel volume.
fn voxel_volume(s: &Shape) -> f64 {
    let [dz, dy, dx] = s.spacing;
    s.np as f64 * (dz * dx * dy)
}

/// `SurfaceArea = A = Σ_f ½ ‖a_f b_f × a_f c_f‖` over the mesh triangles.
fn surface_area(s: &Shape) -> f64 {
    s.area
}

/// `SurfaceVolumeRatio = A / V`.
fn surface_volume_ratio(s: &Shape) -> f64 {
    s.area / s.volume
}

/// `Sphericity = ∛(36 π V²) / A`.
fn sphericity(s: &Shape) -> f64 {
    let v = s.volume;
    (36.0 * PI * (v * v)).powf(1.0 / 3.0) / s.area
}

/// `Compactness1 = V / (A^{3/2} √π)` (deprecated).
fn compactness1(s: &Shape) -> f64 {
    s.volume / (s.area.powf(1.5) * PI.sqrt())
}

/// `Compactness2 = 36 π V² / A³` (deprecated).
fn compactness2(s: &Shape) -> f64 {
    36.0 * PI * s.volume.powf(2.0) / s.area.powf(3.0)
}

/// `SphericalDisproportion = A / ∛(36 π V²)` (deprecated).
fn spherical_disproportion(s: &Shape) -> f64 {
    let v = s.volume;
    s.area / (36.0 * PI * (v * v)).powf(1.0 / 3.0)
}

/// `Maximum3DDiameter`: the largest distance between two mesh vertices.
fn maximum_3d_diameter(s: &Shape) -> f64 {
    s.diameters[3]
}

/// `Maximum2DDiameterSlice`: the largest distance between two mesh vertices with equal z.
fn maximum_2d_diameter_slice(s: &Shape) -> f64 {
    s.diameters[0]
}

/// `Maximum2DDiameterColumn`: the largest distance between two mesh vertices with equal y.
fn maximum_2d_diameter_column(s: &Shape) -> f64 {
    s.diameters[1]
}

/// `Maximum2DDiameterRow`: the largest distance between two mesh vertices with equal x.
fn maximum_2d_diameter_row(s: &Shape) -> f64 {
    s.diameters[2]
}

/// `MajorAxisLength = 4 √λ_major`.
fn major_axis_length(s: &Shape) -> f64 {
    axis_length(s.eigenvalues[2])
}

/// `MinorAxisLength = 4 √λ_minor`.
fn minor_axis_length(s: &Shape) -> f64 {
    axis_length(s.eigenvalues[1])
}

/// `LeastAxisLength = 4 √λ_least`.
fn least_axis_length(s: &Shape) -> f64 {
    axis_length(s.eigenvalues[0])
}

/// `Elongation = √(λ_minor / λ_major)`.
fn elongation(s: &Shape) -> f64 {
    axis_ratio(s.eigenvalues[1], s.eigenvalues[2])
}

/// `Flatness = √(λ_least / λ_major)`.
fn flatness(s: &Shape) -> f64 {
    axis_ratio(s.eigenvalues[0], s.eigenvalues[2])
}
