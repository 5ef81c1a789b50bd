//! PyRadiomics' `gradient` image type (`getGradientImage`): SimpleITK's `GradientMagnitude` with
//! `useImageSpacing = gradientUseSpacing`, i.e. ITK's `GradientMagnitudeImageFilter` (ITK 5.4).
//!
//! Per axis `d`, a central difference with ITK's derivative operator `[½, 0, −½]` scaled by
//! `1 / spacing_d` (when spacing is used), reading outside the image as the nearest border voxel
//! (zero-flux Neumann): `g_d = c·x[i−1] − c·x[i+1]` with `c = ½ · (1 / spacing_d)`. The result is
//! `√(g_x² + g_y² + g_z²)`, computed in `f64` and stored as `float32` (SimpleITK's output type).

use ndarray::Array3;
use rayon::prelude::*;

use crate::image::Volume;
use crate::{Error, Result};

/// The gradient magnitude of `image` (values are `float32` widened to `f64`). Errors when
/// `use_spacing` is set and a spacing is zero (ITK throws).
pub fn gradient_image(image: &Volume<f64>, use_spacing: bool) -> Result<Volume<f64>> {
    let spacing = image.geometry.spacing;
    if use_spacing && spacing.contains(&0.0) {
        return Err(Error::setting(
            "gradientUseSpacing",
            "image spacing cannot be zero",
        ));
    }
    // Operator coefficient of the previous voxel per axis (x, y, z); the next one gets its negation.
    let c = spacing.map(|s| if use_spacing { 0.5 * (1.0 / s) } else { 0.5 });
    let (nz, ny, nx) = image.voxels.dim();
    let input = image.voxels.as_standard_layout();
    let x = input.as_slice().expect("standard layout is contiguous");
    let mut out = vec![0f64; x.len()];
    out.par_chunks_mut(ny * nx)
        .enumerate()
        .for_each(|(k, slice)| {
            let (kp, kn) = (k.saturating_sub(1), (k + 1).min(nz - 1));
            for j in 0..ny {
                let (jp, jn) = (j.saturating_sub(1), (j + 1).min(ny - 1));
                for i in 0..nx {
                    let (ip, inx) = (i.saturating_sub(1), (i + 1).min(nx - 1));
                    let at = |z: usize, y: usize, x_: usize| x[(z * ny + y) * nx + x_];
                    let gx = c[0] * at(k, j, ip) + -c[0] * at(k, j, inx);
                    let gy = c[1] * at(k, jp, i) + -c[1] * at(k, jn, i);
                    let gz = c[2] * at(kp, j, i) + -c[2] * at(kn, j, i);
                    let sum = gx * gx + gy * gy + gz * gz;
                    slice[j * nx + i] = f64::from(sum.sqrt() as f32);
                }
            }
        });
    let voxels =
        Array3::from_shape_vec((nz, ny, nx), out).expect("same number of voxels as the input");
    Ok(Volume {
        voxels,
        geometry: image.geometry.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::image::Geometry;

    #[test]
    fn central_differences_with_replicated_border() {
        // A ramp along x (2 per voxel) with spacing 0.5 mm: interior 4 per mm, border half that.
        let voxels = Array3::from_shape_fn((2, 2, 4), |(_, _, i)| 2.0 * i as f64);
        let geometry = Geometry {
            spacing: [0.5, 1.0, 1.0],
            ..Geometry::identity()
        };
        let v = Volume { voxels, geometry };
        let g = gradient_image(&v, true).unwrap();
        assert_eq!(
            g.voxels.iter().take(4).copied().collect::<Vec<_>>(),
            vec![2.0, 4.0, 4.0, 2.0]
        );
        let g = gradient_image(&v, false).unwrap();
        assert_eq!(
            g.voxels.iter().take(4).copied().collect::<Vec<_>>(),
            vec![1.0, 2.0, 2.0, 1.0]
        );
    }
}
