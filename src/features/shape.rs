//! PyRadiomics' `shape` class: 3D size and shape of the ROI, from the marching-cubes mesh of the mask
//! (volume, surface, diameters) and from the principal axes of the voxel positions.
//!
//! Notation: `V` mesh volume, `A` mesh surface area, `Np` number of ROI voxels, `λ_major ≥ λ_minor ≥
//! λ_least` the eigenvalues of the covariance of the ROI voxels' physical positions.
//!
//! | PyRadiomics name | formula |
//! |---|---|
//! | `MeshVolume` | `V = Σ_f (O a_f · (O b_f × O c_f)) / 6` over the mesh triangles `(a, b, c)`, `O` the grid origin |
//! | `VoxelVolume` | `Np · Δz Δx Δy` |
//! | `SurfaceArea` | `A = Σ_f ½ ‖a_f b_f × a_f c_f‖` |
//! | `SurfaceVolumeRatio` | `A / V` |
//! | `Sphericity` | `∛(36 π V²) / A` |
//! | `Compactness1` (deprecated) | `V / (√π A^{3/2})` |
//! | `Compactness2` (deprecated) | `36 π V² / A³` |
//! | `SphericalDisproportion` (deprecated) | `A / ∛(36 π V²)` |
//! | `Maximum3DDiameter` | largest distance between two mesh vertices |
//! | `Maximum2DDiameterSlice` | largest distance between two mesh vertices with equal z |
//! | `Maximum2DDiameterColumn` | largest distance between two mesh vertices with equal y |
//! | `Maximum2DDiameterRow` | largest distance between two mesh vertices with equal x |
//! | `MajorAxisLength` | `4 √λ_major` |
//! | `MinorAxisLength` | `4 √λ_minor` |
//! | `LeastAxisLength` | `4 √λ_least` |
//! | `Elongation` | `√(λ_minor / λ_major)` |
//! | `Flatness` | `√(λ_least / λ_major)` |
//!
//! Axis lengths and ratios are NaN where an eigenvalue is negative, as in PyRadiomics.

use crate::features::principal_axes::{self, axis_length, axis_ratio};
use crate::features::{Feature, diameters, marching_cubes};
use ndarray::{Array3, s};
use std::f64::consts::PI;

/// All shape features (deprecated ones included, marked so) of the ROI `mask` (numpy `(z, y, x)` order,
/// typically cropped to the bounding box), with voxel `spacing` in ITK `(x, y, z)` order.
pub fn compute(mask: &Array3<bool>, spacing: [f64; 3]) -> Vec<Feature> {
    // PyRadiomics pads the mask with one layer of background and works in numpy axis order.
    let spacing = [spacing[2], spacing[1], spacing[0]];
    let (nz, ny, nx) = mask.dim();
    let mut padded = Array3::from_elem((nz + 2, ny + 2, nx + 2), false);
    padded.slice_mut(s![1..=nz, 1..=ny, 1..=nx]).assign(mask);

    let mesh = marching_cubes::mesh(&padded, spacing);
    let (v, a) = (mesh.volume, mesh.surface_area);
    let [slice, column, row, diameter_3d] = maximum_diameters(&mesh.vertices, spacing);
    let voxels = padded
        .indexed_iter()
        .filter(|&(_, &inside)| inside)
        .map(|((z, y, x), _)| [z, y, x]);
    let np = voxels.clone().count();
    let [least, minor, major] = principal_axes::covariance_eigenvalues(voxels, spacing);

    vec![
        Feature::new("MeshVolume", v),
        Feature::new("VoxelVolume", voxel_volume(np, spacing)),
        Feature::new("SurfaceArea", a),
        Feature::new("SurfaceVolumeRatio", surface_volume_ratio(v, a)),
        Feature::new("Sphericity", sphericity(v, a)),
        Feature::deprecated("Compactness1", compactness1(v, a)),
        Feature::deprecated("Compactness2", compactness2(v, a)),
        Feature::deprecated("SphericalDisproportion", spherical_disproportion(v, a)),
        Feature::new("Maximum3DDiameter", diameter_3d),
        Feature::new("Maximum2DDiameterSlice", slice),
        Feature::new("Maximum2DDiameterColumn", column),
        Feature::new("Maximum2DDiameterRow", row),
        Feature::new("MajorAxisLength", axis_length(major)),
        Feature::new("MinorAxisLength", axis_length(minor)),
        Feature::new("LeastAxisLength", axis_length(least)),
        Feature::new("Elongation", axis_ratio(minor, major)),
        Feature::new("Flatness", axis_ratio(least, major)),
    ]
}

/// Largest vertex distances `[slice (same z), column (same y), row (same x), 3D]`, in mm
/// (`Maximum2DDiameterSlice`, `Maximum2DDiameterColumn`, `Maximum2DDiameterRow`, `Maximum3DDiameter`).
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

/// `VoxelVolume = Np · (Δz · Δx · Δy)`: the ROI voxel count times the voxel volume.
fn voxel_volume(np: usize, [dz, dy, dx]: [f64; 3]) -> f64 {
    np as f64 * (dz * dx * dy)
}

/// `SurfaceVolumeRatio = A / V`.
fn surface_volume_ratio(v: f64, a: f64) -> f64 {
    a / v
}

/// `Sphericity = ∛(36 π V²) / A`.
fn sphericity(v: f64, a: f64) -> f64 {
    (36.0 * PI * (v * v)).powf(1.0 / 3.0) / a
}

/// `Compactness1 = V / (A^{3/2} √π)` (deprecated).
fn compactness1(v: f64, a: f64) -> f64 {
    v / (a.powf(1.5) * PI.sqrt())
}

/// `Compactness2 = 36 π V² / A³` (deprecated).
fn compactness2(v: f64, a: f64) -> f64 {
    36.0 * PI * v.powf(2.0) / a.powf(3.0)
}

/// `SphericalDisproportion = A / ∛(36 π V²)` (deprecated).
fn spherical_disproportion(v: f64, a: f64) -> f64 {
    a / (36.0 * PI * (v * v)).powf(1.0 / 3.0)
}
