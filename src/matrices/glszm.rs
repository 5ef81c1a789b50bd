//! Grey Level Size Zone Matrix as PyRadiomics' `cmatrices.calculate_glszm` + `RadiomicsGLSZM`.

use super::Discretized;
use super::neighbours::PaddedRoi;
use super::size_matrix::{SizeMatrix, SizeTally};
use crate::error::Result;
use crate::params::TextureSettings;

/// The GLSZM: `P(i, j)` = number of zones of grey level `i` and size `j` voxels.
#[derive(Clone, Debug, PartialEq)]
pub struct GlszmMatrix {
    /// Zone counts by grey level and zone size (empty grey levels and sizes dropped).
    pub zones: SizeMatrix,
    /// Number of ROI voxels (PyRadiomics' `Np`; 1 for an empty ROI).
    pub n_voxels: f64,
}

/// Labels the zones of `disc`: maximal sets of ROI voxels with equal grey level connected through
/// PyRadiomics' bidirectional distance-1 angles (26-connectivity in 3D; 8-connectivity in the plane
/// under `force2D`; `distances` is not used), grown with an explicit stack.
///
/// Fails, as PyRadiomics does, when no neighbour offset fits in the image.
pub fn glszm_matrix(disc: &Discretized, settings: &TextureSettings) -> Result<GlszmMatrix> {
    let roi = zone_roi(disc, settings)?;
    glszm_from_zones(disc, &zones(&roi))
}

/// The ROI with the margin zones grow in: PyRadiomics' bidirectional distance-1 angles
/// (26-connectivity in 3D; 8-connectivity in the plane under `force2D`).
pub fn zone_roi(disc: &Discretized, settings: &TextureSettings) -> Result<PaddedRoi> {
    PaddedRoi::new("GLSZM", disc, &[1], settings)
}

/// The zones of `roi` ([`zone_roi`]) as `(grey level, size)`, in the order of their first voxel,
/// grown from each unvisited ROI voxel with an explicit stack.
pub fn zones(roi: &PaddedRoi) -> Vec<(u32, usize)> {
    let mut unvisited = roi.in_roi.clone();
    // The flood fill's stack: every ROI voxel is pushed at most once, and a push is a write at
    // the top that only counts when the neighbour joins the zone (no branch to mispredict).
    let mut stack = vec![0; roi.roi.len() + 1];
    let mut zones: Vec<(u32, usize)> = Vec::new();
    for &start in &roi.roi {
        if !unvisited[start] {
            continue;
        }
        let level = roi.levels[start];
        unvisited[start] = false;
        stack[0] = start;
        let mut top = 1;
        let mut size = 0;
        while top > 0 {
            top -= 1;
            let k = stack[top];
            size += 1;
            for j in roi.neighbours(k) {
                let joins = unvisited[j] & (roi.levels[j] == level);
                unvisited[j] &= !joins;
                stack[top] = j;
                top += usize::from(joins);
            }
        }
        zones.push((level, size));
    }
    zones
}

/// The GLSZM from the `(grey level, size)` of every zone (in any order: the counts are integers).
pub fn glszm_from_zones(disc: &Discretized, zones: &[(u32, usize)]) -> Result<GlszmMatrix> {
    let max_size = zones.iter().map(|&(_, s)| s).max().unwrap_or(0);
    let mut tally = SizeTally::new(disc, max_size, "glszm")?;
    for &(level, size) in zones {
        tally.add(level, size);
    }
    let n_voxels = zones.iter().map(|&(_, s)| s).sum::<usize>();
    Ok(GlszmMatrix {
        zones: tally.finish(),
        n_voxels: if n_voxels == 0 { 1.0 } else { n_voxels as f64 },
    })
}

#[cfg(test)]
mod tests {
    use ndarray::Array3;

    use super::*;
    use crate::image::PixelType;
    use crate::matrices::discretize;

    fn disc(shape: (usize, usize, usize), values: Vec<f64>) -> Discretized {
        let image = Array3::from_shape_vec(shape, values).unwrap();
        let mask = image.mapv(|v| v >= 0.0);
        let settings = TextureSettings {
            bin_width: 1.0,
            ..TextureSettings::default()
        };
        discretize(&image, &mask, &settings, PixelType::F64).unwrap()
    }

    #[test]
    fn zones_connect_diagonally_across_slices_unless_force2d() {
        // Two slices; grey 1 at (0,0,0) and (1,1,1) touches only diagonally across slices.
        let d = disc((2, 2, 2), vec![1.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 1.0]);
        let m = glszm_matrix(&d, &TextureSettings::default()).unwrap();
        // Grey 1: one zone of 2; grey 2: one zone of 6.
        assert_eq!(m.zones.gray_levels, vec![1.0, 2.0]);
        assert_eq!(m.zones.sizes, vec![2.0, 6.0]);
        assert_eq!(m.zones.counts.as_slice().unwrap(), &[1.0, 0.0, 0.0, 1.0]);
        assert_eq!(m.n_voxels, 8.0);
        let flat = TextureSettings {
            force_2d: true,
            ..TextureSettings::default()
        };
        let m = glszm_matrix(&d, &flat).unwrap();
        // In-plane only: grey 1 twice of size 1, grey 2 twice of size 3.
        assert_eq!(m.zones.sizes, vec![1.0, 3.0]);
        assert_eq!(m.zones.counts.as_slice().unwrap(), &[2.0, 0.0, 0.0, 2.0]);
    }

    #[test]
    fn voxels_outside_the_mask_break_zones() {
        // Grey 1 | outside | grey 1 in a row: two zones of size 1.
        let d = disc((1, 1, 3), vec![0.5, -1.0, 0.5]);
        let m = glszm_matrix(&d, &TextureSettings::default()).unwrap();
        assert_eq!(m.zones.sizes, vec![1.0]);
        assert_eq!(m.zones.counts.as_slice().unwrap(), &[2.0]);
        assert_eq!(m.n_voxels, 2.0);
    }

    #[test]
    fn empty_roi_gives_an_empty_matrix() {
        let d = disc((1, 2, 2), vec![-1.0; 4]);
        let m = glszm_matrix(&d, &TextureSettings::default()).unwrap();
        assert_eq!(m.zones.counts.dim(), (0, 0));
        assert_eq!(m.n_voxels, 1.0);
    }
}
